import { describe, expect, it } from '@jest/globals'
import { z } from 'zod'
import { ActionError } from '../../src/errors.js'
import type { HttpResponse } from '../../src/http/client.js'
import { decode, ensureOk, errorMessageOf, refusedError } from '../../src/http/decode.js'

const response = (status: number, body: unknown, text = ''): HttpResponse => ({
  status,
  headers: {},
  body,
  text
})

const caught = (run: () => unknown): ActionError => {
  try {
    run()
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error('nothing was thrown')
}

const HINT =
  'The server may run an API version this action does not support yet; please open an issue with this message.'

describe('decode', () => {
  const schema = z.object({ id: z.number(), state: z.object({ name: z.string() }) })

  it('gives back what the schema parsed', () => {
    expect(decode(schema, { id: 7, state: { name: 'DONE' }, extra: 1 }, 'GET /job')).toEqual({
      id: 7,
      state: { name: 'DONE' }
    })
  })

  it('names each bad field by its path, the body shown, and the hint', () => {
    const error = caught(() => decode(schema, { id: 'x', state: { name: 3 } }, 'GET /job'))
    expect(error.message).toBe(
      'GET /job answered in a shape this action does not know (id: Invalid input: expected number, received string; ' +
        'state.name: Invalid input: expected string, received number): {"id":"x","state":{"name":3}}'
    )
    expect(error.hint).toBe(HINT)
  })

  it('lists the first three problems only', () => {
    const four = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string() })
    const { message } = caught(() => decode(four, {}, 'GET /x'))
    expect(message).toContain('(a: ')
    expect(message).toContain('; b: ')
    expect(message).toContain('; c: ')
    expect(message).not.toContain('d: ')
  })

  it('says (body) for a problem with the body itself, and nothing for no body', () => {
    expect(caught(() => decode(schema, undefined, 'GET /x')).message).toBe(
      'GET /x answered in a shape this action does not know ((body): Invalid input: expected object, received undefined): nothing'
    )
  })

  it('shows at most 200 characters of the body', () => {
    const body = 'y'.repeat(300)
    const { message } = caught(() => decode(schema, body, 'GET /x'))
    expect(message.endsWith(`: "${'y'.repeat(199)}`)).toBe(true)
  })
})

describe('errorMessageOf', () => {
  it.each(['message', 'errorMessage', 'error', 'detail'])(
    'reads the vendor message under %s, trimmed',
    key => {
      expect(errorMessageOf({ [key]: '  it broke \n' }, 'fallback')).toBe('it broke')
    }
  )

  it('takes the first key in order: message, errorMessage, error, detail', () => {
    expect(errorMessageOf({ detail: 'd', error: 'e', errorMessage: 'em', message: 'm' }, 'f')).toBe('m')
    expect(errorMessageOf({ detail: 'd', error: 'e', errorMessage: 'em' }, 'f')).toBe('em')
    expect(errorMessageOf({ detail: 'd', error: 'e' }, 'f')).toBe('e')
  })

  it('skips blank and non-string values to the next key', () => {
    expect(
      errorMessageOf({ message: '   ', errorMessage: 42, error: { a: 1 }, detail: 'the detail' }, 'f')
    ).toBe('the detail')
    expect(errorMessageOf({ message: ' ' }, 'fallback')).toBe('fallback')
  })

  it('uses a text body trimmed and cut to 500 characters, else the fallback', () => {
    expect(errorMessageOf('  plain text \n', 'f')).toBe('plain text')
    expect(errorMessageOf(` ${'z'.repeat(600)}`, 'f')).toBe('z'.repeat(500))
    expect(errorMessageOf('   ', 'fallback')).toBe('fallback')
    expect(errorMessageOf(undefined, 'fallback')).toBe('fallback')
    expect(errorMessageOf(null, 'fallback')).toBe('fallback')
    expect(errorMessageOf(42, 'fallback')).toBe('fallback')
  })
})

describe('ensureOk', () => {
  it.each([200, 204, 299])('lets %d through untouched', status => {
    const ok = response(status, { id: 1 })
    expect(ensureOk(ok, 'POST /x', { vendor: 'V' })).toBe(ok)
  })

  it.each([199, 300, 302, 400])('refuses %d', status => {
    expect(caught(() => ensureOk(response(status, undefined), 'POST /x', { vendor: 'V' })).message).toBe(
      `V refused POST /x: HTTP ${status}: HTTP ${status}`
    )
  })
})

describe('refusedError', () => {
  it('falls back to the trimmed body text, then to the status', () => {
    expect(
      refusedError(response(502, undefined, '  Bad Gateway \n'), 'GET /s', { vendor: 'V' }).message
    ).toBe('V refused GET /s: HTTP 502: Bad Gateway')
    expect(refusedError(response(502, undefined, '   '), 'GET /s', { vendor: 'V' }).message).toBe(
      'V refused GET /s: HTTP 502: HTTP 502'
    )
  })

  it('cuts the vendor message to 500 characters', () => {
    const error = refusedError(response(400, undefined, 'w'.repeat(700)), 'GET /s', { vendor: 'V' })
    expect(error.message).toBe(`V refused GET /s: HTTP 400: ${'w'.repeat(500)}`)
  })

  it('has no hint for a status without one', () => {
    expect(
      refusedError(response(403, undefined), 'GET /s', { vendor: 'V', hints: { 404: 'h' } }).hint
    ).toBeUndefined()
    expect(refusedError(response(403, undefined), 'GET /s', { vendor: 'V' }).hint).toBeUndefined()
  })

  it.each([
    [428, undefined, false],
    [429, undefined, true],
    [430, undefined, false],
    [499, undefined, false],
    [500, undefined, true],
    [501, 502, false],
    [502, 502, true],
    [429, 502, true]
  ])('HTTP %d (transient from %p) is transient: %p', (status, transientFrom, transient) => {
    const style = transientFrom === undefined ? { vendor: 'V' } : { vendor: 'V', transientFrom }
    expect(refusedError(response(status, undefined), 'GET /s', style).transient).toBe(transient)
  })
})
