import { formatDuration } from '../text/duration.js'
import type { LineWriter } from './plain-host.js'

/** The part of a terminal the status line needs. */
export interface Terminal {
  write(text: string): unknown
  columns?: number
}

export interface Ticker {
  every(ms: number, tick: () => void): () => void
}

export const realTicker: Ticker = {
  every: (ms, tick) => {
    const timer = setInterval(tick, ms)
    timer.unref()
    return () => clearInterval(timer)
  }
}

/** Log lines as they are, one after another: a file, a pipe, a CI's log. */
export function plainLines(stream: Terminal): LineWriter & { stop(): void } {
  return { line: text => void stream.write(`${text}\n`), stop: () => undefined }
}

/**
 * On a terminal: the log lines as usual, and below them one status line — how long the run has taken and
 * its latest line — redrawn every second in place, cleared before each log line and at the end.
 */
export function statusLine(
  terminal: Terminal,
  now: () => number,
  ticker: Ticker = realTicker
): LineWriter & { stop(): void } {
  const startedAt = now()
  let latest = 'starting'
  let shown = false
  const clear = () => {
    if (shown) terminal.write('\r\x1b[2K')
    shown = false
  }
  const draw = () => {
    const width = Math.max(20, (terminal.columns ?? 80) - 1)
    const text = `… ${formatDuration(now() - startedAt)} · ${latest}`
    terminal.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`)
    shown = true
  }
  const stopTicking = ticker.every(1000, draw)
  return {
    line: text => {
      clear()
      terminal.write(`${text}\n`)
      if (text.trim()) latest = text.trim()
      draw()
    },
    stop: () => {
      stopTicking()
      clear()
    }
  }
}
