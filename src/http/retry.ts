import { errorFields } from '../errors.js'

/** Jittered exponential backoff: attempt 1 waits about base, each next one twice as long, capped. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504])

/** Network errors after which a read can be sent again. */
export function isNetworkError(error: unknown): boolean {
  const { code, message } = errorFields(error)
  return (
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ECONNABORTED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'UND_ERR_SOCKET'
    ].includes(code) || /socket hang up|Request timeout|aborted|ended early/i.test(message)
  )
}

/** Errors that prove the request never reached the server, so even a trigger may be sent again. */
export function neverReachedServer(error: unknown): boolean {
  const { code, message } = errorFields(error)
  // A proxy that did not open its tunnel: nothing was sent past it.
  if (/tunneling socket could not be established/i.test(message)) return true
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)
}
