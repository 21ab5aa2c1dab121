/**
 * The polling rows of `npm run bench`, in virtual time: status requests and how late the end is noticed,
 * for the schedule before issue 16 (the wait counted after each answer, no use of the percent), the engine's
 * (from each request's start, progress-aware) and a fixed 10-second loop (what vendors' sample code does).
 */
import type { RemoteStatus } from '../src/drivers/driver.js'
import { VirtualClock } from '../src/engine/clock.js'
import { nextPollDelay } from '../src/engine/interval.js'
import { pollUntilDone } from '../src/engine/poll.js'

export const MIN_INTERVAL_MS = 2000
export const MAX_INTERVAL_MS = 30_000
export const FIXED_INTERVAL_MS = 10_000

/** The percent a job reports at `t` ms of its `duration`, whole numbers rounded down as EPMware reports them. */
export type Shape = (t: number, duration: number) => number

export const SHAPES: Record<string, { shape: Shape; about: string }> = {
  linear: { shape: (t, d) => (100 * t) / d, about: 'percent rises linearly from 0 to 100' },
  queued: {
    shape: (t, d) => (t < d / 10 ? 0 : (100 * (t - d / 10)) / (0.9 * d)),
    about: 'at 0 % for the first 10 %, then linear (the EPMware simulator’s model)'
  },
  stalled: {
    shape: (t, d) => (t < d / 3 ? (150 * t) / d : t < (2 * d) / 3 ? 50 : 50 + (150 * (t - (2 * d) / 3)) / d),
    about: '0→50 % in the first third, stuck at 50 % in the second, 50→100 % in the last'
  },
  jumping: {
    shape: (t, d) => (t < d / 2 ? (50 * t) / d : 75 + (50 * (t - d / 2)) / d),
    about: '0→25 % in the first half, a jump to 75 %, 75→100 % in the second half'
  },
  'ends early': {
    shape: (t, d) => (50 * t) / d,
    about: 'rises as if for twice as long, then ends at 50 % (no warning in the percent)'
  }
}

export interface PollFigures {
  requests: number
  lateMs: number
}

/** A job of `duration` ms whose status read takes `latencyMs`: the server reads the state halfway. */
function job(clock: VirtualClock, duration: number, shape: Shape, latencyMs: number, withPercent: boolean) {
  let requests = 0
  const startedAt = clock.now()
  return {
    requests: () => requests,
    read: async (): Promise<RemoteStatus> => {
      requests++
      clock.advance(latencyMs / 2)
      const age = clock.now() - startedAt
      clock.advance(latencyMs - latencyMs / 2)
      if (age >= duration) return { state: 'succeeded', code: 'S', percent: withPercent ? 100 : undefined }
      const percent = Math.min(99, Math.floor(shape(age, duration)))
      return { state: 'running', code: 'R', percent: withPercent ? percent : undefined }
    }
  }
}

export type Schedule = 'before' | 'engine' | 'fixed'

/** One job followed by one schedule: the fixed loop and the one before issue 16 wait after each answer. */
export async function follow(
  schedule: Schedule,
  duration: number,
  shape: Shape,
  latencyMs: number
): Promise<PollFigures> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1))
  const startedAt = clock.now()
  const remote = job(clock, duration, shape, latencyMs, schedule === 'engine')
  if (schedule === 'engine') {
    const signal = new AbortController().signal
    const result = await pollUntilDone({
      clock,
      signal,
      deadline: startedAt + 8 * 3_600_000,
      startedAt,
      minIntervalMs: MIN_INTERVAL_MS,
      maxIntervalMs: MAX_INTERVAL_MS,
      read: remote.read,
      onStatus: () => undefined,
      onTransientError: () => undefined
    })
    if (result.kind !== 'ended') throw new Error(`job did not end: ${result.kind}`)
  } else {
    const [min, max] =
      schedule === 'fixed' ? [FIXED_INTERVAL_MS, FIXED_INTERVAL_MS] : [MIN_INTERVAL_MS, MAX_INTERVAL_MS]
    // The loop as it was before issue 16: the wait counted from each answer (src/engine/poll.ts at 9c1f7f1).
    for (;;) {
      await clock.sleep(nextPollDelay(clock.now() - startedAt, min, max))
      if ((await remote.read()).state !== 'running') break
    }
  }
  return { requests: remote.requests(), lateMs: clock.now() - (startedAt + duration) }
}

export interface Row {
  shape: string
  job: string
  latencyMs: number
  before: { requests: number; lateMs: number; worstMs: number }
  engine: { requests: number; lateMs: number; worstMs: number }
  fixed: { requests: number; lateMs: number; worstMs: number }
  /**
   * For the rows that must halve the requests: the fewest any schedule can make for the same job (mean over
   * the lengths), see leastRequests.
   */
  floor?: number
  target: string
  met: boolean
}

export const JOBS: [string, number][] = [
  ['10 s', 10_000],
  ['60 s', 60_000],
  ['10 min', 600_000],
  ['6 h', 6 * 3_600_000]
]
/**
 * Each job is run at twenty-four lengths spread over one read interval of the age rule at its end (10 % of its age,
 * within the bounds), so that no schedule is flattered by an end that happens to fall on one of its reads;
 * the figures are means (and the worst) over the twenty-four.
 */
export const STEPS = 24

function lengths(duration: number): number[] {
  const grid = nextPollDelay(duration, MIN_INTERVAL_MS, MAX_INTERVAL_MS)
  return Array.from({ length: STEPS }, (_, index) => duration + Math.round((grid * index) / STEPS))
}

/**
 * The fewest status reads any schedule can make for a job that honours the bounds: until a read sees the percent
 * move there is nothing to predict from, so reads follow the age rule (a job may end at any time); from then
 * on they are at most max-poll-interval apart (counted from each request's start) until one starts late enough
 * to see the end. However well a schedule predicts, it cannot make fewer.
 */
export function leastRequests(duration: number, shape: Shape, latencyMs: number): number {
  let at = 0
  let reads = 0
  for (;;) {
    at += nextPollDelay(at, MIN_INTERVAL_MS, MAX_INTERVAL_MS)
    reads++
    const seenAt = at + latencyMs / 2
    if (seenAt >= duration) return reads
    if (Math.floor(shape(seenAt, duration)) >= 1) break
  }
  return reads + Math.ceil((duration - latencyMs / 2 - at) / MAX_INTERVAL_MS)
}

async function summary(schedule: Schedule, duration: number, shape: Shape, latencyMs: number) {
  const runs = await Promise.all(lengths(duration).map(length => follow(schedule, length, shape, latencyMs)))
  return {
    requests: runs.reduce((sum, run) => sum + run.requests, 0) / runs.length,
    lateMs: runs.reduce((sum, run) => sum + run.lateMs, 0) / runs.length,
    worstMs: Math.max(...runs.map(run => run.lateMs))
  }
}

/**
 * Targets (issue 16): linear percent, 10 s–10 min jobs: at most half the requests of the schedule before, the
 * end noticed no later (mean over the lengths); every shape and length: never later than before, except
 * a job that ends with no warning in its percent, which is noticed within max-poll-interval plus one read.
 */
export async function pollingRows(latencies: number[]): Promise<Row[]> {
  const rows: Row[] = []
  for (const latencyMs of latencies) {
    for (const [name, { shape }] of Object.entries(SHAPES)) {
      for (const [label, duration] of JOBS) {
        const [before, engine, fixed] = await Promise.all([
          summary('before', duration, shape, latencyMs),
          summary('engine', duration, shape, latencyMs),
          summary('fixed', duration, shape, latencyMs)
        ])
        // Mean lateness is compared within the spacing of the sampled ends (its sampling error).
        const tolerance = nextPollDelay(duration, MIN_INTERVAL_MS, MAX_INTERVAL_MS) / STEPS
        const noLater = engine.lateMs <= before.lateMs + tolerance
        const bounded = engine.worstMs <= MAX_INTERVAL_MS + latencyMs
        const halves = name === 'linear' && duration <= 600_000
        let target: string
        let met: boolean
        if (name === 'ends early') {
          target = 'worst ≤ max-poll-interval + latency'
          met = bounded
        } else if (halves) {
          target = 'requests ≤ ½ before, late ≤ before'
          met = engine.requests <= before.requests / 2 && noLater && bounded
        } else {
          target = 'late ≤ before'
          met = noLater && bounded
        }
        const floor = halves
          ? lengths(duration).reduce((sum, length) => sum + leastRequests(length, shape, latencyMs), 0) /
            STEPS
          : undefined
        rows.push({ shape: name, job: label, latencyMs, before, engine, fixed, floor, target, met })
      }
    }
  }
  return rows
}
