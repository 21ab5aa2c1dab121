import { describe, expect, it } from '@jest/globals'
import {
  backoffDelay,
  isNetworkError,
  neverReachedServer,
  RETRYABLE_STATUSES,
  retryAfterMs
} from '../../src/http/retry.js'

/** A Node-style system error: what the socket layer throws. */
function systemError(code: string, message = `connect ${code} 10.0.0.1:443`): Error {
  return Object.assign(new Error(message), { code })
}

/*
 * Equivalent mutants left alive (see docs/mutation.md):
 * - `if (!value) return undefined` removed or made `false`: '' and undefined then fall through to the
 *   delta-seconds test (no match) and Date.parse (NaN), which answer undefined just the same.
 */
describe('backoffDelay', () => {
  it('waits between half and all of base on the first attempt', () => {
    expect(backoffDelay(1, 500, 30_000, () => 0)).toBe(250)
    expect(backoffDelay(1, 500, 30_000, () => 0.5)).toBe(375)
    expect(backoffDelay(1, 500, 30_000, () => 0.999_999)).toBe(500)
  })

  it('doubles the ceiling with each attempt', () => {
    expect(backoffDelay(2, 500, 30_000, () => 0)).toBe(500)
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(1000)
    expect(backoffDelay(3, 500, 30_000, () => 0.999_999)).toBe(2000)
    expect(backoffDelay(5, 500, 30_000, () => 0)).toBe(4000)
  })

  it('never waits longer than the maximum, however many attempts', () => {
    expect(backoffDelay(10, 500, 30_000, () => 0.999_999)).toBe(30_000)
    expect(backoffDelay(10, 500, 30_000, () => 0)).toBe(15_000)
    expect(backoffDelay(50, 500, 30_000, () => 0.999_999)).toBe(30_000)
  })

  it('treats an attempt below 1 as the first', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(250)
    expect(backoffDelay(-3, 500, 30_000, () => 0.999_999)).toBe(500)
  })

  it('is jittered by Math.random when no source is given, within the bounds', () => {
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(2, 500, 30_000)
      expect(delay).toBeGreaterThanOrEqual(500)
      expect(delay).toBeLessThanOrEqual(1000)
    }
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')

  it('reads delta-seconds as milliseconds: Retry-After: 2 waits 2 s', () => {
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('0', now)).toBe(0)
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs(' 7 ', now)).toBe(7000)
  })

  it('takes the first of repeated headers', () => {
    expect(retryAfterMs(['12', '99'], now)).toBe(12_000)
    expect(retryAfterMs(['3', '7'], now)).toBe(3000)
  })

  it('reads an HTTP date as the time left until it, never negative', () => {
    expect(retryAfterMs('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Tue, 01 Dec 2026 11:59:00 GMT', now)).toBe(0)
  })

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined()
    expect(retryAfterMs('', now)).toBeUndefined()
    expect(retryAfterMs([], now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs('2s', now)).toBeUndefined()
    expect(retryAfterMs('x2', now)).toBeUndefined()
  })
})

describe('RETRYABLE_STATUSES', () => {
  it('is exactly 408, 429, 500, 502, 503 and 504', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504])
  })

  it.each([200, 301, 400, 401, 403, 404, 407, 409, 428, 430, 499, 501, 505])('does not retry %d', status => {
    expect(RETRYABLE_STATUSES.has(status)).toBe(false)
  })
})

describe('isNetworkError', () => {
  it.each([
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
  ])('counts %s as a network error', code => {
    expect(isNetworkError(systemError(code, 'x'))).toBe(true)
  })

  it.each([
    'socket hang up',
    'Socket Hang Up',
    'Request timeout: 30000',
    'The operation was ABORTED',
    'stream ended early'
  ])('counts the message "%s" as a network error', message => {
    expect(isNetworkError(new Error(message))).toBe(true)
  })

  it('does not count a TLS failure, a parse error or a plain string as one', () => {
    expect(isNetworkError(systemError('CERT_HAS_EXPIRED', 'certificate has expired'))).toBe(false)
    expect(isNetworkError(systemError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'))).toBe(false)
    expect(isNetworkError(new SyntaxError('Unexpected token < in JSON'))).toBe(false)
    expect(isNetworkError(systemError('ECONNRESETX', 'x'))).toBe(false)
    expect(isNetworkError('boom')).toBe(false)
  })
})

describe('neverReachedServer', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    'knows %s never reached the server',
    code => {
      expect(neverReachedServer(systemError(code, 'x'))).toBe(true)
    }
  )

  it('knows a proxy that did not open its tunnel sent nothing past it, in any case', () => {
    expect(neverReachedServer(new Error('tunneling socket could not be established, statusCode=403'))).toBe(
      true
    )
    expect(neverReachedServer(new Error('Tunneling Socket Could Not Be Established'))).toBe(true)
  })

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', ''])(
    'cannot rule out that %s reached the server',
    code => {
      expect(neverReachedServer(systemError(code, 'socket hang up'))).toBe(false)
    }
  )
})
