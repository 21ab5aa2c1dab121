/**
 * Shared base for the vendor simulators: a loopback HTTP server that records every request, serves
 * injected faults before the vendor's handler, and closes without leaving sockets behind.
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  method: string
  /** The path without its query string. */
  path: string
  query: Record<string, string>
  headers: http.IncomingHttpHeaders
  body: string
  /** Arrival time (wall clock, ms). */
  at: number
}

export type FaultKind = 'reset' | 'status' | 'html' | 'garbage' | 'truncated' | 'delay'

/**
 * Served before the vendor handler to the next `times` (default 1) requests it matches:
 * - `reset`: the connection is reset without an answer;
 * - `status`: that status (default 503) with `headers` (e.g. Retry-After) and a small JSON body;
 * - `html`: a 502 (or `status`) HTML error page, as a proxy in front of the vendor would send;
 * - `garbage`: 200 `application/json` whose body is not JSON;
 * - `truncated`: 200 JSON announcing its full length, cut in the middle by a dropped connection;
 * - `delay`: waits `delayMs` (default 1000), then the vendor handler answers normally.
 */
export interface Fault {
  match?: { method?: string; path?: RegExp }
  kind: FaultKind
  status?: number
  headers?: Record<string, string>
  delayMs?: number
  times?: number
}

export type Handler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>

export interface ServerOptions {
  port?: number
  host?: string
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string }
  /**
   * Takes a request before its body is read (an upload to stream through a multipart scanner): returns
   * true when it answers the request itself. Such a request is recorded with an empty body.
   */
  intercept?: (incoming: http.IncomingMessage, response: http.ServerResponse) => boolean
}

export interface RunningServer {
  url: string
  port: number
  requests: RecordedRequest[]
  faults: Fault[]
  close(): Promise<void>
}

export function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers
  })
  response.end(text)
}

export function sendText(
  response: http.ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8'
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text))
  })
  response.end(text)
}

export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/** Writes one chunk, waiting for `drain` when the socket is full; false once the client has gone. */
export function writeChunk(response: http.ServerResponse, chunk: string | Buffer): Promise<boolean> {
  if (response.destroyed || response.writableEnded) return Promise.resolve(false)
  if (response.write(chunk)) return Promise.resolve(true)
  return new Promise(resolve => {
    const settle = (writable: boolean) => {
      response.off('drain', onDrain)
      response.off('close', onClose)
      resolve(writable)
    }
    const onDrain = () => settle(true)
    const onClose = () => settle(false)
    response.once('drain', onDrain)
    response.once('close', onClose)
  })
}

export type RouteHandler = (
  request: RecordedRequest,
  response: http.ServerResponse,
  params: Record<string, string>
) => void | Promise<void>

interface Route {
  method: string
  pattern: RegExp
  names: string[]
  handle: RouteHandler
}

/** Method + path routes; `:name` segments become URI-decoded params. A trailing slash is accepted. */
export class Router {
  private readonly routes: Route[] = []

  on(method: string, path: string, handle: RouteHandler): this {
    const names: string[] = []
    const source = path
      .split('/')
      .map(segment => {
        if (!segment.startsWith(':')) return escapeRegExp(segment)
        names.push(segment.slice(1))
        return '([^/]+)'
      })
      .join('/')
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, handle })
    return this
  }

  get(path: string, handle: RouteHandler): this {
    return this.on('GET', path, handle)
  }

  post(path: string, handle: RouteHandler): this {
    return this.on('POST', path, handle)
  }

  match(method: string, path: string): { handle: RouteHandler; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue
      const found = route.pattern.exec(path)
      if (!found) continue
      const params = Object.fromEntries(
        route.names.map((name, index) => [name, safeDecode(found[index + 1] ?? '')])
      )
      return { handle: route.handle, params }
    }
    return undefined
  }

  handler(notFound: Handler): Handler {
    return (request, response) => {
      const route = this.match(request.method, request.path)
      return route ? route.handle(request, response, route.params) : notFound(request, response)
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function faultMatches(fault: Fault, request: RecordedRequest): boolean {
  const { method, path } = fault.match ?? {}
  if (method && method.toUpperCase() !== request.method) return false
  if (!path) return true
  path.lastIndex = 0
  return path.test(request.path)
}

/** Finds the first fault matching the request and consumes one of its `times`. */
export function takeFault(faults: Fault[], request: RecordedRequest): Fault | undefined {
  const index = faults.findIndex(fault => faultMatches(fault, request))
  if (index < 0) return undefined
  const fault = faults[index] as Fault
  const remaining = (fault.times ?? 1) - 1
  if (remaining > 0) faults[index] = { ...fault, times: remaining }
  else faults.splice(index, 1)
  return fault
}

const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>' +
  '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n'

const TRUNCATED_JSON = JSON.stringify({
  status: 'S',
  message: 'This response is cut short by the simulator',
  padding: 'x'.repeat(200)
})

function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

function serveTruncated(response: http.ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(TRUNCATED_JSON))
  })
  response.write(TRUNCATED_JSON.slice(0, Math.floor(TRUNCATED_JSON.length / 2)), () => response.destroy())
}

/** Answers the request with the fault; false when the vendor handler should still answer (delay). */
export function serveFault(fault: Fault, response: http.ServerResponse, socket: Socket): boolean {
  switch (fault.kind) {
    case 'reset':
      resetConnection(socket)
      return true
    case 'status': {
      const status = fault.status ?? 503
      const message = http.STATUS_CODES[status] ?? `HTTP ${status}`
      sendJson(response, status, { status: 'E', message }, fault.headers)
      return true
    }
    case 'html':
      for (const [name, value] of Object.entries(fault.headers ?? {})) response.setHeader(name, value)
      sendText(response, fault.status ?? 502, HTML_ERROR_PAGE, 'text/html')
      return true
    case 'garbage':
      sendText(response, 200, '\u0000\u00ff<<not json>>\u0007', 'application/json')
      return true
    case 'truncated':
      serveTruncated(response)
      return true
    case 'delay':
      return false
  }
}

function recordRequest(incoming: http.IncomingMessage, body: string): RecordedRequest {
  const url = new URL(incoming.url ?? '/', 'http://simulator.invalid')
  return {
    method: (incoming.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: incoming.headers,
    body,
    at: Date.now()
  }
}

async function runHandler(handler: Handler, request: RecordedRequest, response: http.ServerResponse) {
  try {
    await handler(request, response)
  } catch (error) {
    if (response.headersSent) response.destroy()
    else sendJson(response, 500, { status: 'E', message: `Simulator error: ${String(error)}` })
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** Starts a server on 127.0.0.1 and an ephemeral port unless told otherwise; HTTPS when given `tls`. */
export async function startHttpServer(handler: Handler, options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const requests: RecordedRequest[] = []
  const faults: Fault[] = []
  const sockets = new Set<Socket>()
  const pauses = new Map<NodeJS.Timeout, () => void>()

  const pause = (ms: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(() => {
        pauses.delete(timer)
        resolve()
      }, ms)
      pauses.set(timer, resolve)
    })

  async function handle(incoming: http.IncomingMessage, response: http.ServerResponse) {
    if (options.intercept?.(incoming, response)) {
      requests.push(recordRequest(incoming, ''))
      return
    }
    const request = recordRequest(incoming, await readBody(incoming))
    requests.push(request)
    const fault = takeFault(faults, request)
    if (fault && serveFault(fault, response, incoming.socket)) return
    if (fault?.kind === 'delay') await pause(fault.delayMs ?? 1000)
    if (response.destroyed || incoming.socket.destroyed) return
    await runHandler(handler, request, response)
  }

  const listener = (incoming: http.IncomingMessage, response: http.ServerResponse) => {
    handle(incoming, response).catch(() => response.destroy())
  }
  const server = options.tls ? https.createServer(options.tls, listener) : http.createServer(listener)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  const close = () =>
    new Promise<void>(resolve => {
      for (const [timer, wake] of pauses) {
        clearTimeout(timer)
        wake()
      }
      pauses.clear()
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
      server.closeAllConnections()
    })

  const scheme = options.tls ? 'https' : 'http'
  return { url: `${scheme}://${urlHost(host)}:${port}`, port, requests, faults, close }
}

/** A request body as a JSON object; undefined for anything else (an array, a scalar, invalid JSON). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text || '{}')
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
