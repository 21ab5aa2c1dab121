import { describe, expect, it } from '@jest/globals'
import type { RemoteStatus } from '../../src/drivers/driver.js'
import { VirtualClock } from '../../src/engine/clock.js'
import { pollUntilDone, type PollOptions } from '../../src/engine/poll.js'
import { ActionError } from '../../src/errors.js'
import {
  LOOKBACK,
  nextReadAt,
  predictEnd,
  SKIP_SHARE,
  type ProgressReading
} from '../../src/engine/schedule.js'

/** Every time here is offset from T0, so that age and start-time arithmetic is pinned. */
const T0 = 1_000_000
const MIN = 2000
const MAX = 30_000

const at = (ms: number, percent: number): ProgressReading => ({ at: T0 + ms, percent })

function schedule(from: number, readings: ProgressReading[] = [], startedAt = T0): number {
  return nextReadAt({ from: T0 + from, startedAt, minMs: MIN, maxMs: MAX, readings }) - T0
}

describe('nextReadAt without a prediction: the age rule from the previous request’s start', () => {
  it('reads after poll-interval while the job is young, 10 % of its age later, never over the maximum', () => {
    expect(schedule(0)).toBe(2000)
    expect(schedule(19_990)).toBe(19_990 + 2000)
    expect(schedule(20_010)).toBe(20_010 + 2001)
    expect(schedule(50_000)).toBe(55_000)
    expect(schedule(299_990)).toBe(299_990 + 29_999)
    expect(schedule(6 * 3_600_000)).toBe(6 * 3_600_000 + 30_000)
  })

  it('counts the age from the job’s start, not from the clock’s zero', () => {
    expect(schedule(0, [], T0 - 100_000)).toBe(10_000)
  })

  it('does not predict from one reading of 0 % (queued, or slow: the age rule decides)', () => {
    expect(schedule(2000, [at(2000, 0)])).toBe(4000)
  })

  it('does not predict when the latest reading did not move (a stall)', () => {
    expect(schedule(50_000, [at(2000, 20), at(50_000, 20)])).toBe(55_000)
  })
})

describe('nextReadAt with a prediction', () => {
  it('reads once at the latest predicted end when the window is narrow (a 10 s job, 20 % after 2 s)', () => {
    // The start counts as 0 %: 20 % after 2 s is 19–21 % in 2 s; 100 % then comes 7.52–8.42 s later.
    expect(schedule(2000, [at(2000, 20)])).toBeCloseTo(2000 + (80 * 2000) / 19, 6)
  })

  it('steps a fifth of the way toward the earliest end when the window is wider than half the slack', () => {
    // 10 % after 2 s: 9–11 % in 2 s, so the earliest end is 18.18 s, the latest 22 s: 3.8 s apart, over half
    // of the 2 s slack; a fifth of the way to 18.18 s (5.24 s) is later than the age rule's 4 s.
    expect(SKIP_SHARE).toBe(1 / 5)
    expect(schedule(2000, [at(2000, 10)])).toBeCloseTo(2000 + (89 * 2000) / 11 / 5, 6)
  })

  it('keeps to the age rule when a fifth of the way would read sooner (18 % after 2 s)', () => {
    // The earliest end 10.53 s: a fifth of the 8.53 s to it (3.71 s) is before the age rule's 4 s.
    expect(schedule(2000, [at(2000, 18)])).toBe(4000)
  })

  it('never waits over max-poll-interval, however far the end', () => {
    // 1 % after 4 s: the end is 200 s away at the earliest.
    expect(schedule(4000, [at(4000, 1)])).toBe(4000 + MAX)
  })

  it('never reads before poll-interval, however near the end', () => {
    // 99 % after 10 s: the latest end is 0.1 s away.
    expect(schedule(10_000, [at(10_000, 99)])).toBe(10_000 + MIN)
  })

  it('falls back to the age rule when stepping toward the earliest end would read sooner', () => {
    // 89 % then 90 %, 5 s apart, after 100 s: the line from the start no longer fits, the last two allow
    // 0–0.4 %/s, so the end is at least 22.5 s away: a fifth of that is under the age rule's 10 s.
    expect(schedule(100_000, [at(90_000, 88), at(95_000, 89), at(100_000, 90)])).toBe(110_000)
  })

  it('reads at the latest end when the window is exactly half the slack', () => {
    // 19 % after 0.4 s: the end between 2.0 and 2.2 s, 0.2 s apart; the slack there is poll-interval, 0.4 s.
    const next = (readings: ProgressReading[]) =>
      nextReadAt({ from: 400, startedAt: 0, minMs: 400, maxMs: MAX, readings })
    expect(
      predictEnd([
        { at: 0, percent: 0 },
        { at: 400, percent: 19 }
      ])
    ).toEqual({ earliest: 2000, latest: 2200 })
    expect(next([{ at: 400, percent: 19 }])).toBe(2200)
  })

  it('schedules from the previous request’s start, not from the reading’s time', () => {
    // The same 20 % reading, the request having started 300 ms before it: the read time stays where
    // the prediction puts it; only the bounds are counted from the request's start.
    expect(schedule(1850, [at(2000, 20)])).toBeCloseTo(2000 + (80 * 2000) / 19, 6)
    expect(schedule(1850, [at(2000, 99)])).toBe(1850 + MIN)
  })
})

describe('predictEnd', () => {
  const start = { at: 0, percent: 0 }

  it('needs two readings, the latest higher than the one before', () => {
    expect(predictEnd([])).toBeUndefined()
    expect(predictEnd([start])).toBeUndefined()
    expect(predictEnd([start, { at: 2000, percent: 0 }])).toBeUndefined()
    expect(
      predictEnd([
        { at: 0, percent: 30 },
        { at: 2000, percent: 20 }
      ])
    ).toBeUndefined()
  })

  it('gives the window that whole-number readings allow: a reading p is p to p + 1 %', () => {
    const end = predictEnd([start, { at: 2000, percent: 20 }])
    expect(end?.earliest).toBeCloseTo(2000 + (79 * 2000) / 21, 6)
    expect(end?.latest).toBeCloseTo(2000 + (80 * 2000) / 19, 6)
  })

  it('narrows the window with every reading on the same line', () => {
    const end = predictEnd([start, { at: 2000, percent: 20 }, { at: 5000, percent: 50 }])
    // From 2 s: 29–31 % in 3 s; from the start: 49–51 % in 5 s, the narrower of the two.
    expect(end?.earliest).toBeCloseTo(5000 + 49 / (51 / 5000), 6)
    expect(end?.latest).toBeCloseTo(5000 + 50 / (49 / 5000), 6)
  })

  it('has no latest end while the slowest rate that fits is zero', () => {
    const end = predictEnd([start, { at: 4000, percent: 1 }])
    expect(end).toEqual({ earliest: 4000 + 98 / (2 / 4000), latest: Number.POSITIVE_INFINITY })
  })

  it('has no latest end when 99 % became 100 % (the slowest rate that fits is zero)', () => {
    expect(
      predictEnd([
        { at: 0, percent: 99 },
        { at: 1000, percent: 100 }
      ])
    ).toEqual({
      earliest: 1000,
      latest: Number.POSITIVE_INFINITY
    })
  })

  it('keeps a window of one rate when the readings allow exactly one', () => {
    // From 0 s: 2–4 % in 2 s; from 1 s: 2–4 % in 1 s. Only 2 % a second fits both: 0.002 per ms.
    const end = predictEnd([start, { at: 1000, percent: 0 }, { at: 2000, percent: 3 }])
    expect(end).toEqual({ earliest: 2000 + 96 / 0.002, latest: 2000 + 97 / 0.002 })
  })

  it('puts the earliest end at the latest reading once it shows 99 % or more', () => {
    expect(predictEnd([start, { at: 10_000, percent: 99 }])?.earliest).toBe(10_000)
    expect(predictEnd([start, { at: 10_000, percent: 100 }])).toEqual({ earliest: 10_000, latest: 10_000 })
  })

  it('starts afresh after the percent fell (a new phase)', () => {
    const end = predictEnd([
      start,
      { at: 2000, percent: 50 },
      { at: 4000, percent: 10 },
      { at: 6000, percent: 30 }
    ])
    expect(end?.earliest).toBeCloseTo(6000 + 69 / (21 / 2000), 6)
    expect(end?.latest).toBeCloseTo(6000 + 70 / (19 / 2000), 6)
  })

  it('drops the readings before a bend, and the last one that still fitted', () => {
    const readings = [start, 20, 40, 60, 90, 93, 96].map((percent, index) =>
      typeof percent === 'number' ? { at: index * 2000, percent } : percent
    )
    // 60 % at 6 s does not fit a line through 90, 93 and 96 %; 90 % at 8 s fits it, but is dropped too.
    expect(predictEnd(readings)).toEqual({
      earliest: 12_000 + 3 / (4 / 2000),
      latest: 12_000 + 4 / (2 / 2000)
    })
  })

  it('finds no prediction when only the latest reading is left after a bend', () => {
    const readings = [start, { at: 2000, percent: 20 }, { at: 4000, percent: 40 }, { at: 6000, percent: 90 }]
    expect(predictEnd(readings)).toBeUndefined()
  })

  it(`looks back ${LOOKBACK} readings at most`, () => {
    // 1 % a second for a minute, each reading exact: the window is as narrow as 50 readings back allow.
    const readings = Array.from({ length: 61 }, (_, index) => ({ at: index * 1000, percent: index }))
    const end = predictEnd(readings)
    expect(end?.earliest).toBeCloseTo(60_000 + 39 / (51 / 50 / 1000), 6)
    expect(end?.latest).toBeCloseTo(60_000 + 40 / (49 / 50 / 1000), 6)
  })
})

/*
 * The poll loop with the schedule, in virtual time. A read takes `latency` ms of virtual time; the server
 * looks at the job at `sampleAt` of that (0: when the request arrives, 1: just before it answers).
 */
type Shape = (age: number) => number | undefined

function remoteJob(
  clock: VirtualClock,
  options: { endsAt: number; latency?: number; sampleAt?: number; percent?: Shape }
) {
  const starts: number[] = []
  const latency = options.latency ?? 0
  const sampleAt = options.sampleAt ?? 0.5
  return {
    starts,
    read: async (): Promise<RemoteStatus> => {
      starts.push(clock.now())
      clock.advance(latency * sampleAt)
      const now = clock.now()
      clock.advance(latency - latency * sampleAt)
      if (now >= options.endsAt) return { state: 'succeeded', code: 'S' }
      const percent = options.percent?.(now - T0)
      return { state: 'running', code: 'R', ...(percent === undefined ? {} : { percent }) }
    }
  }
}

function pollOptions(
  clock: VirtualClock,
  read: PollOptions['read'],
  overrides: Partial<PollOptions> = {}
): PollOptions {
  return {
    clock,
    signal: new AbortController().signal,
    deadline: T0 + 8 * 3_600_000,
    startedAt: T0,
    minIntervalMs: MIN,
    maxIntervalMs: MAX,
    read,
    onStatus: () => undefined,
    onTransientError: () => undefined,
    ...overrides
  }
}

describe('pollUntilDone with slow status reads', () => {
  it('starts each read on the schedule counted from the previous request’s start', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 9000, latency: 300 })
    await pollUntilDone(pollOptions(clock, job.read))
    expect(job.starts.map(start => start - T0)).toEqual([2000, 4000, 6000, 8000, 10_000])
    expect(clock.now()).toBe(T0 + 10_300)
  })

  it('keeps an old job’s reads max-poll-interval apart, start to start', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 100_000, latency: 300 })
    await pollUntilDone(pollOptions(clock, job.read, { startedAt: T0 - 6 * 3_600_000 }))
    expect(job.starts.map(start => start - T0)).toEqual([30_000, 60_000, 90_000, 120_000])
  })

  it('reads again at once when a read took longer than the wait', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 9000, latency: 2500 })
    await pollUntilDone(pollOptions(clock, job.read))
    expect(job.starts.map(start => start - T0)).toEqual([2000, 4500, 7000, 9500])
  })

  it.each([
    ['10 s', 10_000],
    ['60 s', 60_000],
    ['10 min', 600_000],
    ['6 h', 6 * 3_600_000]
  ])(
    'notices a %s job within max(poll-interval, 10 %% of its age), the server looking just before it answers',
    async (_, duration) => {
      for (const extra of [1, 777, 1999]) {
        const clock = new VirtualClock(T0)
        const endsAt = T0 + duration + extra
        const job = remoteJob(clock, { endsAt, latency: 300, sampleAt: 1 })
        await pollUntilDone(pollOptions(clock, job.read))
        const bound = Math.min(MAX, Math.max(MIN, 0.1 * (endsAt - T0)))
        expect(clock.now() - endsAt).toBeLessThanOrEqual(bound)
        expect(clock.now() - endsAt).toBeGreaterThan(0)
      }
    }
  )

  it.each([0, 0.5, 1])(
    'notices a 6 h job within max-poll-interval plus one read, wherever in the read the server looks (%s)',
    async sampleAt => {
      for (const extra of [1, 150, 299, 17_001]) {
        const clock = new VirtualClock(T0)
        const endsAt = T0 + 6 * 3_600_000 + extra
        const job = remoteJob(clock, { endsAt, latency: 300, sampleAt })
        await pollUntilDone(pollOptions(clock, job.read))
        expect(clock.now() - endsAt).toBeLessThanOrEqual(MAX + 300)
      }
    }
  )

  it('stops when the run was cancelled during a read that left no wait before the next', async () => {
    const clock = new VirtualClock(T0)
    const controller = new AbortController()
    let reads = 0
    const result = await pollUntilDone(
      pollOptions(
        clock,
        async () => {
          clock.advance(2500)
          if (++reads === 2) controller.abort()
          return { state: 'running', code: 'R' }
        },
        { signal: controller.signal }
      )
    )
    expect(result.kind).toBe('aborted')
    expect(reads).toBe(2)
  })

  it('counts a failed read’s start for the next one too', async () => {
    const clock = new VirtualClock(T0)
    const starts: number[] = []
    await pollUntilDone(
      pollOptions(clock, async () => {
        starts.push(clock.now() - T0)
        clock.advance(300)
        if (starts.length < 3) throw new ActionError('HTTP 503', { transient: true })
        return { state: 'succeeded', code: 'S' }
      })
    )
    expect(starts).toEqual([2000, 4000, 6000])
  })
})

describe('pollUntilDone with percent complete', () => {
  const linear =
    (duration: number): Shape =>
    age =>
      Math.min(99, Math.floor((100 * age) / duration))

  it('reads a 10 s job whose percent rises linearly twice: once to learn the rate, once at its end', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 10_000, percent: linear(10_000) })
    const result = await pollUntilDone(pollOptions(clock, job.read))
    expect(result.kind).toBe('ended')
    expect(job.starts).toHaveLength(2)
    expect(job.starts[0]).toBe(T0 + 2000)
    expect((job.starts[1] as number) - T0).toBeCloseTo(2000 + (80 * 2000) / 19, 6)
  })

  it('takes the reading’s time as the middle of its request', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 10_000, latency: 300, percent: linear(10_000) })
    await pollUntilDone(pollOptions(clock, job.read))
    // Read from 2.0 s to 2.3 s, 21 % (the server looked at 2.15 s): a reading of 21 % at 2.15 s.
    expect((job.starts[1] as number) - T0).toBeCloseTo(2150 + (79 * 2150) / 20, 6)
  })

  it('reads a 10 min linear job about every max-poll-interval and once at its end: 23 reads', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 600_000, percent: linear(600_000) })
    await pollUntilDone(pollOptions(clock, job.read))
    expect(job.starts.slice(0, 5).map(start => start - T0)).toEqual([2000, 4000, 6000, 36_000, 66_000])
    expect(job.starts).toHaveLength(23)
    expect(clock.now() - (T0 + 600_000)).toBeLessThan(MIN)
  })

  it('goes back to the age rule while the percent stalls, and predicts again once it moves', async () => {
    const clock = new VirtualClock(T0)
    // 20 % after 2 s as if the job took 10 s, then stuck at 20 % until 30 s, then 5 % a second.
    const stalled: Shape = age =>
      age < 30_000 ? Math.min(20, Math.floor(age / 100)) : 20 + Math.floor((age - 30_000) / 200)
    const job = remoteJob(clock, { endsAt: T0 + 46_000, percent: stalled })
    await pollUntilDone(pollOptions(clock, job.read))
    const starts = job.starts.map(start => start - T0)
    // 2 s: 20 %, the latest end 10.42 s; there 20 % still: the age rule from 10.42 s (2 s), and on at 10 %.
    expect(starts[0]).toBe(2000)
    expect(starts[1]).toBeCloseTo(2000 + (80 * 2000) / 19, 6)
    expect(starts[2]).toBeCloseTo((starts[1] as number) + 2000, 6)
    expect(starts.at(-1) as number).toBeGreaterThanOrEqual(46_000)
    expect(clock.now() - (T0 + 46_000)).toBeLessThanOrEqual(0.1 * 46_000)
  })

  it('notices a job that ends with no warning in its percent within max-poll-interval', async () => {
    const clock = new VirtualClock(T0)
    // Rises as if for 20 min, then ends at 5 min.
    const job = remoteJob(clock, { endsAt: T0 + 300_000, latency: 300, percent: linear(1_200_000) })
    await pollUntilDone(pollOptions(clock, job.read))
    expect(clock.now() - (T0 + 300_000)).toBeLessThanOrEqual(MAX + 300)
  })

  it('ignores a status without a percent, or with one outside 0–100, as a reading', async () => {
    for (const bad of [undefined, -1, 101, Number.NaN, Number.POSITIVE_INFINITY]) {
      const clock = new VirtualClock(T0)
      const percents = [bad, 50]
      const job = remoteJob(clock, {
        endsAt: T0 + 50_000,
        percent: () => (percents.length ? percents.shift() : 50)
      })
      await pollUntilDone(pollOptions(clock, job.read, { startedAt: T0 - 100_000 }))
      // After 110 s no reading: the age rule (11 s). 50 % after 121 s from the start alone: the end at
      // 237–244 s, narrow enough: the latest, capped at max-poll-interval (30 s).
      expect(job.starts.map(start => start - T0)).toEqual([10_000, 21_000, 51_000])
    }
  })

  it('takes 0 % as a reading: a bend when the percent then moves', async () => {
    const clock = new VirtualClock(T0)
    const percents = [0, 30]
    const job = remoteJob(clock, { endsAt: T0 + 40_000, percent: () => percents.shift() ?? 30 })
    await pollUntilDone(pollOptions(clock, job.read, { startedAt: T0 - 100_000 }))
    // 0 % after 110 s, 30 % after 121 s: no line through the start fits both, so the age rule (12.1 s);
    // without the 0 % reading the rate from the start would put the end minutes away (max-poll-interval).
    expect(job.starts.slice(0, 3).map(start => start - T0)).toEqual([10_000, 21_000, 33_100])
  })

  it('takes 100 % as a reading: the end is due, read again after poll-interval', async () => {
    const clock = new VirtualClock(T0)
    const job = remoteJob(clock, { endsAt: T0 + 11_000, percent: () => 100 })
    await pollUntilDone(pollOptions(clock, job.read, { startedAt: T0 - 100_000 }))
    expect(job.starts.map(start => start - T0)).toEqual([10_000, 12_000])
  })

  it('still waits as long as the driver says when it knows when to look again', async () => {
    const clock = new VirtualClock(T0)
    const reads: number[] = []
    await pollUntilDone(
      pollOptions(clock, async () => {
        reads.push(clock.now() - T0)
        clock.advance(300)
        return reads.length < 3
          ? { state: 'running', code: 'R', percent: reads.length * 40, nextReadInMs: 3_600_000 }
          : { state: 'succeeded', code: 'S' }
      })
    )
    expect(reads).toEqual([2000, 2300 + 3_600_000, 2600 + 2 * 3_600_000])
  })
})
