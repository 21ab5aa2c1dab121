import type { RemoteStatus } from '../drivers/driver.js'
import { formatDuration } from '../text/duration.js'
import { singleLine } from '../text/untrusted.js'

const HEARTBEAT_MS = 5 * 60_000
/** Percent is reported in steps of this size, so a steadily moving job does not print a line per poll. */
const PERCENT_STEP = 10

/**
 * Turns a stream of status readings into log lines a person reads: one when the state or message changes,
 * when the percent moves by a step, and a heartbeat every five minutes while nothing does — never a
 * line per poll.
 */
export class ProgressNarrator {
  private lastKey: string | undefined
  private lastPercent: number | undefined
  private lastLineAt = 0

  constructor(
    private readonly print: (line: string) => void,
    private readonly now: () => number,
    private readonly startedAt: number
  ) {}

  observe(status: RemoteStatus): void {
    const key = [status.state, status.code, status.label, status.message].join('|')
    const now = this.now()
    const percentMoved =
      status.percent !== undefined &&
      (this.lastPercent === undefined || Math.abs(status.percent - this.lastPercent) >= PERCENT_STEP)
    if (key === this.lastKey && !percentMoved && now - this.lastLineAt < HEARTBEAT_MS) return
    const still = key === this.lastKey && !percentMoved ? 'still ' : ''
    this.lastKey = key
    this.lastPercent = status.percent ?? this.lastPercent
    this.lastLineAt = now
    this.print(`[${formatDuration(now - this.startedAt)}] ${still}${describeStatus(status)}`)
  }
}

export function describeStatus(status: RemoteStatus): string {
  const label =
    status.label && status.label !== status.code ? `${status.label} (${status.code})` : status.code
  const percent = status.percent !== undefined ? ` ${status.percent}%` : ''
  const message = status.message ? ` — ${singleLine(status.message)}` : ''
  return `${label}${percent}${message}`
}
