import { describe, expect, it } from '@jest/globals'
import { MAX_TIMER_MS, sleepInChunks, systemClock } from '../../src/engine/clock.js'

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected'
    ),
    new Promise(resolve => setTimeout(() => resolve('pending'), 100))
  ])

describe('systemClock.sleep', () => {
  it.each([MAX_TIMER_MS + 1, 3 * 24 * 3_600_000 * 10, 2 ** 40, Infinity])(
    'waits %d ms instead of firing at once, until aborted',
    async ms => {
      const abort = new AbortController()
      const sleeping = systemClock.sleep(ms, abort.signal)
      expect(await settled(sleeping)).toBe('pending')
      abort.abort(new Error('stop'))
      await expect(sleeping).rejects.toThrow('stop')
    }
  )

  it('still ends a short sleep on time, and a zero sleep yields', async () => {
    const started = Date.now()
    await systemClock.sleep(30)
    expect(Date.now() - started).toBeGreaterThanOrEqual(25)
    await expect(systemClock.sleep(0)).resolves.toBeUndefined()
    await expect(systemClock.sleep(-5)).resolves.toBeUndefined()
  })
})

describe('sleepInChunks', () => {
  it('sleeps the whole length in timers no longer than the chunk', async () => {
    const started = Date.now()
    await sleepInChunks(120, undefined, 25)
    expect(Date.now() - started).toBeGreaterThanOrEqual(115)
  })

  it('rejects at once when the signal already aborted, and mid-way when it aborts later', async () => {
    await expect(sleepInChunks(10, AbortSignal.abort(new Error('before')), 5)).rejects.toThrow('before')
    const abort = new AbortController()
    const sleeping = sleepInChunks(10_000, abort.signal, 10)
    setTimeout(() => abort.abort(new Error('later')), 40)
    const started = Date.now()
    await expect(sleeping).rejects.toThrow('later')
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
