import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { getEventListeners } from 'node:events'
import { MAX_TIMER_MS, sleepInChunks, systemClock, VirtualClock } from '../../src/engine/clock.js'

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

describe('MAX_TIMER_MS', () => {
  it('is the longest delay Node keeps, a signed 32-bit count of ms', () => {
    // Node: "When delay is larger than 2147483647 or less than 1, the delay will be set to 1"
    // (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args)
    expect(MAX_TIMER_MS).toBe(2_147_483_647)
  })
})

describe('systemClock.now', () => {
  it('reads the system time', () => {
    const before = Date.now()
    const now = systemClock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })
})

/** Node's timers and Date replaced by jest's, so the ends of real sleeps are exact and instant. */
describe('sleepInChunks, in fake timers', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_700_000_000_000 })
  })
  afterEach(() => {
    jest.useRealTimers()
  })

  const track = (promise: Promise<void>) => {
    const state = { settled: 'pending' as 'pending' | 'resolved' | 'rejected' }
    promise.then(
      () => (state.settled = 'resolved'),
      () => (state.settled = 'rejected')
    )
    return state
  }

  it('ends exactly at its length, not a timer later, over several chunks', async () => {
    const sleeping = track(sleepInChunks(100, undefined, 30))
    await jest.advanceTimersByTimeAsync(99)
    expect(sleeping.settled).toBe('pending')
    await jest.advanceTimersByTimeAsync(1)
    expect(sleeping.settled).toBe('resolved')
  })

  it('ends exactly at its length in one timer when the chunk is longer', async () => {
    const sleeping = track(sleepInChunks(100, undefined, 1_000))
    await jest.advanceTimersByTimeAsync(99)
    expect(sleeping.settled).toBe('pending')
    await jest.advanceTimersByTimeAsync(1)
    expect(sleeping.settled).toBe('resolved')
  })

  it('leaves no abort listener on the run’s signal after sleeps that ended or were aborted', async () => {
    const run = new AbortController()
    for (const ms of [0, 10, 250]) {
      const sleeping = track(systemClock.sleep(ms, run.signal))
      await jest.advanceTimersByTimeAsync(ms)
      expect(sleeping.settled).toBe('resolved')
    }
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)

    const sleeping = systemClock.sleep(10_000, run.signal)
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1)
    run.abort(new Error('cancelled'))
    await expect(sleeping).rejects.toThrow('cancelled')
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
  })
})

describe('VirtualClock', () => {
  it('starts where it is told (0 by default) and moves only when advanced or slept', async () => {
    expect(new VirtualClock().now()).toBe(0)
    const clock = new VirtualClock(5_000)
    expect(clock.now()).toBe(5_000)
    clock.advance(250)
    expect(clock.now()).toBe(5_250)
    await clock.sleep(1_000)
    expect(clock.now()).toBe(6_250)
  })

  it('never goes back for a sleep of 0 or less', async () => {
    const clock = new VirtualClock(1_000)
    await clock.sleep(0)
    await clock.sleep(-400)
    expect(clock.now()).toBe(1_000)
  })

  it('rejects a sleep on an aborted signal without moving, and sleeps on a live one', async () => {
    const clock = new VirtualClock(1_000)
    await expect(clock.sleep(500, AbortSignal.abort(new Error('stopped')))).rejects.toThrow('stopped')
    expect(clock.now()).toBe(1_000)
    await clock.sleep(500, new AbortController().signal)
    expect(clock.now()).toBe(1_500)
  })
})
