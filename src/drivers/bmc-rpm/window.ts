import { ActionError } from '../../errors.js'
import { formatDuration } from '../../text/duration.js'
import type { Behavior } from './schemas.js'
import type { RpmTime } from './time.js'

/** What the gate needs to know of an event. */
export interface WindowFacts {
  id: string
  state: string
  reason?: string | null
  start: RpmTime
  finish: RpmTime
  behavior: Behavior
  /** `series 'Allow DW Test series', environment 'QA'`, for messages. */
  about?: string
}

export type WindowVerdict =
  /** Deployment is allowed now; `closesAt` when that ends (an allow window's finish, a prevent window's start). */
  | { open: true; closesAt?: RpmTime }
  /** Not now; `opensAt` when it will be, or nothing when only resuming the event would open it. */
  | { open: false; opensAt?: RpmTime; suspended?: boolean; unknownState?: string }
  /** An allow window that has finished: it will not open again. */
  | { open: false; passed: true }

export interface WindowDecision {
  verdict: WindowVerdict
  /** One sentence on why, with the times as RPM gave them. */
  message: string
}

const SUSPENDED = 'suspended'

/**
 * The states RPM documents (REST deployment window events page, editable attribute `state`; RPM model
 * `DeploymentWindow::Event::STATES`). Any other state is not taken as open: an allow window in it does not
 * permit deployment, a prevent window in it still forbids.
 */
export const KNOWN_STATES: readonly string[] = ['created', 'suspended', 'resumed', 'moved']

/**
 * An event that finishes before it starts is a malformed answer, never a window: an inverted freeze window
 * would otherwise let every deployment through. RPM itself refuses such an event on update ("Finish date is
 * before Start date", `DeploymentWindow::Event#check_finish_before_past`), so a server that sends one is
 * broken or customised.
 */
export function assertWellFormed(id: string, start: RpmTime, finish: RpmTime, what = 'answer'): void {
  if (finish.ms >= start.ms) return
  throw new ActionError(
    `RPM's ${what} for deployment window event ${id} is malformed: it finishes (finish_at ${finish.text}) before it starts (start_at ${start.text}); the window is not trusted either way`,
    {
      hint: 'Check the event in RPM (Environment > Deployment windows): RPM does not allow an event to finish before it starts.'
    }
  )
}

/**
 * The rule of the gate. An `allow` event permits deployment only while now ∈ [start_at, finish_at) and the
 * event is not suspended. A `prevent` event forbids deployment only while now is inside it and it is not
 * suspended: outside it, or suspended, deployment is open (BMC, "Managing deployment windows": users cannot
 * access the environment during a prevent window; RPM model `DeploymentWindow::Event`, scope `active`
 * = not suspended).
 */
export function decideWindow(window: WindowFacts, now: number): WindowDecision {
  const { start, finish } = window
  assertWellFormed(window.id, start, finish)
  const suspended = window.state === SUSPENDED
  const known = KNOWN_STATES.includes(window.state)
  const name = `Deployment window event ${window.id}${window.about ? ` (${window.about})` : ''}`
  const span = `from ${start.text} until ${finish.text}`
  const why = window.reason ? ` (reason: ${window.reason})` : ''
  const before = now < start.ms
  const inside = !before && now < finish.ms
  const after = now >= finish.ms

  if (window.behavior === 'allow') {
    if (after) {
      return {
        verdict: { open: false, passed: true },
        message: `${name} has passed: the allow window ran ${span} (ended ${ago(finish, now)}); it will not open again`
      }
    }
    if (!known) {
      return {
        verdict: { open: false, unknownState: window.state },
        message: `${name} is in state '${window.state}', which RPM does not document (${KNOWN_STATES.join(', ')}): not taken as open; the allow window runs ${span}`
      }
    }
    if (suspended) {
      return {
        verdict: { open: false, suspended: true },
        message: `${name} is suspended${why}: no deployment until it is resumed; the allow window runs ${span}`
      }
    }
    if (before) {
      return {
        verdict: { open: false, opensAt: start },
        message: `${name} is not open yet: the allow window opens at ${start.text} (${until(start, now)}) and closes at ${finish.text}`
      }
    }
    return {
      verdict: { open: true, closesAt: finish },
      message: `${name} is open: the allow window runs ${span} (closes ${until(finish, now)})`
    }
  }

  if (suspended) {
    return {
      verdict: { open: true },
      message: `${name} allows deployment: its prevent window ${span} is suspended${why}`
    }
  }
  if (inside) {
    const state = known ? '' : ` (state '${window.state}', which RPM does not document, is taken as in force)`
    return {
      verdict: { open: false, opensAt: finish },
      message: `${name} forbids deployment now${state}: the prevent window runs ${span}; deployment is allowed again at ${finish.text} (${until(finish, now)})`
    }
  }
  if (before) {
    return {
      verdict: { open: true, closesAt: start },
      message: `${name} allows deployment: the prevent window starts at ${start.text} (${until(start, now)})`
    }
  }
  return {
    verdict: { open: true },
    message: `${name} allows deployment: the prevent window ran ${span} and has ended`
  }
}

function until(time: RpmTime, now: number): string {
  return `in ${formatDuration(Math.max(0, time.ms - now))}`
}

function ago(time: RpmTime, now: number): string {
  return `${formatDuration(Math.max(0, now - time.ms))} ago`
}

/** The longest the wait loop sleeps at once: a window moved earlier is noticed within this, and the log stays alive. */
export const LONGEST_SLEEP_MS = 30 * 60_000

/**
 * How long to wait before reading a closed window again. Toward a known opening: half the time left (at
 * least `minMs`, at most LONGEST_SLEEP_MS), then exactly the rest once it is shorter than `minMs` — a few
 * reads for a window hours away, and the opening noticed on time. A suspended event has no opening to
 * sleep toward: it is read every `maxMs`.
 */
export function nextReadDelay(verdict: WindowVerdict, now: number, minMs: number, maxMs: number): number {
  if (verdict.open || 'passed' in verdict || !verdict.opensAt) return maxMs
  const remaining = verdict.opensAt.ms - now
  if (remaining <= minMs) return Math.max(0, remaining)
  return Math.min(LONGEST_SLEEP_MS, Math.max(minMs, Math.round(remaining / 2)))
}
