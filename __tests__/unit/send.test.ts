import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { sendRequest, type WireOptions } from '../../src/http/send.js'
import { sendJson, startHttpServer, type RunningServer } from '../../simulator/server.js'
import { makeTestPki, type TestPki } from '../hardening/support/certificates.js'
import { startForwardProxy, type ForwardProxy } from '../hardening/support/forward-proxy.js'
import { scriptedServer } from '../fixtures/scripted-server.js'

/**
 * src/http/send.ts puts a request on the wire as @actions/http-client 4.0.1's HttpClient.request did (issue 16
 * replaced it to keep node:https and node:tls out of a plain-http start); these pin the library's wire
 * behaviour the action relied on. TLS and proxies: hardening/network-client.test.ts and unit/proxy.test.ts.
 */
const scripted = scriptedServer()

const wire = (extra: Partial<WireOptions> = {}): WireOptions => ({
  userAgent: 'enterprise-deploy',
  signal: new AbortController().signal,
  socketTimeoutMs: 5_000,
  ...extra
})

async function bodyOf(message: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of message) text += String(chunk)
  return text
}

afterEach(() => {
  delete process.env.ACTIONS_ORCHESTRATION_ID
  delete process.env.HTTPS_PROXY
})

describe('sendRequest', () => {
  it('sends the method, path with query, lower-cased headers, and Connection: close', async () => {
    const message = await sendRequest(
      'GET',
      `${scripted.url}/a/b?x=1&y=%20`,
      null,
      { Accept: 'application/json', 'X-Mixed-Case': 'v' },
      wire()
    )
    expect(message.statusCode).toBe(200)
    expect(await bodyOf(message)).toBe('{}')
    const [seen] = scripted.seen
    expect(seen?.method).toBe('GET')
    expect(seen?.url).toBe('/ctx/a/b?x=1&y=%20')
    expect(seen?.headers.accept).toBe('application/json')
    expect(seen?.headers['x-mixed-case']).toBe('v')
    expect(seen?.headers.connection).toBe('close')
    expect(seen?.headers['user-agent']).toBe('enterprise-deploy')
  })

  it('gives a string body its length in UTF-8 bytes', async () => {
    await (await sendRequest('POST', `${scripted.url}/s`, 'größe ✓', {}, wire())).resume()
    expect(scripted.seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength('größe ✓')))
    expect(scripted.seen[0]?.body).toBe('größe ✓')
  })

  it('gives a DELETE with a body its length, which Node itself leaves out (MMC removes by DELETE)', async () => {
    await (await sendRequest('DELETE', `${scripted.url}/d`, '{"servers":["m1"]}', {}, wire())).resume()
    expect(scripted.seen[0]?.headers['content-length']).toBe('18')
    expect(scripted.seen[0]?.body).toBe('{"servers":["m1"]}')
  })

  it('streams a body, chunked when no length is given', async () => {
    const body = Readable.from(['one,', 'two'])
    await (await sendRequest('PUT', `${scripted.url}/u`, body, {}, wire())).resume()
    expect(scripted.seen[0]?.body).toBe('one,two')
    expect(scripted.seen[0]?.headers['transfer-encoding']).toBe('chunked')
  })

  it("adds the runner's orchestration id to the user agent, as the library does, with odd characters replaced", async () => {
    process.env.ACTIONS_ORCHESTRATION_ID = 'run 42/a.b-c_d'
    await (await sendRequest('GET', `${scripted.url}/o`, null, { 'User-Agent': 'other' }, wire())).resume()
    expect(scripted.seen[0]?.headers['user-agent']).toBe(
      'enterprise-deploy actions_orchestration_id/run_42_a.b-c_d'
    )
  })

  it('fails with "Request timeout: <path>" when the server goes quiet', async () => {
    scripted.answers.push(() => undefined)
    await expect(
      sendRequest('GET', `${scripted.url}/slow?q=1`, null, {}, wire({ socketTimeoutMs: 150 }))
    ).rejects.toThrow('Request timeout: /ctx/slow?q=1')
  })

  it('reaches an IPv6 literal without its brackets', async () => {
    const mapped = scripted.url.replace('127.0.0.1', '[::ffff:7f00:1]')
    const message = await sendRequest('GET', `${mapped}/v6`, null, {}, wire())
    expect(message.statusCode).toBe(200)
    message.resume()
  })

  it('fails, never ends the body as if whole, when the body stream fails', async () => {
    const body = new Readable({ read() {} })
    const sent = sendRequest('PUT', `${scripted.url}/broken`, body, {}, wire())
    body.push('part of a file')
    setTimeout(() => body.destroy(new Error('the file went away')), 20)
    await expect(sent).rejects.toThrow('the file went away')
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(scripted.seen).toEqual([])
  })

  it('ends with the abort reason when the signal fires', async () => {
    scripted.answers.push(() => undefined)
    const controller = new AbortController()
    const sent = sendRequest('GET', `${scripted.url}/held`, null, {}, wire({ signal: controller.signal }))
    setTimeout(() => controller.abort(new Error('stop now')), 50)
    await expect(sent).rejects.toThrow(/abort|stop now/i)
  })
})

describe('sendRequest over TLS through a proxy', () => {
  let pki: TestPki
  let secure: RunningServer
  let proxy: ForwardProxy
  beforeAll(async () => {
    pki = makeTestPki()
    secure = await startHttpServer((_request, response) => sendJson(response, 200, { ok: true }), {
      tls: { key: pki.key, cert: pki.cert }
    })
    proxy = await startForwardProxy()
  })
  afterAll(async () => {
    await Promise.all([secure.close(), proxy.close()])
  })
  // Loopback is never proxied: a name only the test proxy resolves (to 127.0.0.1) goes through it.
  const corporate = () => `${secure.url.replace('127.0.0.1', 'platform.corp.invalid')}/api`

  it('skips the certificate check through the tunnel only with insecureSkipTlsVerify', async () => {
    process.env.HTTPS_PROXY = proxy.url
    await expect(sendRequest('GET', corporate(), null, {}, wire())).rejects.toThrow(
      /certificate|self[- ]signed/i
    )
    const message = await sendRequest(
      'GET',
      corporate(),
      null,
      {},
      wire({ tls: { insecureSkipTlsVerify: true } })
    )
    expect(message.statusCode).toBe(200)
    message.resume()
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2)
  })

  it('trusts the given CA through the tunnel', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const message = await sendRequest(
      'GET',
      corporate(),
      null,
      {},
      wire({ tls: { caCertificate: pki.caPem } })
    )
    expect(message.statusCode).toBe(200)
    message.resume()
  })
})
