import { describe, expect, it } from '@jest/globals'
import type { Driver, DryRunCheck } from '../../src/drivers/driver.js'
import { describeCheck, dryRunDeployment } from '../../src/engine/dry-run.js'
import type { DeploymentResult } from '../../src/engine/result.js'
import { ActionError } from '../../src/errors.js'

/** The engine's dry run over a driver: which checks it reports and what it concludes. */
const fresh = (): DeploymentResult => ({
  name: 'orders',
  platform: 'flexdeploy',
  operation: 'deploy',
  status: 'started',
  message: 'before',
  durationSeconds: 0,
  logTail: [],
  warnings: [],
  followUps: []
})

const driverWith = (dryRun?: Driver['dryRun']) =>
  ({
    start: async () => {
      throw new Error('a dry run never starts anything')
    },
    ...(dryRun ? { dryRun } : {})
  }) as unknown as Driver

const INPUTS_VALID = {
  check: 'inputs valid',
  ok: true,
  detail: 'every field parsed and matches the platform'
}

describe('dryRunDeployment', () => {
  it('reports the inputs check first, then the driver’s checks, and succeeds when all pass', async () => {
    const seen: AbortSignal[] = []
    const signal = new AbortController().signal
    const driverChecks: DryRunCheck[] = [
      { check: 'server reachable', ok: true, detail: 'the server answered' },
      { check: 'target resolved', ok: true, detail: 'project 10501 exists' }
    ]
    const result = fresh()
    await dryRunDeployment(
      driverWith(async given => {
        seen.push(given)
        return driverChecks
      }),
      signal,
      result
    )
    expect(seen).toEqual([signal])
    expect(seen[0]).toBe(signal)
    expect(result.checks).toEqual([INPUTS_VALID, ...driverChecks])
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe(
      'Dry run, nothing triggered: ✓ inputs valid; ✓ server reachable; ✓ target resolved'
    )
  })

  it('fails when one check fails, naming what it found', async () => {
    const result = fresh()
    await dryRunDeployment(
      driverWith(async () => [
        { check: 'server reachable', ok: true, detail: 'the server answered' },
        { check: 'credentials accepted', ok: false, detail: 'HTTP 401: bad credentials' }
      ]),
      new AbortController().signal,
      result
    )
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Dry run, nothing triggered: ✓ inputs valid; ✓ server reachable; ✗ credentials accepted (HTTP 401: bad credentials)'
    )
  })

  it('fails saying so when the platform has no dry run, and sends nothing', async () => {
    const result = fresh()
    await dryRunDeployment(driverWith(), new AbortController().signal, result)
    expect(result.checks).toEqual([
      INPUTS_VALID,
      {
        check: 'dry run supported',
        ok: false,
        detail: 'dry run is not supported for flexdeploy yet; nothing was sent to the server'
      }
    ])
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Dry run, nothing triggered: ✓ inputs valid; ✗ dry run supported (dry run is not supported for flexdeploy yet; nothing was sent to the server)'
    )
  })

  it('turns a driver that throws into a failed `server reachable` check with the error’s message', async () => {
    const result = fresh()
    await dryRunDeployment(
      driverWith(async () => {
        throw new ActionError('GET /x failed: connect ECONNREFUSED', { transient: true, hint: 'not shown' })
      }),
      new AbortController().signal,
      result
    )
    expect(result.checks).toEqual([
      INPUTS_VALID,
      { check: 'server reachable', ok: false, detail: 'GET /x failed: connect ECONNREFUSED' }
    ])
    expect(result.status).toBe('failed')

    const plain = fresh()
    await dryRunDeployment(
      driverWith(async () => {
        throw new TypeError('socket hang up')
      }),
      new AbortController().signal,
      plain
    )
    expect(plain.checks?.[1]).toEqual({ check: 'server reachable', ok: false, detail: 'socket hang up' })
  })

  it('succeeds on the inputs check alone when a driver has nothing more to check', async () => {
    const result = fresh()
    await dryRunDeployment(
      driverWith(async () => []),
      new AbortController().signal,
      result
    )
    expect(result.checks).toEqual([INPUTS_VALID])
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe('Dry run, nothing triggered: ✓ inputs valid')
  })
})

describe('describeCheck', () => {
  it('marks a passed check with ✓ and no detail, a failed one with ✗ and its detail', () => {
    expect(describeCheck({ check: 'server reachable', ok: true, detail: 'the server answered' })).toBe(
      '✓ server reachable'
    )
    expect(describeCheck({ check: 'target resolved', ok: false, detail: 'no project 7' })).toBe(
      '✗ target resolved (no project 7)'
    )
  })
})
