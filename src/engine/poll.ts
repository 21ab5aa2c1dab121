import { ActionError, toActionError } from '../errors.js'
import type { RemoteStatus } from '../drivers/driver.js'
import type { Clock } from './clock.js'
import { nextReadAt, type ProgressReading } from './schedule.js'

export interface PollOptions {
  clock: Clock
  /** Aborted when the run is cancelled. */
  signal: AbortSignal
  /** Clock time at which the job counts as timed out. */
  deadline: number
  /** Clock time the job started, from which its age is counted. */
  startedAt: number
  minIntervalMs: number
  maxIntervalMs: number
  /** How long reads may keep failing with passing faults before the step gives up. */
  transientToleranceMs?: number
  read(signal: AbortSignal): Promise<RemoteStatus>
  onStatus(status: RemoteStatus): void
  onTransientError(error: ActionError): void
}

export type PollResult =
  | { kind: 'ended'; status: RemoteStatus }
  | { kind: 'timed-out'; last?: RemoteStatus }
  | { kind: 'aborted'; last?: RemoteStatus }

const DEFAULT_TRANSIENT_TOLERANCE_MS = 5 * 60_000

/**
 * Reads the job's status until it ends, the deadline passes or the run is cancelled. Passing faults
 * (network, 5xx, 429 after the client's own retries) are tolerated for a while; anything else ends the
 * step with the error.
 */
export async function pollUntilDone(options: PollOptions): Promise<PollResult> {
  const { clock, signal, deadline } = options
  const tolerance = options.transientToleranceMs ?? DEFAULT_TRANSIENT_TOLERANCE_MS
  let last: RemoteStatus | undefined
  let failingSince: number | undefined
  // Each read is scheduled from the previous request's start, so a slow answer does not push the next one out.
  let from = clock.now()
  const readings: ProgressReading[] = []
  for (;;) {
    if (signal.aborted) return { kind: 'aborted', last }
    const readAt =
      last?.nextReadInMs !== undefined
        ? clock.now() + last.nextReadInMs
        : nextReadAt({
            from,
            startedAt: options.startedAt,
            minMs: options.minIntervalMs,
            maxMs: options.maxIntervalMs,
            readings
          })
    const wait = Math.min(readAt, deadline) - clock.now()
    if (wait > 0) {
      try {
        await clock.sleep(wait, signal)
      } catch {
        return { kind: 'aborted', last }
      }
    }
    if (clock.now() >= deadline) return { kind: 'timed-out', last }
    from = clock.now()
    try {
      last = await options.read(signal)
      failingSince = undefined
    } catch (error) {
      if (signal.aborted) return { kind: 'aborted', last }
      const failure = toActionError(error)
      if (clock.now() >= deadline) return { kind: 'timed-out', last }
      if (!failure.transient) throw failure
      failingSince ??= clock.now()
      if (clock.now() - failingSince >= tolerance) {
        throw new ActionError(
          `${failure.message} (status reads kept failing for ${Math.round(tolerance / 1000)}s)`,
          {
            hint: failure.hint,
            httpStatus: failure.httpStatus
          }
        )
      }
      options.onTransientError(failure)
      continue
    }
    options.onStatus(last)
    // The server read the state somewhere between request and answer: the middle is the best guess.
    if (isPercent(last.percent)) readings.push({ at: (from + clock.now()) / 2, percent: last.percent })
    if (last.state !== 'running') return { kind: 'ended', status: last }
  }
}

/** A percent complete the schedule can use: a number from 0 to 100 (anything else is ignored). */
function isPercent(percent: number | undefined): percent is number {
  return percent !== undefined && Number.isFinite(percent) && percent >= 0 && percent <= 100
}
