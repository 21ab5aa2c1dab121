import { describe, expect, it } from '@jest/globals'
import {
  decidingResult,
  flatten,
  notRunResult,
  overallStatus,
  type DeploymentResult
} from '../../src/engine/result.js'
import type { Deployment } from '../../src/inputs/schema.js'

function result(
  name: string,
  status: DeploymentResult['status'],
  followUps: DeploymentResult[] = []
): DeploymentResult {
  return {
    name,
    platform: 'epmware',
    operation: 'run',
    status,
    message: `${name} ${status}`,
    durationSeconds: 1,
    logTail: [],
    warnings: [],
    followUps
  }
}

describe('overallStatus', () => {
  it('is succeeded for nothing and for successes only', () => {
    expect(overallStatus([])).toBe('succeeded')
    expect(overallStatus([result('a', 'succeeded'), result('b', 'succeeded')])).toBe('succeeded')
  })

  // Each status against the one just below it, in both orders: the worse one wins wherever it stands.
  it.each([
    ['skipped', 'succeeded'],
    ['started', 'skipped'],
    ['canceled', 'started'],
    ['timed-out', 'canceled'],
    ['failed', 'timed-out']
  ] as const)('%s outranks %s', (worse, better) => {
    expect(overallStatus([result('a', better), result('b', worse)])).toBe(worse)
    expect(overallStatus([result('a', worse), result('b', better)])).toBe(worse)
  })
})

describe('flatten', () => {
  it('lists each result before its follow-ups, depth first', () => {
    const tree = [
      result('a', 'failed', [result('a-rollback', 'succeeded', [result('a-deep', 'failed')])]),
      result('b', 'succeeded')
    ]
    expect(flatten(tree).map(entry => entry.name)).toEqual(['a', 'a-rollback', 'a-deep', 'b'])
  })
})

describe('decidingResult', () => {
  it('is undefined for no results', () => {
    expect(decidingResult([])).toBeUndefined()
  })

  it('is the only deployment, even when its rollback is worse', () => {
    const only = result('hfm', 'succeeded', [result('hfm-rollback', 'failed')])
    expect(decidingResult([only])).toBe(only)
  })

  it('is, among several, the first whose status is the overall one', () => {
    const failed = result('b', 'failed')
    expect(decidingResult([result('a', 'succeeded'), failed, result('c', 'failed')])).toBe(failed)
  })

  it('looks into follow-ups when there are several', () => {
    const rollback = result('a-rollback', 'failed')
    const first = result('a', 'timed-out', [rollback])
    expect(decidingResult([first, result('b', 'succeeded')])).toBe(rollback)
  })

  it('is the first of several that all succeeded', () => {
    const first = result('a', 'succeeded')
    expect(decidingResult([first, result('b', 'succeeded')])).toBe(first)
  })
})

describe('notRunResult', () => {
  it('is the deployment with the given status and message, zero seconds and nothing else', () => {
    const deployment = {
      name: 'reports',
      platform: 'epmware',
      operation: 'run',
      target: 'REPORTS'
    } as Deployment
    expect(notRunResult(deployment, 'skipped', 'not run: it needs hfm, which failed')).toEqual({
      name: 'reports',
      platform: 'epmware',
      operation: 'run',
      target: 'REPORTS',
      status: 'skipped',
      message: 'not run: it needs hfm, which failed',
      durationSeconds: 0,
      logTail: [],
      warnings: [],
      followUps: []
    })
  })
})
