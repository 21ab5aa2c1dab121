import http, { type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http'
import type { Readable } from 'node:stream'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

/**
 * One request on the wire, as @actions/http-client's `HttpClient.request` sends it (lib/index.js of 4.0.1:
 * `_prepareRequest`, `_getAgent`, `requestRawWithCallback`), which the action used until issue 16. That library
 * imports node:https, node:tls and tunnel at its top, 7 ms of every start on Node 20 (README, Speed) for a request that
 * may be plain http. Here node:https and node:tls load only for a URL or a certificate that needs them; a proxy
 * (HTTPS_PROXY/HTTP_PROXY, NO_PROXY, as the library reads them) still gets the library's own tunnelling agent.
 */
export interface WireOptions {
  userAgent: string
  /** Aborts the request. */
  signal: AbortSignal
  /** Idle socket time (ms, over 0) after which the request fails with "Request timeout: <path>". */
  socketTimeoutMs: number
  tls?: { caCertificate?: string; insecureSkipTlsVerify?: boolean }
}

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
    // Node folds header names' case itself, the last value winning: ours override the caller's. A string body
    // has its length, which Node leaves out for a DELETE (a method it never sends chunked): the body would then
    // not reach the server.
    headers: {
      ...headers,
      ...(typeof data === 'string' ? { 'content-length': Buffer.byteLength(data) } : {}),
      'user-agent': withOrchestrationId(options.userAgent)
    },
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
  // The first answer or error settles it; a promise ignores what comes after.
  return new Promise<IncomingMessage>((resolve, reject) => {
    const request = transport.request(requestOptions, resolve)
    // If the connection goes quiet, the request fails in the library's words (retry.ts and client.ts read them).
    request.setTimeout(options.socketTimeoutMs, () =>
      request.destroy(new Error(`Request timeout: ${requestOptions.path}`))
    )
    request.on('error', reject)
    if (data === null || typeof data === 'string') {
      request.end(data ?? undefined)
    } else {
      // A body stream that fails ends the request unfinished, never as a complete (truncated) body.
      data.once('error', error => request.destroy(error))
      data.pipe(request)
    }
  })
}

/**
 * An agent of its own, with Node's defaults (no keep-alive, no socket limit), as the library made it for the
 * action's options: each request its own connection, announced with `Connection: close`.
 */
function newAgent(Agent: typeof http.Agent): http.Agent {
  return new Agent()
}

/**
 * The library's tunnelling agent for a proxied URL (tunnel's httpOverHttp, httpsOverHttp, …); with
 * `ignoreSslError` it skips the server's certificate check, as the library did.
 */
async function tunnelAgent(url: string, options: WireOptions): Promise<http.Agent> {
  const { HttpClient } = await import('@actions/http-client')
  const client = new HttpClient(options.userAgent, undefined, {
    ignoreSslError: options.tls?.insecureSkipTlsVerify ?? false
  })
  return client.getAgent(url)
}

/** The user agent the library sends: with the runner's orchestration id when it has one. */
function withOrchestrationId(userAgent: string): string {
  const id = process.env.ACTIONS_ORCHESTRATION_ID
  return id ? `${userAgent} actions_orchestration_id/${id.replace(/[^a-z0-9_.-]/gi, '_')}` : userAgent
}
