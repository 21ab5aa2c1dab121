import http, { type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http'
import type { Readable } from 'node:stream'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

/**
 * One request on the wire, as @actions/http-client's `HttpClient.request` sends it (lib/index.js of 4.0.1:
 * `_prepareRequest`, `_getAgent`, `requestRawWithCallback`), which the action used until issue 16. That library
 * imports node:https, node:tls and tunnel at its top, about 8 ms of every start on Node 20 for a request that
 * may be plain http. Here node:https and node:tls load only for a URL or a certificate that needs them; a proxy
 * (HTTPS_PROXY/HTTP_PROXY, NO_PROXY, as the library reads them) still gets the library's own tunnelling agent.
 */
export interface WireOptions {
  userAgent: string
  /** Aborts the request. */
  signal: AbortSignal
  /** Idle socket time after which the request fails with "Request timeout: <path>". */
  socketTimeoutMs: number
  tls?: { caCertificate?: string; insecureSkipTlsVerify?: boolean }
}

/** http-client's default socket timeout, used when none is given. */
const LIBRARY_SOCKET_TIMEOUT_MS = 3 * 60_000

export async function sendRequest(
  method: string,
  url: string,
  data: string | Readable | null,
  headers: OutgoingHttpHeaders,
  options: WireOptions
): Promise<IncomingMessage> {
  const parsed = new URL(url)
  const usingTls = parsed.protocol === 'https:'
  const transport = usingTls ? await import('node:https') : http
  const proxied = Boolean(getProxyUrl(parsed)?.hostname)
  const agent = proxied ? await tunnelAgent(url, options) : newAgent(usingTls ? transport.Agent : http.Agent)
  const requestOptions: RequestOptions & { ca?: string[]; rejectUnauthorized?: boolean } = {
    // A tunnel is opened to the host as given; a socket of our own needs an IPv6 literal without its brackets.
    host: proxied ? parsed.hostname : parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number.parseInt(parsed.port, 10) : usingTls ? 443 : 80,
    path: parsed.pathname + parsed.search,
    method,
    headers: { ...lowercaseKeys(headers), 'user-agent': withOrchestrationId(options.userAgent) },
    agent,
    signal: options.signal
  }
  const { tls } = options
  // Through a proxy the tunnelling agent opens TLS with its own options only, never the request's.
  const tunnelOptions = proxied ? (agent as { options?: Record<string, unknown> }).options : undefined
  if (usingTls && tls?.caCertificate) {
    const { rootCertificates } = await import('node:tls')
    requestOptions.ca = [...rootCertificates, tls.caCertificate]
    if (tunnelOptions) tunnelOptions.ca = requestOptions.ca
  }
  if (usingTls && tls?.insecureSkipTlsVerify) requestOptions.rejectUnauthorized = false
  if (typeof data === 'string') {
    requestOptions.headers = { ...requestOptions.headers, 'content-length': Buffer.byteLength(data, 'utf8') }
  }
  return new Promise<IncomingMessage>((resolve, reject) => {
    let settled = false
    const settle = (error: Error | undefined, message?: IncomingMessage) => {
      if (settled) return
      settled = true
      if (error) reject(error)
      else resolve(message as IncomingMessage)
    }
    const request = transport.request(requestOptions, message => settle(undefined, message))
    // If the connection goes quiet, the request fails in the library's words (retry.ts and client.ts read them).
    request.setTimeout(options.socketTimeoutMs || LIBRARY_SOCKET_TIMEOUT_MS, () => {
      request.socket?.end()
      settle(new Error(`Request timeout: ${requestOptions.path}`))
    })
    request.on('error', error => settle(error))
    if (typeof data === 'string') {
      request.end(data, 'utf8')
    } else if (data) {
      data.on('close', () => request.end())
      data.pipe(request)
    } else {
      request.end()
    }
  })
}

/**
 * No keep-alive, as the action always asked of the library: each request its own connection, announced with
 * `Connection: close` (Node sends that for an agent without keep-alive whose maxSockets is unbounded, the
 * library's agent as the action configured it).
 */
function newAgent(Agent: typeof http.Agent): http.Agent {
  return new Agent({ keepAlive: false })
}

/**
 * The library's tunnelling agent for a proxied URL (tunnel's httpOverHttp, httpsOverHttp, …); with
 * `ignoreSslError` it skips the server's certificate check, as the library did.
 */
async function tunnelAgent(url: string, options: WireOptions): Promise<http.Agent> {
  const { HttpClient } = await import('@actions/http-client')
  const client = new HttpClient(options.userAgent, [], {
    keepAlive: false,
    ignoreSslError: options.tls?.insecureSkipTlsVerify ?? false
  })
  return client.getAgent(url)
}

function lowercaseKeys(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}

/** The user agent the library sends: with the runner's orchestration id when it has one. */
function withOrchestrationId(userAgent: string): string {
  const id = process.env.ACTIONS_ORCHESTRATION_ID
  return id ? `${userAgent} actions_orchestration_id/${id.replace(/[^a-z0-9_.-]/gi, '_')}` : userAgent
}
