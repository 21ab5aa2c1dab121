/**
 * The HTTP client's promises one by one (src/http/client.ts), against a real server on 127.0.0.1: what each
 * request carries, which failures are read again and which never, how long it waits (a VirtualClock: the
 * waits are exact and cost nothing), the step's deadline, redirects, and how each failure is told.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import https from 'node:https'
import net, { type AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { VirtualClock } from '../../src/engine/clock.js'
import { ActionError } from '../../src/errors.js'
import { MAX_BODY_BYTES, type Auth, type HttpClientOptions } from '../../src/http/client.js'
import { testHttpClient } from '../fixtures/http-client.js'
import { makeTestPki, type TestPki } from '../hardening/support/certificates.js'
import { startForwardProxy } from '../hardening/support/forward-proxy.js'
import { json, scriptedServer, type Handler } from '../fixtures/scripted-server.js'

const scripted = scriptedServer()
const { seen, answers } = scripted
const raw =
  (status: number, contentType: string, text: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': contentType })
    res.end(text)
  }
const redirect =
  (status: number, location: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { location })
    res.end()
  }
const reset: Handler = req => req.socket.destroy()
const hang: Handler = () => undefined

const TOKEN: Auth = { kind: 'token-header', scheme: 'Token', token: 'tok-abc-123' }

/** The client on a virtual clock starting far from 0, retries quick unless Retry-After says otherwise. */
function client(overrides: Partial<HttpClientOptions> = {}, auth: Auth = TOKEN) {
  const clock = new VirtualClock(7_000_000)
  const retries: string[] = []
  const http = testHttpClient(scripted.url, auth, {
    clock,
    deadline: clock.now() + 60_000,
    retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    onRetry: message => retries.push(message),
    ...overrides
  })
  return { http, clock, retries }
}

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => new Error('it succeeded'),
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}

async function closedPort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>(resolve => probe.close(() => resolve()))
  return port
}

describe('what a request carries', () => {
  it('asks for the body kind it expects, and lets the request add headers', async () => {
    const { http } = client({}, { kind: 'none' })
    await http.send({ method: 'GET', path: '/j' })
    await http.send({ method: 'GET', path: '/x', expect: 'xml' })
    answers.push(raw(200, 'text/plain', 'log'))
    await http.send({ method: 'GET', path: '/t', expect: 'text' })
    await http.send({
      method: 'GET',
      path: '/h',
      headers: { accept: 'application/vnd.api+json', 'x-a': 'b' }
    })
    expect(seen.map(request => request.headers.accept)).toEqual([
      'application/json',
      'application/xml, text/xml',
      'text/plain, */*',
      'application/vnd.api+json'
    ])
    expect(seen[3]?.headers['x-a']).toBe('b')
    expect(seen.map(request => request.headers.authorization)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined
    ])
    expect(seen.map(request => request.headers['content-type'])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined
    ])
    expect(seen.map(request => request.headers['user-agent'])).toEqual(Array(4).fill('enterprise-deploy'))
    // no connection kept open between requests: each attempt has a socket of its own
    expect(seen.map(request => request.headers.connection)).toEqual(Array(4).fill('close'))
  })

  it('puts the credentials over any authorization header of the request', async () => {
    await client().http.send({ method: 'GET', path: '/a', headers: { authorization: 'Bearer other' } })
    expect(seen[0]?.headers.authorization).toBe('Token tok-abc-123')
  })

  it('sends a string body as it is, without a JSON content type, and JSON with one', async () => {
    const { http } = client()
    await http.send({ method: 'PUT', path: '/b', body: 'a=1&b=2', headers: { 'content-type': 'text/plain' } })
    await http.send({ method: 'POST', path: '/c', json: false })
    expect(seen[0]).toMatchObject({ method: 'PUT', body: 'a=1&b=2' })
    expect(seen[0]?.headers['content-type']).toBe('text/plain')
    expect(seen[1]).toMatchObject({ method: 'POST', body: 'false' })
    expect(seen[1]?.headers['content-type']).toBe('application/json')
  })

  it('leaves undefined query values out and writes the others as text', async () => {
    await client().http.send({
      method: 'DELETE',
      path: '/q',
      query: { a: undefined, b: false, c: 0, d: 'x y' }
    })
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/ctx/q?b=false&c=0&d=x+y' })
  })

  it('refuses a path that would leave the API before sending anything', async () => {
    const error = await failure(client().http.send({ method: 'GET', path: '/tasks/../admin' }))
    expect(error.message).toBe(
      "Refused to send GET /tasks/../admin: the path segment '..' would take the request outside the API path it is meant for"
    )
    expect(seen).toHaveLength(0)
  })

  it('remembers once a request that must not be repeated was sent, not for reads', async () => {
    const { http } = client()
    await http.send({ method: 'GET', path: '/r' })
    await http.send({ method: 'POST', path: '/r', idempotent: true })
    expect(http.sentUnrepeatable).toBe(false)
    await http.send({ method: 'PUT', path: '/r' })
    expect(http.sentUnrepeatable).toBe(true)
  })
})

describe('what comes back', () => {
  it('parses a 2xx body strictly and an error body leniently', async () => {
    const { http } = client()
    answers.push(raw(299, 'application/json', '{"cut'))
    const unreadable = await failure(http.send({ method: 'POST', path: '/s' }))
    expect(unreadable.message).toMatch(
      /^POST \/s answered HTTP 299 with application\/json where JSON was expected/
    )
    answers.push(raw(300, 'application/json', '{"cut'))
    expect(await http.send({ method: 'POST', path: '/s' })).toMatchObject({ status: 300, body: '{"cut' })
    answers.push(raw(400, 'application/json', '{"cut'))
    expect(await http.send({ method: 'POST', path: '/s' })).toMatchObject({
      status: 400,
      body: '{"cut',
      text: '{"cut'
    })
    answers.push(json(422, { message: 'bad' }, { 'x-request-id': 'r-1' }))
    const refused = await http.send({ method: 'POST', path: '/s' })
    expect(refused).toMatchObject({ status: 422, body: { message: 'bad' }, text: '{"message":"bad"}' })
    expect(refused.headers['x-request-id']).toBe('r-1')
    answers.push(raw(200, 'application/json', '{"a":1}'))
    expect((await http.send({ method: 'GET', path: '/s', expect: 'text' })).body).toBe('{"a":1}')
  })

  it('reads a body larger than 16 MiB that declared no length only up to the limit, and says so', async () => {
    expect(MAX_BODY_BYTES).toBe(16 * 1024 * 1024)
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      let sent = 0
      const more = () => {
        while (sent < 17) {
          sent++
          if (!res.write(chunk)) return res.once('drain', more)
        }
        res.end()
      }
      more()
    })
    const error = await failure(client().http.send({ method: 'GET', path: '/big' }))
    expect(error.message).toBe(
      'GET /big answered HTTP 200 with a body of over 16 MiB, more than the 16 MiB this action reads'
    )
    expect(error.hint).toBe(
      'A status or trigger answer this large is not one the platform documents: check base-url, or what the server puts in its messages.'
    )
    expect(error.httpStatus).toBe(200)
    expect(error.transient).toBe(false)
    expect(seen).toHaveLength(1)
  })

  it('fails at once on a declared length over the limit, without waiting for the body', async () => {
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) })
      res.write('{')
    })
    const error = await failure(client().http.send({ method: 'GET', path: '/huge' }))
    expect(error.message).toBe(
      'GET /huge answered HTTP 200 with a body of 100 MiB, more than the 16 MiB this action reads'
    )
    expect(seen).toHaveLength(1)
  })

  it('names a missing content type in the error', async () => {
    answers.push((_req, res) => res.end('{"cut'))
    const error = await failure(
      client({ retry: { attempts: 1 } }).http.send({ method: 'GET', path: '/none' })
    )
    expect(error.message).toMatch(
      /^GET \/none answered HTTP 200 with no content type where JSON was expected/
    )
  })

  it('takes a body of exactly the declared limit as no error', async () => {
    const { http } = client()
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(MAX_BODY_BYTES) })
      res.end(Buffer.alloc(MAX_BODY_BYTES, 'a'))
    })
    const response = await http.send({ method: 'GET', path: '/edge', expect: 'text' })
    expect(response.text).toHaveLength(MAX_BODY_BYTES)
  })

  it('reads a body cut short again, as a read', async () => {
    answers.push(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        res.write('{"status":')
        setTimeout(() => res.socket?.destroy(), 20)
      },
      json(200, { ok: true })
    )
    const { http, retries } = client()
    expect((await http.send({ method: 'GET', path: '/cut' })).body).toEqual({ ok: true })
    expect(seen).toHaveLength(2)
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatch(/^GET \/cut failed: .*; retrying GET \/cut in 0s \(attempt 2 of 4\)$/)
  })
})

describe('which failures are read again', () => {
  it('tries 5 times by default, waiting the backoff between, and returns the last answer', async () => {
    for (let i = 0; i < 5; i++) answers.push(json(503, { n: i }))
    const { http, clock, retries } = client({ retry: undefined })
    const response = await http.send({ method: 'GET', path: '/five' })
    expect(response).toMatchObject({ status: 503, body: { n: 4 } })
    expect(seen).toHaveLength(5)
    expect(retries.map(message => message.replace(/in [\d.]+s/, 'in Ns'))).toEqual([
      'HTTP 503; retrying GET /five in Ns (attempt 2 of 5)',
      'HTTP 503; retrying GET /five in Ns (attempt 3 of 5)',
      'HTTP 503; retrying GET /five in Ns (attempt 4 of 5)',
      'HTTP 503; retrying GET /five in Ns (attempt 5 of 5)'
    ])
    // backoff 500 ms doubling, each wait between half and all of it: 250–500, 500–1000, 1000–2000, 2000–4000
    const waited = clock.now() - 7_000_000
    expect(waited).toBeGreaterThanOrEqual(3750)
    expect(waited).toBeLessThanOrEqual(7500)
  })

  it('caps the backoff at maxDelayMs', async () => {
    answers.push(json(502, {}), json(502, {}), json(200, {}))
    const { http, clock } = client({ retry: { attempts: 3, baseDelayMs: 10_000, maxDelayMs: 1000 } })
    await http.send({ method: 'GET', path: '/cap' })
    expect(clock.now() - 7_000_000).toBeGreaterThanOrEqual(1000)
    expect(clock.now() - 7_000_000).toBeLessThanOrEqual(2000)
  })

  it('retries each retryable status for a read, and no other', async () => {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      seen.length = 0
      answers.push(json(status, {}), json(200, { ok: status }))
      const response = await client().http.send({ method: 'GET', path: '/st' })
      expect({ status, body: response.body, sent: seen.length }).toEqual({
        status,
        body: { ok: status },
        sent: 2
      })
    }
    for (const status of [400, 401, 404, 409, 501, 505]) {
      seen.length = 0
      answers.push(json(status, {}))
      const response = await client().http.send({ method: 'GET', path: '/st' })
      expect({ status: response.status, sent: seen.length }).toEqual({ status, sent: 1 })
    }
  })

  it('never repeats a trigger on a retryable status, unless it says it is idempotent', async () => {
    answers.push(json(503, {}))
    expect((await client().http.send({ method: 'POST', path: '/run' })).status).toBe(503)
    expect(seen).toHaveLength(1)
    answers.push(json(503, {}), json(201, { id: 1 }))
    expect((await client().http.send({ method: 'POST', path: '/run', idempotent: true })).status).toBe(201)
    expect(seen).toHaveLength(3)
    answers.push(json(503, {}))
    expect((await client().http.send({ method: 'GET', path: '/once', idempotent: false })).status).toBe(503)
    expect(seen).toHaveLength(4)
  })

  it('waits what Retry-After says when it is longer than the backoff, and says how long', async () => {
    answers.push(json(429, {}, { 'retry-after': '3' }), json(200, { ok: true }))
    const { http, clock, retries } = client()
    await http.send({ method: 'GET', path: '/ra' })
    expect(clock.now()).toBe(7_003_000)
    expect(retries).toEqual(['HTTP 429; retrying GET /ra in 3s (attempt 2 of 4)'])
  })

  it('gives up with the answer’s error when the wait would reach the deadline', async () => {
    answers.push(json(503, {}, { 'retry-after': '2' }))
    const { http, clock, retries } = client({ deadline: 7_002_000 })
    const error = await failure(http.send({ method: 'GET', path: '/late' }))
    expect(error.message).toBe('GET /late answered HTTP 503')
    expect(error.httpStatus).toBe(503)
    expect(error.transient).toBe(true)
    expect(retries).toEqual([])
    expect(clock.now()).toBe(7_000_000)
    expect(seen).toHaveLength(1)
  })

  it('refuses to send once the deadline is reached, not before', async () => {
    const at = client({ deadline: 7_000_000 })
    const error = await failure(at.http.send({ method: 'GET', path: '/d' }))
    expect(error.message).toBe("The step's timeout ran out before GET /d could be sent")
    expect(error.transient).toBe(false)
    expect(seen).toHaveLength(0)
    await client({ deadline: 7_005_000 }).http.send({ method: 'GET', path: '/d' })
    expect(seen).toHaveLength(1)
  })

  it('reads a garbled body again, saying so, but never a trigger’s', async () => {
    answers.push(raw(200, 'application/json', '{"cut'), json(200, { ok: true }))
    const { http, retries } = client()
    expect((await http.send({ method: 'GET', path: '/g' })).body).toEqual({ ok: true })
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatch(
      /^HTTP 200 with a body that could not be read; retrying GET \/g in [\d.]+s \(attempt 2 of 4\)$/
    )
    answers.push(raw(200, 'application/json', '{"cut'))
    await failure(client().http.send({ method: 'POST', path: '/g' }))
    expect(seen).toHaveLength(3)
  })

  it('reads a garbled body at most `attempts` times, then fails with what came back', async () => {
    for (let i = 0; i < 2; i++) answers.push(raw(200, 'application/json', '{"cut'))
    const error = await failure(
      client({ retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 } }).http.send({
        method: 'GET',
        path: '/g'
      })
    )
    expect(error.message).toMatch(/^GET \/g answered HTTP 200 with application\/json where JSON was expected/)
    expect(seen).toHaveLength(2)
  })

  it('does not read an HTML page again: it is an answer, not a garbled one', async () => {
    answers.push(raw(200, 'text/html', '<html>login</html>'))
    await failure(client().http.send({ method: 'GET', path: '/html' }))
    expect(seen).toHaveLength(1)
  })

  it('sends a trigger again when the connection was refused: it never reached the server', async () => {
    const port = await closedPort()
    const { retries } = client()
    const http = testHttpClient(`http://127.0.0.1:${port}`, TOKEN, {
      clock: new VirtualClock(1),
      deadline: 60_000,
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 5 },
      onRetry: message => retries.push(message)
    })
    const error = await failure(http.send({ method: 'POST', path: '/run', json: {} }))
    expect(error.message).toBe(`POST /run failed: connect ECONNREFUSED 127.0.0.1:${port}`)
    expect(error.hint).toBe('Check base-url and that the server is reachable from the runner.')
    expect(error.transient).toBe(true)
    expect(retries).toEqual([
      `POST /run failed: connect ECONNREFUSED 127.0.0.1:${port}; retrying POST /run in 0s (attempt 2 of 3)`,
      `POST /run failed: connect ECONNREFUSED 127.0.0.1:${port}; retrying POST /run in 0s (attempt 3 of 3)`
    ])
  })

  it('says to check base-url for a host name that does not resolve (.invalid never does)', async () => {
    const http = testHttpClient('http://platform.corp.invalid:8080/ctx', TOKEN, {
      clock: new VirtualClock(1),
      deadline: 60_000,
      retry: { attempts: 1 }
    })
    const error = await failure(http.send({ method: 'GET', path: '/x' }))
    expect(error.message).toBe('GET /x failed: getaddrinfo ENOTFOUND platform.corp.invalid')
    expect(error.hint).toBe('Check base-url and that the server is reachable from the runner.')
  })

  it('tells a proxy that refuses the tunnel as the proxy’s failure', async () => {
    const proxy = await startForwardProxy()
    proxy.refuseWith = 403
    process.env.HTTP_PROXY = proxy.url
    try {
      const http = testHttpClient('http://platform.corp.invalid:8080/ctx', TOKEN, { retry: { attempts: 1 } })
      const error = await failure(http.send({ method: 'GET', path: '/x' }))
      expect(error.message).toBe(
        `GET /x failed: the proxy ${proxy.url} (HTTP_PROXY) refused to open a tunnel to platform.corp.invalid:8080 (it answered CONNECT with HTTP 403)`
      )
      expect(error.transient).toBe(false)
    } finally {
      delete process.env.HTTP_PROXY
      await proxy.close()
    }
  })

  it('tells a reset by its message and code, and does not send a trigger again after one', async () => {
    answers.push(reset)
    const { http, retries } = client()
    const error = await failure(http.send({ method: 'POST', path: '/run', json: {} }))
    expect(error.message).toBe('POST /run failed: socket hang up (ECONNRESET)')
    expect(error.hint).toBeUndefined()
    expect(error.transient).toBe(true)
    expect(retries).toEqual([])
    expect(seen).toHaveLength(1)
  })

  it('fails a read after `attempts` resets with the last one', async () => {
    answers.push(reset, reset)
    const { http, retries } = client({ retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 } })
    const error = await failure(http.send({ method: 'GET', path: '/r' }))
    expect(error.message).toBe('GET /r failed: socket hang up (ECONNRESET)')
    expect(retries).toEqual([
      'GET /r failed: socket hang up (ECONNRESET); retrying GET /r in 0s (attempt 2 of 2)'
    ])
    expect(seen).toHaveLength(2)
  })

  it('keeps the token out of a retry message', async () => {
    answers.push(json(503, {}, { 'retry-after': '1' }), json(200, {}))
    const { http, retries } = client({}, { kind: 'token-query', parameter: 'token', token: 'q-secret-99' })
    await http.send({ method: 'GET', path: '/events/q-secret-99' })
    expect(retries).toEqual(['HTTP 503; retrying GET /events/*** in 1s (attempt 2 of 4)'])
    expect(seen[0]?.url).toBe('/ctx/events/q-secret-99?token=q-secret-99')
  })
})

describe('time limits', () => {
  it('says a trigger that got no answer may have started the job, and does not send it again', async () => {
    answers.push(hang)
    const error = await failure(
      client({ requestTimeoutMs: 200 }).http.send({ method: 'POST', path: '/run', json: {} })
    )
    expect(error.message).toBe('POST /run got no answer within 0.2s')
    expect(error.hint).toBe(
      'The server may have received it and started the job: check the platform before running the step again (the action never sends it twice).'
    )
    expect(error.transient).toBe(true)
    expect(seen).toHaveLength(1)
  })

  it('says the job may have started only for a request that must not be repeated', async () => {
    answers.push(hang)
    const put = client({ requestTimeoutMs: 200, retry: { attempts: 1 } })
    const idempotent = await failure(put.http.send({ method: 'PUT', path: '/cfg', idempotent: true }))
    expect(idempotent.message).toBe('PUT /cfg got no answer within 0.2s')
    expect(idempotent.hint).toBeUndefined()
    answers.push(hang)
    const once = await failure(put.http.send({ method: 'GET', path: '/start', idempotent: false }))
    expect(once.hint).toMatch(/^The server may have received it and started the job/)
  })

  it('does not bound a stream by the request timeout, only by its idle time', async () => {
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      let lines = 0
      const timer = setInterval(() => {
        res.write(`line ${++lines}\n`)
        if (lines === 6) {
          clearInterval(timer)
          res.end()
        }
      }, 80)
    })
    const opened = await client().http.stream({ method: 'GET', path: '/log', timeoutMs: 300 })
    let text = ''
    for await (const chunk of opened.stream) text += String(chunk)
    expect(text).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n')
  })

  it('bounds a request the server holds open by the deadline, and says so', async () => {
    answers.push(hang)
    const { http } = client({ deadline: 7_000_150 })
    const error = await failure(http.send({ method: 'POST', path: '/hold', timeoutMs: Infinity }))
    expect(error.message).toBe("POST /hold got no answer before the step's timeout")
  })

  it('bounds a read by the deadline when it comes before the request timeout', async () => {
    answers.push(hang)
    const bounded = client({ deadline: 7_000_150, retry: { attempts: 1 } })
    const error = await failure(bounded.http.send({ method: 'GET', path: '/slow' }))
    expect(error.message).toBe('GET /slow got no answer within 30s')
    expect(error.hint).toBeUndefined()
  })

  it('streams a log bounded by its idle time, and tells the socket’s timeout as no answer', async () => {
    answers.push(hang)
    const idle = client({ retry: { attempts: 1 } })
    const error = await failure(idle.http.stream({ method: 'GET', path: '/log', timeoutMs: 200 }))
    expect(error.message).toBe('GET /log got no answer within 0.2s')
    expect(error.transient).toBe(true)
  })

  it('streams a log the server holds open by the client’s request timeout as its idle time', async () => {
    answers.push(hang)
    const idle = client({ requestTimeoutMs: 200, retry: { attempts: 1 } })
    const error = await failure(idle.http.stream({ method: 'GET', path: '/log', timeoutMs: Infinity }))
    expect(error.message).toBe("GET /log got no answer before the step's timeout")
  })

  it('stops at once when the run is cancelled, with the cancellation', async () => {
    const controller = new AbortController()
    // cancelled once the server holds the request, and never answered
    answers.push(() => controller.abort(new ActionError('cancelled by the runner')))
    const pending = client({ signal: controller.signal }).http.send({ method: 'GET', path: '/c' })
    await expect(pending).rejects.toThrow('cancelled by the runner')
    expect(seen).toHaveLength(1)
  })

  it('gives the cancellation itself, not a network error, even with no attempt left', async () => {
    const controller = new AbortController()
    const reason = new ActionError('cancelled by the runner')
    answers.push(() => controller.abort(reason))
    const once = client({ signal: controller.signal, retry: { attempts: 1 } })
    const error = await once.http.send({ method: 'GET', path: '/c' }).catch((thrown: unknown) => thrown)
    expect(error).toBe(reason)
  })

  it('after enterPhase, answers to its own budget and no longer to the run’s signal, unless told to', async () => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    const { http, clock } = client({ signal: controller.signal })
    await expect(http.send({ method: 'GET', path: '/p' })).rejects.toThrow('cancelled')
    http.enterPhase(clock.now() + 5000)
    expect((await http.send({ method: 'GET', path: '/p' })).status).toBe(200)
    http.enterPhase(clock.now() + 5000, { followRunSignal: true })
    await expect(http.send({ method: 'GET', path: '/p' })).rejects.toThrow('cancelled')
    http.enterPhase(clock.now())
    await expect(http.send({ method: 'GET', path: '/p' })).rejects.toThrow(
      "The step's timeout ran out before GET /p could be sent"
    )
    expect(seen).toHaveLength(1)
  })
})

describe('redirects', () => {
  it('follows a relative Location for a read, keeping the credentials on the same origin', async () => {
    answers.push(redirect(302, '/ctx/moved?x=1'), json(200, { ok: true }))
    const response = await client().http.send({ method: 'GET', path: '/old' })
    expect(response.body).toEqual({ ok: true })
    expect(seen.map(request => request.url)).toEqual(['/ctx/old', '/ctx/moved?x=1'])
    expect(seen[1]?.headers.authorization).toBe('Token tok-abc-123')
  })

  it('follows at most 5 redirects', async () => {
    for (let i = 0; i < 6; i++) answers.push(redirect(307, `/ctx/hop${i}`))
    const error = await failure(client().http.send({ method: 'GET', path: '/loop' }))
    expect(error.message).toBe('GET /loop was redirected more than 5 times')
    expect(error.hint).toBe(
      'Check base-url: it should be the address the API answers at, not one that redirects.'
    )
    expect(seen).toHaveLength(6)
  })

  it('follows 5 redirects', async () => {
    for (let i = 0; i < 5; i++) answers.push(redirect(301, `/ctx/hop${i}`))
    answers.push(json(200, { hops: 5 }))
    expect((await client().http.send({ method: 'GET', path: '/loop' })).body).toEqual({ hops: 5 })
    expect(seen).toHaveLength(6)
  })

  it('never follows a redirect for a trigger: it refuses it', async () => {
    answers.push(redirect(302, '/ctx/login'))
    const error = await failure(client().http.send({ method: 'POST', path: '/run', json: {} }))
    expect(error.message).toBe(
      `POST /run was answered HTTP 302 with Location ${scripted.url}/login; a request that starts or changes something is never sent again to another address, so nothing was sent there`
    )
    expect(seen).toHaveLength(1)
  })

  it('keeps the token out of a refused redirect’s message', async () => {
    answers.push(redirect(302, '/ctx/sso/q-secret-99'))
    const auth: Auth = { kind: 'token-query', parameter: 'token', token: 'q-secret-99' }
    const error = await failure(client({}, auth).http.send({ method: 'POST', path: '/run', json: {} }))
    expect(error.message).toContain(`with Location ${scripted.url}/sso/***;`)
  })

  it('returns a trigger’s answer that is no redirect', async () => {
    answers.push(json(201, { id: 9 }))
    expect((await client().http.send({ method: 'POST', path: '/run', json: {} })).body).toEqual({ id: 9 })
  })

  it('follows a redirect with a string body, sending it again', async () => {
    answers.push(redirect(307, '/ctx/moved'), json(200, { ok: true }))
    const response = await client().http.send({ method: 'PUT', path: '/cfg', body: 'k=v', idempotent: true })
    expect(response.body).toEqual({ ok: true })
    expect(seen.map(request => [request.url, request.body])).toEqual([
      ['/ctx/cfg', 'k=v'],
      ['/ctx/moved', 'k=v']
    ])
  })

  it('does not follow a redirect when the body is a stream it cannot send again', async () => {
    answers.push(redirect(307, '/ctx/elsewhere'))
    const response = await client().http.send({
      method: 'PUT',
      path: '/upload',
      body: Readable.from(['part 1, ', 'part 2']),
      idempotent: true
    })
    expect(response.status).toBe(307)
    expect(seen.map(request => [request.url, request.body])).toEqual([['/ctx/upload', 'part 1, part 2']])
  })

  it('drops the credentials on a redirect to another origin', async () => {
    const other = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"other":true}')
    })
    await new Promise<void>(resolve => other.listen(0, '127.0.0.1', resolve))
    try {
      const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/elsewhere`
      answers.push(redirect(302, target))
      expect((await client().http.send({ method: 'GET', path: '/old' })).body).toEqual({ other: true })
      expect(seen.map(request => request.headers.authorization)).toEqual(['Token tok-abc-123', undefined])
      seen.length = 0
      answers.push(redirect(302, `${target}?token=q-secret-99&keep=1`))
      const auth: Auth = { kind: 'token-query', parameter: 'token', token: 'q-secret-99' }
      await client({}, auth).http.send({ method: 'GET', path: '/old' })
      expect(seen.map(request => request.url)).toEqual(['/ctx/old?token=q-secret-99', '/elsewhere?keep=1'])
    } finally {
      other.closeAllConnections()
      await new Promise(resolve => other.close(resolve))
    }
  })
})

describe('streams', () => {
  it('reads a stream again after a retryable status, and hands over the body', async () => {
    answers.push(json(503, {}), raw(200, 'text/plain', 'line 1\n'))
    const { http } = client()
    const opened = await http.stream({ method: 'GET', path: '/log' })
    let text = ''
    for await (const chunk of opened.stream) text += String(chunk)
    expect({ status: opened.status, text, sent: seen.length }).toEqual({
      status: 200,
      text: 'line 1\n',
      sent: 2
    })
    expect(opened.headers['content-type']).toBe('text/plain')
  })
})

describe('TLS', () => {
  let pki: TestPki
  let tls: https.Server
  let tlsUrl: string
  let handshakes = 0

  beforeAll(async () => {
    pki = makeTestPki()
    tls = https.createServer({ key: pki.key, cert: pki.cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"tls":true}')
    })
    tls.on('connection', () => handshakes++)
    await new Promise<void>(resolve => tls.listen(0, '127.0.0.1', resolve))
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    tls.closeAllConnections()
    await new Promise(resolve => tls.close(resolve))
  })

  beforeEach(() => {
    handshakes = 0
  })

  const tlsClient = (options: HttpClientOptions['tls']) =>
    testHttpClient(
      tlsUrl,
      { kind: 'none' },
      { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 5 }, tls: options }
    )

  it('refuses a server its CA is not given for, says to give ca-certificate, and does not try again', async () => {
    for (const options of [undefined, { caCertificate: pki.otherCaPem }]) {
      handshakes = 0
      const error = await failure(tlsClient(options).send({ method: 'GET', path: '/x' }))
      expect(error.message).toMatch(/^GET \/x failed: .*(certificate|unable to verify)/)
      expect(error.hint).toBe(
        'The server uses a certificate this runner does not trust: give its CA with ca-certificate (PEM text or a file path).'
      )
      expect(error.transient).toBe(false)
      expect(handshakes).toBe(1)
    }
  })

  it('trusts the CA given as ca-certificate', async () => {
    expect((await tlsClient({ caCertificate: pki.caPem }).send({ method: 'GET', path: '/x' })).body).toEqual({
      tls: true
    })
  })

  it('through HTTPS_PROXY, still trusts the CA given and only it: the tunnel gets the CA too', async () => {
    const proxy = await startForwardProxy()
    process.env.HTTPS_PROXY = proxy.url
    try {
      const corp = tlsUrl.replace('127.0.0.1', 'platform.corp.invalid')
      const trusted = testHttpClient(corp, { kind: 'none' }, { tls: { caCertificate: pki.caPem } })
      expect((await trusted.send({ method: 'GET', path: '/x' })).body).toEqual({ tls: true })
      const error = await failure(testHttpClient(corp, { kind: 'none' }).send({ method: 'GET', path: '/x' }))
      expect(error.hint).toMatch(/^The server uses a certificate this runner does not trust/)
      expect(proxy.seen.map(record => record.kind)).toEqual(['connect', 'connect'])
    } finally {
      delete process.env.HTTPS_PROXY
      await proxy.close()
    }
  })

  it('through HTTP_PROXY, reaches an IPv6 literal address', async () => {
    const proxy = await startForwardProxy()
    process.env.HTTP_PROXY = proxy.url
    try {
      const mapped = scripted.url.replace('127.0.0.1', '[::ffff:7f00:1]')
      const response = await testHttpClient(mapped, { kind: 'none' }).send({ method: 'GET', path: '/v6' })
      expect(response.status).toBe(200)
      expect(proxy.seen.map(record => record.kind)).toEqual(['connect'])
      expect(seen.map(request => request.url)).toEqual(['/ctx/v6'])
    } finally {
      delete process.env.HTTP_PROXY
      await proxy.close()
    }
  })

  it('skips verification only when told to', async () => {
    const skipping = tlsClient({ insecureSkipTlsVerify: true })
    expect((await skipping.send({ method: 'GET', path: '/x' })).body).toEqual({ tls: true })
    await failure(tlsClient({ insecureSkipTlsVerify: false }).send({ method: 'GET', path: '/x' }))
  })
})
