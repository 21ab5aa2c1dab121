import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { VirtualClock } from '../../src/engine/clock.js'
import type { Auth, HttpClientOptions } from '../../src/http/client.js'
import { testHttpClient } from '../fixtures/http-client.js'
import { json, scriptedServer, type Handler } from '../fixtures/scripted-server.js'

const scripted = scriptedServer()
const { seen, answers } = scripted
const reset: Handler = req => req.socket.destroy()

function client(
  overrides: Partial<HttpClientOptions> = {},
  auth: Auth = { kind: 'token-header', scheme: 'Token', token: 'tok-abc' }
) {
  return testHttpClient(scripted.url, auth, {
    retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides
  })
}

describe('HttpClient', () => {
  it('sends the token header, JSON body and reads JSON back', async () => {
    answers.push(json(200, { status: 'S', taskId: '7' }))
    const response = await client().send({
      method: 'POST',
      path: '/service/api/deployment/run',
      json: { name: 'A' }
    })
    expect(response.body).toEqual({ status: 'S', taskId: '7' })
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/ctx/service/api/deployment/run',
      body: '{"name":"A"}'
    })
    expect(seen[0]?.headers.authorization).toBe('Token tok-abc')
    expect(seen[0]?.headers['content-type']).toBe('application/json')
  })

  it('puts a query token in the query string and Basic credentials in the header', async () => {
    await client({}, { kind: 'token-query', parameter: 'token', token: 'q t' }).send({
      method: 'GET',
      path: '/v1/x',
      query: { a: 1 }
    })
    expect(seen[0]?.url).toBe('/ctx/v1/x?a=1&token=q+t')
    expect(seen[0]?.headers.authorization).toBeUndefined()
    await client({}, { kind: 'basic', username: 'u', password: 'p' }).send({ method: 'GET', path: '/y' })
    expect(seen[1]?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`)
  })

  it('retries a read through resets and 503s, honouring Retry-After', async () => {
    answers.push(reset, json(503, {}), json(429, {}, { 'retry-after': '0' }), json(200, { ok: true }))
    const retries: string[] = []
    const response = await client({ onRetry: message => retries.push(message) }).send({
      method: 'GET',
      path: '/s'
    })
    expect(response.body).toEqual({ ok: true })
    expect(seen).toHaveLength(4)
    expect(retries).toHaveLength(3)
    expect(retries[1]).toMatch(/HTTP 503; retrying GET \/s/)
  })

  it('returns the last answer when retries run out', async () => {
    answers.push(
      json(503, { message: 'down' }),
      json(503, { message: 'down' }),
      json(503, { message: 'down' }),
      json(503, { message: 'down' })
    )
    const response = await client().send({ method: 'GET', path: '/s' })
    expect(response.status).toBe(503)
    expect(response.body).toEqual({ message: 'down' })
    expect(seen).toHaveLength(4)
  })

  it('never sends a trigger twice once the server may have received it', async () => {
    answers.push(reset)
    await expect(client().send({ method: 'POST', path: '/run', json: {} })).rejects.toThrow(
      /POST \/run failed/
    )
    answers.push(json(503, {}))
    const response = await client().send({ method: 'POST', path: '/run', json: {} })
    expect(response.status).toBe(503)
    expect(seen).toHaveLength(2)
  })

  it('says what came back when an HTML page or garbage arrives instead of JSON', async () => {
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<!DOCTYPE html><html><body>Login required</body></html>')
    })
    const error = await client()
      .send({ method: 'GET', path: '/s' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(
      /GET \/s answered HTTP 200 with text\/html where JSON was expected .*Login required/
    )

    // A garbled read is read again (4 attempts here): only one that stays garbled is an error.
    for (let attempt = 0; attempt < 4; attempt++) {
      answers.push((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"status": "R", "perc')
      })
    }
    await expect(client().send({ method: 'GET', path: '/s' })).rejects.toThrow(
      /application\/json where JSON was expected .*\{"status": "R", "perc/
    )
  })

  it('reads XML when the server answers XML, and refuses entity declarations', async () => {
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' })
      res.end('<transaction><id>42</id><status>SUCCESS</status></transaction>')
    })
    expect((await client().send({ method: 'GET', path: '/t' })).body).toEqual({
      transaction: { id: '42', status: 'SUCCESS' }
    })
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' })
      res.end('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    })
    await expect(client().send({ method: 'GET', path: '/t' })).rejects.toThrow(
      /DOCTYPE or entity declarations is refused/
    )
  })

  it('bounds each request by its own timeout', async () => {
    answers.push(
      () => undefined,
      () => undefined
    )
    const started = Date.now()
    const error = await client({
      requestTimeoutMs: 200,
      retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 }
    })
      .send({ method: 'GET', path: '/slow' })
      .catch((e: unknown) => e)
    expect((error as ActionError).message).toMatch(/GET \/slow got no answer within 0.2s/)
    expect((error as ActionError).transient).toBe(true)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('bounds each request by the step deadline and the run’s cancellation', async () => {
    await expect(client({ deadline: Date.now() - 1 }).send({ method: 'GET', path: '/x' })).rejects.toThrow(
      /timeout ran out/
    )
    const controller = new AbortController()
    answers.push(() => undefined)
    const pending = client({ signal: controller.signal }).send({ method: 'GET', path: '/hang' })
    setTimeout(() => controller.abort(new Error('cancelled')), 50)
    await expect(pending).rejects.toThrow('cancelled')
  })

  it('keeps the token out of its own messages', async () => {
    const query = client({}, { kind: 'token-query', parameter: 'token', token: 'sekret-token' })
    expect(query.describe({ method: 'GET', path: '/v1/events/sekret-token' })).toBe('GET /v1/events/***')
  })

  it('streams a body without reading it whole', async () => {
    answers.push((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('line 1\nline 2\n')
    })
    const opened = await client().stream({ method: 'GET', path: '/log', expect: 'text' })
    let text = ''
    for await (const chunk of opened.stream) text += String(chunk)
    expect(opened.status).toBe(200)
    expect(text).toBe('line 1\nline 2\n')
  })
})

describe('HttpClient retry promises, on a virtual clock', () => {
  it('waits exactly what Retry-After: 2 says before reading again', async () => {
    const clock = new VirtualClock(5_000_000)
    const retries: string[] = []
    answers.push(json(503, {}, { 'retry-after': '2' }), json(200, { ok: true }))
    const response = await client({
      clock,
      deadline: clock.now() + 60_000,
      onRetry: message => retries.push(message)
    }).send({ method: 'GET', path: '/x' })
    expect(response.body).toEqual({ ok: true })
    expect(clock.now()).toBe(5_002_000)
    expect(retries).toEqual(['HTTP 503; retrying GET /x in 2s (attempt 2 of 4)'])
  })

  it('reports a TLS failure as lasting: transient === false, not retried', async () => {
    let connections = 0
    const count = () => connections++
    scripted.server.on('connection', count)
    // an HTTPS client against the plain-HTTP server: the TLS handshake fails
    const failure = await testHttpClient(
      scripted.url.replace('http:', 'https:'),
      { kind: 'none' },
      {
        retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 }
      }
    )
      .send({ method: 'GET', path: '/x' })
      .catch((error: unknown) => error)
    scripted.server.off('connection', count)
    expect(seen).toHaveLength(0)
    expect(connections).toBe(1)
    expect(failure).toBeInstanceOf(ActionError)
    expect((failure as ActionError).transient).toBe(false)
  })
})
