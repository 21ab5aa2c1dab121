import type { RemoteStatus } from '../drivers/driver.js'
import { formatDuration } from '../inputs/duration.js'

const HEARTBEAT_MS = 5 * 60_000

/**
 * Turns a stream of status readings into log lines a person reads: one when the state, message or
 * percent changes, and a heartbeat every five minutes while nothing does — not a line per poll.
 */
export class ProgressNarrator {
  private lastKey: string | undefined
  private lastLineAt = 0

  constructor(
    private readonly print: (line: string) => void,
    private readonly now: () => number,
    private readonly startedAt: number
  ) {}

  observe(status: RemoteStatus): void {
    const key = [status.state, status.code, status.label, status.message, status.percent].join('|')
    const now = this.now()
    if (key === this.lastKey && now - this.lastLineAt < HEARTBEAT_MS) return
    const still = key === this.lastKey ? 'still ' : ''
    this.lastKey = key
    this.lastLineAt = now
    this.print(`[${formatDuration(now - this.startedAt)}] ${still}${describeStatus(status)}`)
  }
}

export function describeStatus(status: RemoteStatus): string {
  const label =
    status.label && status.label !== status.code ? `${status.label} (${status.code})` : status.code
  const percent = status.percent !== undefined ? ` ${status.percent}%` : ''
  const message = status.message ? ` — ${status.message}` : ''
  return `${label}${percent}${message}`
}
