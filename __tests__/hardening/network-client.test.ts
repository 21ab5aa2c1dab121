/**
 * The one HTTP client in an enterprise network: an internal CA, skipping verification, forward proxies
 * (CONNECT), NO_PROXY, redirects that must not carry credentials away, and paths that must not escape.
 * Real servers on loopback; nothing is mocked.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import type { Auth, HttpClientOptions } from '../../src/http/client.js'
import { sendJson, startHttpServer, type RunningServer } from '../../simulator/server.js'
import { makeTestPki, type TestPki } from './support/certificates.js'
import { startForwardProxy, type ForwardProxy } from './support/forward-proxy.js'
import { testHttpClient } from '../fixtures/http-client.js'

const TOKEN = 'network-token-3c9e1f'
const TOKEN_AUTH: Auth = { kind: 'token-header', scheme: 'Token', token: TOKEN }
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']

let pki: TestPki
let https: RunningServer
let plain: RunningServer
let proxy: ForwardProxy

const ok = (_request: unknown, response: Parameters<typeof sendJson>[0]) =>
  sendJson(response, 200, { ok: true })

beforeAll(async () => {
  pki = makeTestPki()
  https = await startHttpServer(ok, { tls: { key: pki.key, cert: pki.cert } })
  plain = await startHttpServer(ok)
  proxy = await startForwardProxy()
})

afterAll(async () => {
  await Promise.all([https.close(), plain.close(), proxy.close()])
})

afterEach(() => {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  https.requests.length = 0
  plain.requests.length = 0
  proxy.seen.length = 0
  proxy.refuseWith = undefined
})

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}, auth: Auth = TOKEN_AUTH) {
  return testHttpClient(baseUrl, auth, {
    deadline: Date.now() + 20_000,
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
    ...options
  })
}

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}

const get = (path = '/api/ping') => ({ method: 'GET' as const, path })

describe('TLS with an internal CA', () => {
  it('refuses a server signed by an unknown CA and says to give ca-certificate', async () => {
    const error = await failure(client(https.url).send(get()))
    expect(error.message).toMatch(/GET \/api\/ping failed: .*(certificate|issuer)/i)
    expect(error.hint).toMatch(/ca-certificate/)
    expect(https.requests).toHaveLength(0)
  })

  it('trusts the CA given as ca-certificate, besides the system’s, by IP and by name', async () => {
    for (const base of [https.url, https.url.replace('127.0.0.1', 'localhost')]) {
      const response = await client(base, { tls: { caCertificate: pki.caPem } }).send(get())
      expect(response.status).toBe(200)
    }
    expect(https.requests[0]?.headers.authorization).toBe(`Token ${TOKEN}`)
  })

  it('does not trust a server because some other CA was given', async () => {
    const error = await failure(client(https.url, { tls: { caCertificate: pki.otherCaPem } }).send(get()))
    expect(error.hint).toMatch(/ca-certificate/)
  })

  it('sends a streamed body (MobileFirst’s upload) over TLS with the CA', async () => {
    const { Readable } = await import('node:stream')
    const response = await client(https.url, { tls: { caCertificate: pki.caPem } }).send({
      method: 'POST',
      path: '/upload',
      body: Readable.from([Buffer.from('part one, '), Buffer.from('part two')]),
      headers: { 'content-type': 'application/octet-stream' }
    })
    expect(response.status).toBe(200)
    expect(https.requests[0]?.body).toBe('part one, part two')
  })

  it('skips verification with insecure-skip-tls-verify', async () => {
    const response = await client(https.url, { tls: { insecureSkipTlsVerify: true } }).send(get())
    expect(response.status).toBe(200)
  })
})

describe('forward proxies from the runner’s environment', () => {
  // @actions/http-client never proxies localhost or 127.*, so these tests address the server by a name
  // only the proxy can resolve (it maps every name to 127.0.0.1) or by an IPv4-mapped loopback address.
  const corpName = (server: RunningServer) => server.url.replace('127.0.0.1', 'platform.corp.invalid')

  it('tunnels plain HTTP through HTTP_PROXY with CONNECT, credentials inside the tunnel only', async () => {
    process.env.HTTP_PROXY = proxy.url
    const response = await client(corpName(plain)).send(get())
    expect(response.status).toBe(200)
    expect(proxy.seen.map(record => `${record.kind} ${record.target}`)).toEqual([
      `connect platform.corp.invalid:${plain.port}`
    ])
    expect(proxy.seen[0]?.headers.authorization).toBeUndefined()
    expect(plain.requests[0]?.headers.authorization).toBe(`Token ${TOKEN}`)
  })

  it('tunnels HTTPS through HTTPS_PROXY and still verifies the server with ca-certificate', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const withCa = client(corpName(https), { tls: { caCertificate: pki.caPem } })
    expect((await withCa.send(get())).status).toBe(200)
    expect(proxy.seen.map(record => record.kind)).toEqual(['connect'])
    const withoutCa = await failure(client(corpName(https)).send(get()))
    expect(withoutCa.hint).toMatch(/ca-certificate/)
  })

  it('keeps a proxy’s credentials out of messages', async () => {
    process.env.HTTPS_PROXY = proxy.url.replace('http://', 'http://proxyuser:proxy-secret-77@')
    proxy.refuseWith = 407
    const error = await failure(client(corpName(https)).send(get()))
    expect(`${error.message} ${error.hint}`).not.toContain('proxy-secret-77')
    expect(error.hint).toMatch(/wants credentials/)
  })

  it('reports a proxy that refuses the tunnel as the proxy’s failure, not the platform’s', async () => {
    process.env.HTTPS_PROXY = proxy.url
    proxy.refuseWith = 403
    const error = await failure(client(corpName(https), { tls: { caCertificate: pki.caPem } }).send(get()))
    expect(error.message).toBe(
      `GET /api/ping failed: the proxy ${proxy.url} (HTTPS_PROXY) refused to open a tunnel to platform.corp.invalid:${https.port} (it answered CONNECT with HTTP 403)`
    )
    expect(error.hint).toMatch(/NO_PROXY/)
    expect(error.transient).toBe(false)
    expect(https.requests).toHaveLength(0)
  })

  it('reports a proxy nobody listens on as the proxy’s failure', async () => {
    const gone = await startForwardProxy()
    await gone.close()
    process.env.HTTP_PROXY = gone.url
    const error = await failure(client(corpName(plain)).send(get()))
    expect(error.message).toMatch(
      new RegExp(`failed: the proxy ${gone.url} \\(HTTP_PROXY\\) could not be reached \\(.*ECONNREFUSED`)
    )
    expect(error.hint).toMatch(/HTTP_PROXY/)
  })

  it('goes direct for hosts in NO_PROXY, and for loopback whatever NO_PROXY says', async () => {
    process.env.HTTP_PROXY = proxy.url
    const mapped = plain.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')
    expect((await client(mapped).send(get())).status).toBe(200)
    expect(proxy.seen).toHaveLength(1)
    process.env.NO_PROXY = 'example.com, [::ffff:7f00:1]'
    expect((await client(mapped).send(get())).status).toBe(200)
    expect((await client(plain.url).send(get())).status).toBe(200)
    expect(proxy.seen).toHaveLength(1)
    expect(plain.requests).toHaveLength(3)
  })
})

describe('redirects never carry credentials to another origin', () => {
  let origin: RunningServer
  let other: RunningServer
  let location = ''

  beforeAll(async () => {
    other = await startHttpServer(ok)
    origin = await startHttpServer((request, response) => {
      if (request.path.startsWith('/moved')) {
        response.writeHead(302, { location })
        response.end()
      } else sendJson(response, 200, { here: true })
    })
  })
  afterAll(async () => {
    await Promise.all([origin.close(), other.close()])
  })
  afterEach(() => {
    origin.requests.length = 0
    other.requests.length = 0
  })

  it.each([
    ['another host name (127.0.0.1 → localhost)', () => other.url.replace('127.0.0.1', 'localhost')],
    ['the same host name on another port', () => other.url]
  ])('drops Authorization on a redirect to %s', async (_what, target) => {
    location = `${target()}/landing`
    const basic: Auth = { kind: 'basic', username: 'deployer', password: 'redirect-pw-5521' }
    for (const auth of [TOKEN_AUTH, basic]) {
      const response = await client(origin.url, {}, auth).send(get('/moved'))
      expect(response.status).toBe(200)
    }
    expect(origin.requests.map(request => Boolean(request.headers.authorization))).toEqual([true, true])
    expect(other.requests.map(request => request.headers.authorization)).toEqual([undefined, undefined])
  })

  it('keeps credentials on a relative redirect within base-url’s origin', async () => {
    location = '/landing'
    const response = await client(origin.url).send(get('/moved'))
    expect(response.body).toEqual({ here: true })
    expect(origin.requests.map(request => request.headers.authorization)).toEqual([
      `Token ${TOKEN}`,
      `Token ${TOKEN}`
    ])
  })

  it('does not forward a query token (BMC RPM) to another origin, even when the Location echoes it', async () => {
    const auth: Auth = { kind: 'token-query', parameter: 'token', token: TOKEN }
    for (const echoed of ['', `?token=${TOKEN}&keep=1`, `?t=${TOKEN}`]) {
      location = `${other.url}/landing${echoed}`
      expect((await client(origin.url, {}, auth).send(get('/moved'))).status).toBe(200)
    }
    expect(origin.requests.every(request => request.query.token === TOKEN)).toBe(true)
    expect(other.requests.map(request => request.query)).toEqual([{}, { keep: '1' }, {}])
  })

  it('refuses a redirect from HTTPS to HTTP', async () => {
    const secure = await startHttpServer(
      (_request, response) => {
        response.writeHead(301, { location: `${plain.url}/landing` })
        response.end()
      },
      { tls: { key: pki.key, cert: pki.cert } }
    )
    try {
      const error = await failure(client(secure.url, { tls: { caCertificate: pki.caPem } }).send(get()))
      expect(error.message).toMatch(/redirected from HTTPS to http; refused/)
      expect(plain.requests).toHaveLength(0)
    } finally {
      await secure.close()
    }
  })

  it('gives up after five redirects', async () => {
    location = '/moved/again'
    const error = await failure(client(origin.url).send(get('/moved')))
    expect(error.message).toMatch(/redirected more than 5 times/)
    expect(origin.requests).toHaveLength(6)
  })
})

describe('request paths stay inside the API', () => {
  it.each(['..', '.', '%2e%2E', '.%2e', 'x?admin=1', 'x#frag'])(
    'refuses a path segment %p without sending anything',
    async segment => {
      const error = await failure(client(plain.url).send(get(`/api/deployments/${segment}`)))
      expect(error.message).toMatch(/Refused to send GET \/api\/deployments\/.* outside the API path/)
      expect(error.hint).toMatch(/target and task-id/)
      expect(plain.requests).toHaveLength(0)
    }
  )

  it('sends an encoded segment that merely contains dots', async () => {
    expect((await client(plain.url).send(get(`/api/deployments/${encodeURIComponent('a..b')}`))).status).toBe(
      200
    )
    expect(plain.requests[0]?.path).toBe('/api/deployments/a..b')
  })
})
