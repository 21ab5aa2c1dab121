import { describe, expect, it } from '@jest/globals'
import { ensureOk, refusedError } from '../../src/http/decode.js'
import type { HttpResponse } from '../../src/http/client.js'

const response = (status: number, body: unknown, text = ''): HttpResponse => ({
  status,
  headers: {},
  body,
  text
})

describe('refusedError', () => {
  it('names the vendor, the request, the status and the vendor’s message, with the hint for that status', () => {
    const error = refusedError(
      response(404, { status: 'E', message: "Deployment 'X' not found" }),
      'POST /run',
      {
        vendor: 'EPMware',
        hints: { 404: 'Check target' }
      }
    )
    expect(error.message).toBe("EPMware refused POST /run: HTTP 404: Deployment 'X' not found")
    expect(error.hint).toBe('Check target')
    expect(error.httpStatus).toBe(404)
    expect(error.transient).toBe(false)
  })

  it('falls back to the body text, and treats 429 and server errors as passing unless told otherwise', () => {
    const plain = refusedError(response(503, undefined, 'Service Unavailable'), 'GET /s', { vendor: 'V' })
    expect(plain.message).toBe('V refused GET /s: HTTP 503: Service Unavailable')
    expect(plain.transient).toBe(true)
    expect(refusedError(response(429, undefined), 'GET /s', { vendor: 'V' }).transient).toBe(true)
    expect(
      refusedError(response(500, undefined), 'GET /s', { vendor: 'V', transientFrom: 502 }).transient
    ).toBe(false)
  })

  it('lets a success through untouched', () => {
    const ok = response(201, { id: 1 })
    expect(ensureOk(ok, 'POST /x', { vendor: 'V' })).toBe(ok)
    expect(() => ensureOk(response(401, { message: 'no' }), 'GET /x', { vendor: 'V' })).toThrow(
      'V refused GET /x: HTTP 401: no'
    )
  })
})
