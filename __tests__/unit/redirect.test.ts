import { describe, expect, it } from '@jest/globals'
import type { IncomingMessage } from 'node:http'
import { ActionError } from '../../src/errors.js'
import { credentialsFor, MAX_REDIRECTS, redirectRefusal, redirectTarget } from '../../src/http/redirect.js'

/** The two fields of a response the redirect rules read. */
function answer(statusCode: number | undefined, location?: string): IncomingMessage {
  return { statusCode, headers: location === undefined ? {} : { location } } as IncomingMessage
}

const scrubNone = (text: string) => text

describe('redirectTarget', () => {
  it.each([301, 302, 303, 307, 308])('follows HTTP %d to its Location, resolved against the URL', status => {
    const next = redirectTarget(answer(status, '../b/c?x=1'), 'https://h.example/api/a/d', 'GET /a')
    expect(next?.href).toBe('https://h.example/api/b/c?x=1')
  })

  it.each([200, 201, 300, 304, 305, 306, 309, 404])('does not follow a Location on HTTP %d', status => {
    expect(redirectTarget(answer(status, 'https://elsewhere.example/'), 'https://h.example/', 'GET /')).toBe(
      undefined
    )
  })

  it('does not follow a redirect without Location, nor an answer without status', () => {
    expect(redirectTarget(answer(302), 'https://h.example/', 'GET /')).toBeUndefined()
    expect(redirectTarget(answer(302, ''), 'https://h.example/', 'GET /')).toBeUndefined()
    expect(
      redirectTarget(answer(undefined, 'https://h.example/x'), 'https://h.example/', 'GET /')
    ).toBeUndefined()
  })

  it('allows HTTPS → HTTPS, HTTP → HTTP and HTTP → HTTPS', () => {
    expect(redirectTarget(answer(301, 'https://other.example/x'), 'https://h.example/', 'GET /')?.href).toBe(
      'https://other.example/x'
    )
    expect(redirectTarget(answer(301, 'http://other.example/x'), 'http://h.example/', 'GET /')?.href).toBe(
      'http://other.example/x'
    )
    expect(redirectTarget(answer(301, 'https://h.example/x'), 'http://h.example/', 'GET /')?.href).toBe(
      'https://h.example/x'
    )
  })

  it('refuses a downgrade from HTTPS, naming the scheme, with a hint', () => {
    let caught: unknown
    try {
      redirectTarget(answer(302, 'http://h.example/x'), 'https://h.example/', 'GET /status')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ActionError)
    expect((caught as ActionError).message).toBe('GET /status was redirected from HTTPS to http; refused')
    expect((caught as ActionError).hint).toBe(
      'A redirect must not downgrade the connection: set base-url to the address the server redirects to.'
    )
    expect(() => redirectTarget(answer(302, 'ftp://h.example/x'), 'https://h.example/', 'GET /')).toThrow(
      'GET / was redirected from HTTPS to ftp; refused'
    )
  })

  it('refuses an invalid Location, showing at most 200 characters of it', () => {
    expect(() => redirectTarget(answer(302, 'http://[::1'), 'https://h.example/', 'GET /x')).toThrow(
      new ActionError('GET /x was redirected to an invalid location: http://[::1')
    )
    const long = `http://[${'a'.repeat(300)}`
    let caught: unknown
    try {
      redirectTarget(answer(302, long), 'https://h.example/', 'GET /x')
    } catch (error) {
      caught = error
    }
    expect((caught as ActionError).message).toBe(
      `GET /x was redirected to an invalid location: ${long.slice(0, 200)}`
    )
  })

  it('stops after five redirects', () => {
    expect(MAX_REDIRECTS).toBe(5)
  })
})

describe('redirectRefusal', () => {
  const hints = {
    https: 'http → https? The server wants HTTPS: set base-url to https://.',
    login:
      'A login page? A single sign-on proxy may sit in front of the API: use an address of the API that is not behind it, or credentials it accepts.',
    other: 'Set base-url to the address the API answers at, not one that redirects.'
  }

  it.each([301, 302, 303, 307, 308])(
    'refuses to resend a trigger answered HTTP %d, never transient',
    status => {
      const refusal = redirectRefusal(
        answer(status, '/v2/run?token=abc'),
        'https://h.example/v1/run',
        'POST /v1/run',
        scrubNone
      )
      expect(refusal).toBeInstanceOf(ActionError)
      expect(refusal?.message).toBe(
        `POST /v1/run was answered HTTP ${status} with Location https://h.example/v2/run; a request that starts or changes something is never sent again to another address, so nothing was sent there`
      )
      expect(refusal?.httpStatus).toBe(status)
      expect(refusal?.transient).toBe(false)
      expect(refusal?.hint).toBe(hints.other)
    }
  )

  it.each([200, 201, 202, 300, 304, 400])('is no refusal for HTTP %d, even with a Location', status => {
    expect(redirectRefusal(answer(status, '/x'), 'https://h.example/', 'POST /', scrubNone)).toBeUndefined()
  })

  it('is no refusal for a redirect without Location or an answer without status', () => {
    expect(redirectRefusal(answer(302), 'https://h.example/', 'POST /', scrubNone)).toBeUndefined()
    expect(redirectRefusal(answer(302, ''), 'https://h.example/', 'POST /', scrubNone)).toBeUndefined()
    expect(
      redirectRefusal(answer(undefined, '/x'), 'https://h.example/', 'POST /', scrubNone)
    ).toBeUndefined()
  })

  it('says the server wants HTTPS only for http → https on the same host', () => {
    const hint = (location: string, current: string) =>
      redirectRefusal(answer(301, location), current, 'POST /', scrubNone)?.hint
    expect(hint('https://h.example/run', 'http://h.example/run')).toBe(hints.https)
    expect(hint('https://other.example/run', 'http://h.example/run')).toBe(hints.other)
    expect(hint('http://h.example:8080/run', 'http://h.example/run')).toBe(hints.other)
    expect(hint('https://h.example/run', 'https://h.example:8443/run')).toBe(hints.other)
  })

  it.each([
    '/login',
    '/LOGIN',
    '/log-in',
    '/log_in',
    '/signin',
    '/sign-in',
    '/sign_in',
    '/sso/start',
    '/saml2',
    '/oauth2/authorize',
    '/auth',
    '/cas/login',
    '/adfs/ls',
    '/idp/profile',
    '/portal?next=login'
  ])('suspects a login page behind %s', path => {
    const refusal = redirectRefusal(
      answer(302, `https://sso.example${path}`),
      'https://h.example/run',
      'POST /run',
      scrubNone
    )
    expect(refusal?.hint).toBe(hints.login)
  })

  it.each(['/v2/run', '/lgn', '/cas', '/status'])('suspects no login page behind %s', path => {
    const refusal = redirectRefusal(
      answer(302, `https://x.example${path}`),
      'https://h.example/run',
      'POST /run',
      scrubNone
    )
    expect(refusal?.hint).toBe(hints.other)
  })

  it('shows the Location scrubbed, without its query, cut to 200 characters', () => {
    const scrub = (text: string) => text.replaceAll('s3cret', '***')
    const refusal = redirectRefusal(
      answer(302, 'https://h.example/s3cret/x?password=s3cret'),
      'https://h.example/',
      'POST /',
      scrub
    )
    expect(refusal?.message).toContain('with Location https://h.example/***/x;')
    const long = `https://h.example/${'p'.repeat(300)}`
    const cut = redirectRefusal(answer(302, long), 'https://h.example/', 'POST /', scrubNone)
    expect(cut?.message).toContain(`with Location ${long.slice(0, 200)};`)
    expect(cut?.message).not.toContain(long.slice(0, 201))
  })

  it('shows an invalid Location as it came, scrubbed, with the general hint', () => {
    const scrub = (text: string) => text.replaceAll('s3cret', '***')
    const refusal = redirectRefusal(
      answer(307, 'http://[s3cret/login'),
      'https://h.example/',
      'POST /',
      scrub
    )
    expect(refusal?.message).toContain('with Location http://[***/login;')
    expect(refusal?.hint).toBe(hints.other)
  })
})

describe('credentialsFor', () => {
  const headers = { Authorization: 'Basic dTpw', COOKIE: 'JSESSIONID=1', accept: 'application/json' }

  it('keeps the credentials on base-url’s own origin', () => {
    const next = new URL('https://h.example/api/x?token=t0k3n')
    const result = credentialsFor(next, 'https://h.example', headers, { parameter: 'token', token: 't0k3n' })
    expect(result.url).toBe('https://h.example/api/x?token=t0k3n')
    expect(result.headers).toBe(headers)
  })

  it.each(['https://other.example/x', 'http://h.example/x', 'https://h.example:8443/x'])(
    'drops Authorization and the cookie, in any case, on a move to %s',
    target => {
      const result = credentialsFor(new URL(target), 'https://h.example', headers)
      expect(result.headers).toEqual({ accept: 'application/json' })
      expect(result.url).toBe(target)
      expect(headers).toEqual({
        Authorization: 'Basic dTpw',
        COOKIE: 'JSESSIONID=1',
        accept: 'application/json'
      })
    }
  )

  it('drops the token parameter and any parameter carrying the token on another origin, keeping the rest', () => {
    const next = new URL('https://other.example/x?token=t0k3n&back=https%3A%2F%2Fh%2F%3Ftoken%3Dt0k3n&page=2')
    const result = credentialsFor(next, 'https://h.example', {}, { parameter: 'token', token: 't0k3n' })
    expect(result.url).toBe('https://other.example/x?page=2')
    expect(result.headers).toEqual({})
  })

  it('leaves the query alone when the token does not travel in it', () => {
    const next = new URL('https://other.example/x?token=abc&page=2')
    expect(credentialsFor(next, 'https://h.example', {}).url).toBe('https://other.example/x?token=abc&page=2')
  })
})
