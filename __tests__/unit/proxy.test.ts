/**
 * A proxy's failure told in the proxy's name (src/http/proxy.ts). The errors are real: @actions/http-client's
 * tunnelling agent against a proxy on 127.0.0.1 that refuses CONNECT, and against a port nobody listens on.
 * The platform's host is a name only the proxy would resolve: nothing leaves the machine.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import net, { type AddressInfo, type Socket } from 'node:net'
import { HttpClient } from '@actions/http-client'
import { ActionError } from '../../src/errors.js'
import { isProxyFailure, proxyError, proxyOf } from '../../src/http/proxy.js'

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']
const PLATFORM = 'https://platform.corp.invalid:8443/api/ping'

interface RefusingProxy {
  url: string
  /** The status every CONNECT is answered with. */
  status: number
  connects: string[]
  close(): Promise<void>
}

/** A proxy on loopback that answers every CONNECT with `status` and never opens a tunnel. */
async function startRefusingProxy(): Promise<RefusingProxy> {
  const sockets = new Set<Socket>()
  const server = http.createServer((_request, response) => response.writeHead(502).end())
  const proxy: RefusingProxy = { url: '', status: 403, connects: [], close: async () => undefined }
  server.on('connect', (request: http.IncomingMessage, client: Socket) => {
    proxy.connects.push(request.url ?? '')
    client.end(`HTTP/1.1 ${proxy.status} Refused\r\nContent-Length: 0\r\n\r\n`)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () =>
    new Promise<void>(resolve => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    })
  return proxy
}

/** A loopback port that was just free: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/** What @actions/http-client throws for a GET of `url`. */
async function thrownBy(url: string): Promise<unknown> {
  const client = new HttpClient('proxy-test')
  try {
    return await client.get(url).then(
      () => new Error('the request got through'),
      (error: unknown) => error
    )
  } finally {
    client.dispose()
  }
}

let proxy: RefusingProxy

beforeAll(async () => {
  proxy = await startRefusingProxy()
})

afterAll(() => proxy.close())

afterEach(() => {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  proxy.status = 403
  proxy.connects.length = 0
})

describe('isProxyFailure', () => {
  it('is true for a proxy that refuses the tunnel', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const error = await thrownBy(PLATFORM)
    expect(proxy.connects).toEqual(['platform.corp.invalid:8443'])
    expect(isProxyFailure(error)).toBe(true)
  })

  it('is true for a proxy nobody listens on', async () => {
    process.env.HTTPS_PROXY = `http://127.0.0.1:${await closedPort()}`
    expect(isProxyFailure(await thrownBy(PLATFORM))).toBe(true)
  })

  it('is false for a server refused without a proxy', async () => {
    const error = await thrownBy(`http://127.0.0.1:${await closedPort()}/api`)
    expect(isProxyFailure(error)).toBe(false)
  })

  it('reads the agent’s words whatever their case, in an Error or a bare string', () => {
    expect(isProxyFailure(new Error('Tunneling Socket Could Not Be Established, statusCode=403'))).toBe(true)
    expect(isProxyFailure('tunneling socket could not be established, cause=x')).toBe(true)
    expect(isProxyFailure(new Error('tunneling socket established'))).toBe(false)
  })
})

describe('proxyOf', () => {
  it('is undefined when no proxy is configured', () => {
    expect(proxyOf(PLATFORM)).toBeUndefined()
  })

  it('names HTTPS_PROXY for an https URL, and shows the proxy without its credentials', () => {
    process.env.HTTPS_PROXY = 'http://proxyuser:proxy-secret-77@proxy.corp.invalid:3128/path'
    process.env.HTTP_PROXY = 'http://other.corp.invalid:8080'
    expect(proxyOf(PLATFORM)).toEqual({ proxy: 'http://proxy.corp.invalid:3128', variable: 'HTTPS_PROXY' })
  })

  it('names HTTP_PROXY for an http URL', () => {
    process.env.HTTPS_PROXY = 'http://proxy.corp.invalid:3128'
    process.env.HTTP_PROXY = 'https://other.corp.invalid:8080'
    expect(proxyOf('http://platform.corp.invalid/api')).toEqual({
      proxy: 'https://other.corp.invalid:8080',
      variable: 'HTTP_PROXY'
    })
  })

  it('is undefined for a host in NO_PROXY', () => {
    process.env.HTTPS_PROXY = proxy.url
    process.env.NO_PROXY = 'corp.invalid'
    expect(proxyOf(PLATFORM)).toBeUndefined()
  })
})

describe('proxyError', () => {
  it('says the proxy refused the tunnel, with the status it answered, and is not transient', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const cause = await thrownBy(PLATFORM)
    const error = proxyError('GET /api/ping', PLATFORM, cause)
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      `GET /api/ping failed: the proxy ${proxy.url} (HTTPS_PROXY) refused to open a tunnel to platform.corp.invalid:8443 (it answered CONNECT with HTTP 403)`
    )
    expect(error.hint).toBe(
      `The runner's HTTPS_PROXY sends this request through ${proxy.url}; allow platform.corp.invalid:8443 on the proxy, or add it to NO_PROXY if the runner reaches it directly.`
    )
    expect(error.transient).toBe(false)
    expect(error.cause).toBe(cause)
  })

  it('asks for the proxy’s credentials on 407, in the variable the request used, never showing them', async () => {
    process.env.HTTP_PROXY = proxy.url.replace('http://', 'http://proxyuser:proxy-secret-77@')
    proxy.status = 407
    const url = 'http://platform.corp.invalid/api/ping'
    const error = proxyError('GET /api/ping', url, await thrownBy(url))
    expect(error.message).toBe(
      `GET /api/ping failed: the proxy ${proxy.url} (HTTP_PROXY) refused to open a tunnel to platform.corp.invalid (it answered CONNECT with HTTP 407)`
    )
    expect(error.hint).toBe(
      'The proxy wants credentials: put them in HTTP_PROXY (http://user:password@proxy:port).'
    )
    expect(error.transient).toBe(false)
  })

  it('tells a proxy nobody listens on by the cause of the failure, and calls it transient', async () => {
    const port = await closedPort()
    process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`
    const error = proxyError('POST /api/deploy', PLATFORM, await thrownBy(PLATFORM))
    expect(error.message).toBe(
      `POST /api/deploy failed: the proxy http://127.0.0.1:${port} (HTTPS_PROXY) could not be reached (connect ECONNREFUSED 127.0.0.1:${port})`
    )
    expect(error.hint).toBe(
      `The runner's HTTPS_PROXY sends this request through http://127.0.0.1:${port}; allow platform.corp.invalid:8443 on the proxy, or add it to NO_PROXY if the runner reaches it directly.`
    )
    expect(error.transient).toBe(true)
  })

  it('shows the whole message when it has neither a status nor a cause', () => {
    process.env.HTTPS_PROXY = proxy.url
    const error = proxyError('GET /x', PLATFORM, new Error('tunneling socket could not be established'))
    expect(error.message).toBe(
      `GET /x failed: the proxy ${proxy.url} (HTTPS_PROXY) could not be reached (tunneling socket could not be established)`
    )
    expect(error.transient).toBe(true)
  })

  it('names the proxy generically when the configuration changed since the request', async () => {
    process.env.HTTPS_PROXY = proxy.url
    const cause = await thrownBy(PLATFORM)
    delete process.env.HTTPS_PROXY
    const error = proxyError('GET /api/ping', PLATFORM, cause)
    expect(error.message).toBe(
      'GET /api/ping failed: a proxy (HTTPS_PROXY/HTTP_PROXY) refused to open a tunnel to platform.corp.invalid:8443 (it answered CONNECT with HTTP 403)'
    )
    expect(error.hint).toBe(
      "The runner's HTTPS_PROXY/HTTP_PROXY sends this request through a proxy; allow platform.corp.invalid:8443 on the proxy, or add it to NO_PROXY if the runner reaches it directly."
    )
  })
})
