import { describe, expect, it } from '@jest/globals'
import { runBatch, type BatchItem } from '../../src/engine/batch.js'
import type { FinalStatus } from '../../src/drivers/driver.js'

interface Fake {
  name: string
  status: FinalStatus
  message: string
}

/** Items whose outcome the test decides, finishing when the test says (no wall clock involved). */
function harness(outcomes: Record<string, FinalStatus> = {}) {
  const running = new Set<string>()
  const started: string[] = []
  let peak = 0
  const waiting = new Map<string, () => void>()
  const execute = (item: BatchItem) =>
    new Promise<Fake>(resolve => {
      running.add(item.name)
      started.push(item.name)
      peak = Math.max(peak, running.size)
      waiting.set(item.name, () => {
        running.delete(item.name)
        resolve({ name: item.name, status: outcomes[item.name] ?? 'succeeded', message: 'ran' })
      })
    })
  const notRun = (item: BatchItem, status: FinalStatus, message: string): Fake => ({
    name: item.name,
    status,
    message
  })
  /** Lets every running item finish, one microtask round at a time, until the batch settles. */
  const drain = async <T>(promise: Promise<T>): Promise<T> => {
    let done = false
    void promise.then(() => (done = true))
    while (!done) {
      await new Promise(resolve => setImmediate(resolve))
      const [first] = waiting.keys()
      if (first) {
        const finish = waiting.get(first)
        waiting.delete(first)
        finish?.()
      }
    }
    return promise
  }
  return { execute, notRun, drain, started, running, peak: () => peak }
}

const item = (name: string, ...needs: string[]): BatchItem => ({ name, needs })
const signal = new AbortController().signal

describe('runBatch', () => {
  it('never runs more than max-parallel at once and returns results in the given order', async () => {
    const fake = harness()
    const items = ['a', 'b', 'c', 'd', 'e'].map(name => item(name))
    const results = await fake.drain(runBatch(items, { maxParallel: 2, signal, ...fake }))
    expect(fake.peak()).toBe(2)
    expect(results.map(result => result.name)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(results.every(result => result.status === 'succeeded')).toBe(true)
  })

  it('starts every independent item at once when max-parallel allows', async () => {
    const fake = harness()
    const promise = runBatch([item('a'), item('b'), item('c')], { maxParallel: 4, signal, ...fake })
    await new Promise(resolve => setImmediate(resolve))
    expect([...fake.running]).toEqual(['a', 'b', 'c'])
    await fake.drain(promise)
  })

  it('runs an item only after what it needs, in dependency order', async () => {
    const fake = harness()
    await fake.drain(
      runBatch([item('deploy', 'build'), item('build', 'fetch'), item('fetch')], {
        maxParallel: 4,
        signal,
        ...fake
      })
    )
    expect(fake.started).toEqual(['fetch', 'build', 'deploy'])
  })

  it('skips what needs a failure, naming it, and down the chain; the rest finish', async () => {
    const fake = harness({ hfm: 'failed', slow: 'timed-out' })
    const results = await fake.drain(
      runBatch(
        [
          item('metadata'),
          item('hfm', 'metadata'),
          item('reports', 'hfm'),
          item('dashboards', 'reports'),
          item('independent'),
          item('slow'),
          item('after-slow', 'slow')
        ],
        { maxParallel: 3, signal, ...fake }
      )
    )
    expect(results.map(result => [result.name, result.status, result.message])).toEqual([
      ['metadata', 'succeeded', 'ran'],
      ['hfm', 'failed', 'ran'],
      ['reports', 'skipped', 'not run: it needs hfm, which failed'],
      ['dashboards', 'skipped', 'not run: it needs reports, which did not run (hfm failed)'],
      ['independent', 'succeeded', 'ran'],
      ['slow', 'timed-out', 'ran'],
      ['after-slow', 'skipped', 'not run: it needs slow, which timed out']
    ])
    expect(fake.started).not.toContain('reports')
  })

  it('with ignoreNeeds (a dry run), runs every item, a failure’s dependents too, up to max-parallel', async () => {
    const fake = harness({ hfm: 'failed' })
    const promise = runBatch([item('reports', 'hfm'), item('hfm'), item('dashboards', 'reports')], {
      maxParallel: 2,
      signal,
      ignoreNeeds: true,
      ...fake
    })
    await new Promise(resolve => setImmediate(resolve))
    // In the order given, not the order of needs: nothing waits for what it needs.
    expect([...fake.running]).toEqual(['reports', 'hfm'])
    const results = await fake.drain(promise)
    expect(fake.peak()).toBe(2)
    expect(results.map(result => [result.name, result.status, result.message])).toEqual([
      ['reports', 'succeeded', 'ran'],
      ['hfm', 'failed', 'ran'],
      ['dashboards', 'succeeded', 'ran']
    ])
  })

  it('runs what needs a platform no-op (skipped) or a detached job (started)', async () => {
    const fake = harness({ noop: 'skipped', detached: 'started' })
    const results = await fake.drain(
      runBatch([item('noop'), item('detached'), item('after', 'noop', 'detached')], {
        maxParallel: 2,
        signal,
        ...fake
      })
    )
    expect(results[2]).toMatchObject({ name: 'after', status: 'succeeded' })
  })

  it('starts nothing more once the run is cancelled', async () => {
    const fake = harness()
    const abort = new AbortController()
    const promise = runBatch([item('a'), item('b', 'a'), item('c')], {
      maxParallel: 1,
      signal: abort.signal,
      ...fake
    })
    await new Promise(resolve => setImmediate(resolve))
    abort.abort()
    const results = await fake.drain(promise)
    expect(results.map(result => [result.name, result.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'canceled'],
      ['c', 'canceled']
    ])
    expect(results[1]?.message).toBe('not started: the workflow run was cancelled')
  })

  it('counts a throw as a failure and ignores needs on names outside the batch', async () => {
    const results = await runBatch([item('a', 'elsewhere'), item('b', 'a')], {
      maxParallel: 2,
      signal,
      execute: () => Promise.reject(new Error('boom')),
      notRun: (batchItem, status, message): Fake => ({ name: batchItem.name, status, message })
    })
    expect(results).toEqual([
      { name: 'a', status: 'failed', message: 'failed unexpectedly: boom' },
      { name: 'b', status: 'skipped', message: 'not run: it needs a, which failed' }
    ])
  })

  it('skips what needs a canceled item, saying so', async () => {
    const fake = harness({ stopped: 'canceled' })
    const results = await fake.drain(
      runBatch([item('stopped'), item('next', 'stopped')], { maxParallel: 1, signal, ...fake })
    )
    expect(results[1]).toEqual({
      name: 'next',
      status: 'skipped',
      message: 'not run: it needs stopped, which was canceled'
    })
  })

  it('names the first failure down a long chain, and the direct need', async () => {
    const fake = harness({ a: 'failed' })
    const results = await fake.drain(
      runBatch([item('a'), item('b', 'a'), item('c', 'b'), item('d', 'x', 'c')], {
        maxParallel: 2,
        signal,
        ...fake
      })
    )
    expect(results.map(result => result.message)).toEqual([
      'ran',
      'not run: it needs a, which failed',
      'not run: it needs b, which did not run (a failed)',
      'not run: it needs c, which did not run (a failed)'
    ])
  })

  it('never hangs on a cycle the inputs let through: what is left fails, saying why', async () => {
    const fake = harness()
    const results = await fake.drain(
      runBatch([item('free'), item('a', 'b'), item('b', 'a')], { maxParallel: 2, signal, ...fake })
    )
    expect(results).toEqual([
      { name: 'free', status: 'succeeded', message: 'ran' },
      { name: 'a', status: 'failed', message: 'not run: its needs form a cycle' },
      { name: 'b', status: 'failed', message: 'not run: its needs form a cycle' }
    ])
  })

  it('resolves at once with nothing to run', async () => {
    await expect(runBatch([], { maxParallel: 1, signal, ...harness() })).resolves.toEqual([])
  })

  it('starts ready items in the order given, one at a time with max-parallel 1', async () => {
    const fake = harness()
    await fake.drain(
      runBatch([item('c', 'a'), item('b'), item('a'), item('d')], { maxParallel: 1, signal, ...fake })
    )
    expect(fake.started).toEqual(['b', 'a', 'c', 'd'])
    expect(fake.peak()).toBe(1)
  })
})
