import { nextPollDelay } from './interval.js'

/** A reading of the job's percent complete (0–100) and the clock time it holds for (mid-request). */
export interface ProgressReading {
  at: number
  percent: number
}

export interface ScheduleInput {
  /** Clock time the previous status request started (before the first read: when polling began). */
  from: number
  /** Clock time the job started, from which its age is counted. */
  startedAt: number
  minMs: number
  maxMs: number
  /**
   * The percent readings so far, oldest first (none when the platform reports no percent). The job's start
   * counts as a reading of 0 %; a job already under way (`await`) shows a bend there, handled like any bend.
   */
  readings: readonly ProgressReading[]
}

/** The window in which a job whose percent keeps rising at its observed rate reaches 100 %. */
export interface PredictedEnd {
  earliest: number
  latest: number
}

/**
 * How many readings back the rate is looked for: enough for a steady estimate, and a bounded cost per read
 * however long the job runs.
 */
export const LOOKBACK = 50

/**
 * While the predicted end is uncertain, a read is skipped toward it by this share of the time left: a job
 * that runs up to five times faster than its percent said (a jump) is still read before it ends. A fifth,
 * not a quarter: `npm run bench` measured a quarter noticing a 10 s job that jumps from 25 % to 75 % 0.2 s
 * later on average than the schedule before issue 16, and a fifth 0.1 s earlier, at the same requests for
 * every linear job.
 */
export const SKIP_SHARE = 1 / 5

/**
 * When the next status request starts. Without a prediction, the age rule counted from the previous
 * request's start: 10 % of the job's age, never under `minMs` nor over `maxMs`, so an end is seen by a
 * request that starts within max(min, 10 % of the age) of it, however long each request takes. With a
 * prediction (the percent kept rising), reads that cannot see the end are skipped: the next one starts at
 * the latest predicted end when the window is narrow (at most half of what the age rule allows there), else
 * a fifth of the way to the earliest predicted end if that is later than the age rule's read. Always
 * between `from + minMs` and `from + maxMs`.
 */
export function nextReadAt(input: ScheduleInput): number {
  const { from, startedAt, minMs, maxMs } = input
  const byAge = from + nextPollDelay(from - startedAt, minMs, maxMs)
  const end = predictEnd([{ at: startedAt, percent: 0 }, ...input.readings])
  if (!end) return byAge
  const slack = nextPollDelay(end.earliest - startedAt, minMs, maxMs)
  const target =
    end.latest - end.earliest <= slack / 2
      ? end.latest
      : Math.max(byAge, from + (end.earliest - from) * SKIP_SHARE)
  return Math.min(from + maxMs, Math.max(from + minMs, target))
}

/**
 * When the job reaches 100 % if its percent keeps rising at the rate the latest readings show. Percent
 * values are taken as whole numbers rounded down, so a reading p means a true value in [p, p + 1) (ASSUMED:
 * EPMware documents `percentCompleted` as a string with no precision, docs/platforms/epmware.md; a value
 * with decimals only makes the window wider than it need be). The rate is the range
 * that the readings of the current stretch allow, walking back from the latest one while one straight line
 * still fits them all; a stretch ends at a reading whose percent fell (a new phase) or that no longer fits
 * (a stall, a jump): then the oldest reading that still fitted is dropped too, as the bend may lie after it.
 * No prediction when the latest reading did not move (the job may have stalled: the age rule applies) or
 * when fewer than two readings remain.
 */
export function predictEnd(readings: readonly ProgressReading[]): PredictedEnd | undefined {
  const lastIndex = readings.length - 1
  const last = readings[lastIndex]
  const before = readings[lastIndex - 1]
  if (!last || !before || last.percent <= before.percent) return undefined
  let first = lastIndex
  for (let index = lastIndex - 1; index >= Math.max(0, lastIndex - LOOKBACK); index--) {
    if ((readings[index] as ProgressReading).percent > (readings[index + 1] as ProgressReading).percent) break
    if (!rateRange(readings, index, lastIndex)) {
      first++
      break
    }
    first = index
  }
  const rate = rateRange(readings, first, lastIndex)
  if (!rate) return undefined
  const [slowest, fastest] = rate
  const earliest = last.at + Math.max(0, 99 - last.percent) / fastest
  const latest = slowest > 0 ? last.at + (100 - last.percent) / slowest : Number.POSITIVE_INFINITY
  return { earliest, latest }
}

/**
 * The rates (percent per ms) of the straight lines through readings[first..last], each within its rounding,
 * as seen from the last reading: undefined when none fits or fewer than two readings are given.
 */
function rateRange(
  readings: readonly ProgressReading[],
  first: number,
  last: number
): [number, number] | undefined {
  const end = readings[last] as ProgressReading
  let slowest = 0
  let fastest = Number.POSITIVE_INFINITY
  for (let index = first; index < last; index++) {
    const reading = readings[index] as ProgressReading
    const elapsed = end.at - reading.at
    slowest = Math.max(slowest, (end.percent - reading.percent - 1) / elapsed)
    fastest = Math.min(fastest, (end.percent + 1 - reading.percent) / elapsed)
  }
  return first < last && slowest <= fastest ? [slowest, fastest] : undefined
}
