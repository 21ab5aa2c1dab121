import { describe, expect, it } from '@jest/globals'
import { runDryRunLookups } from '../../src/drivers/dry-run.js'
import { ActionError } from '../../src/errors.js'

const found = (detail: string) => ({ check: 'target resolved', run: async () => detail })
const failing = (error: ActionError) => ({
  check: 'target resolved',
  run: async (): Promise<string> => {
    throw error
  }
})

describe('runDryRunLookups', () => {
  it('proves reachability and credentials with the first look-up, then reports each', async () => {
    expect(
      await runDryRunLookups([
        found('project 10501 exists'),
        { check: 'task found', run: async () => 'task 7' }
      ])
    ).toEqual([
      { check: 'server reachable', ok: true, detail: 'the server answered' },
      { check: 'credentials accepted', ok: true, detail: 'the credentials were accepted' },
      { check: 'target resolved', ok: true, detail: 'project 10501 exists' },
      { check: 'task found', ok: true, detail: 'task 7' }
    ])
  })

  it('says the server was not reached when no HTTP status came back', async () => {
    const checks = await runDryRunLookups([
      failing(new ActionError('GET /x failed: connect ECONNREFUSED', { transient: true }))
    ])
    expect(checks).toEqual([
      { check: 'server reachable', ok: false, detail: 'GET /x failed: connect ECONNREFUSED' }
    ])
  })

  it('says the credentials were refused on 401 and 403, and stops', async () => {
    const checks = await runDryRunLookups([
      failing(new ActionError('HTTP 401: bad credentials', { httpStatus: 401, hint: 'check password' })),
      found('never read')
    ])
    expect(checks.map(check => [check.check, check.ok])).toEqual([
      ['server reachable', true],
      ['credentials accepted', false]
    ])
    expect(checks[1]?.detail).toBe('HTTP 401: bad credentials (check password)')
  })

  it('reports an unknown target as the look-up’s own failure, the access checks passing', async () => {
    const checks = await runDryRunLookups([
      failing(new ActionError('No deployment named orders', { httpStatus: 404 }))
    ])
    expect(checks.map(check => [check.check, check.ok])).toEqual([
      ['server reachable', true],
      ['credentials accepted', true],
      ['target resolved', false]
    ])
  })
})
