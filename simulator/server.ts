import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  method: string
  /** Path without the query string. */
  path: string
  query: Record<string, string>
  headers: http.IncomingHttpHeaders
  body: string
  at: number
}

/**
 * A fault served instead of (or before) the vendor's answer, for as many matching requests as `times`.
 * `reset` drops the connection unanswered; `status` answers that status (with `headers`, e.g. Retry-After);
 * `html` a 502 HTML page; `garbage` 200 non-JSON; `truncated` 200 JSON cut short; `delay` waits, then answers.
 */
export interface Fault {
  match?: { method?: string; path?: RegExp }
  kind: 'reset' | 'status' | 'html' | 'garbage' | 'truncated' | 'delay'
  status?: number
  headers?: Record<string, string>
  delayMs?: number
  times?: number
}

export type Handler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>

export interface RunningServer {
  url: string
  port: number
  requests: RecordedRequest[]
  faults: Fault[]
  close(): Promise<void>
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text)
  })
  response.end(text)
}

export function sendText(
  response: http.ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain'
): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) })
  response.end(text)
}

function faultFor(faults: Fault[], request: RecordedRequest): Fault | undefined {
  const index = faults.findIndex(
    fault =>
      (!fault.match?.method || fault.match.method === request.method) &&
      (!fault.match?.path || fault.match.path.test(request.path))
  )
  if (index < 0) return undefined
  const fault = faults[index] as Fault
  const times = (fault.times ?? 1) - 1
  if (times <= 0) faults.splice(index, 1)
  else faults[index] = { ...fault, times }
  return fault
}

/** Serves the fault; true when it answered (or dropped) the request, false when the handler runs next. */
async function serveFault(fault: Fault, response: http.ServerResponse, socket: Socket): Promise<boolean> {
  switch (fault.kind) {
    case 'reset':
      socket.destroy()
      return true
    case 'status':
      response.writeHead(fault.status ?? 503, { 'content-type': 'application/json', ...fault.headers })
      response.end(JSON.stringify({ status: 'E', message: `simulated HTTP ${fault.status ?? 503}` }))
      return true
    case 'html':
      sendText(
        response,
        fault.status ?? 502,
        '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
        'text/html'
      )
      return true
    case 'garbage':
      sendText(response, 200, '\u0000\u00ffnot json at all', 'application/json')
      return true
    case 'truncated':
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end('{"taskId":"1","status":"R","percentComp')
      return true
    case 'delay':
      await new Promise(resolve => setTimeout(resolve, fault.delayMs ?? 1000))
      return response.destroyed
  }
}

/** Starts a loopback HTTP server (an ephemeral port unless told) that records every request. */
export async function startHttpServer(
  handler: Handler,
  options: { port?: number; host?: string } = {}
): Promise<RunningServer> {
  const requests: RecordedRequest[] = []
  const faults: Fault[] = []
  const sockets = new Set<Socket>()
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://simulator')
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now()
      }
      requests.push(request)
      void (async () => {
        const fault = faultFor(faults, request)
        if (fault && (await serveFault(fault, response, incoming.socket))) return
        try {
          await handler(request, response)
        } catch (error) {
          if (!response.headersSent) sendJson(response, 500, { status: 'E', message: String(error) })
          else response.destroy()
        }
      })()
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    faults,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** A tiny router: `GET /service/api/task/get_status/:taskId` → handler with decoded params. */
export class Router {
  private readonly routes: { method: string; pattern: RegExp; names: string[]; handle: RouteHandler }[] = []

  on(method: string, path: string, handle: RouteHandler): this {
    const names: string[] = []
    const pattern = new RegExp(
      '^' + path.replace(/:(\w+)/g, (_match, name: string) => (names.push(name), '([^/]+)')) + '/?$'
    )
    this.routes.push({ method, pattern, names, handle })
    return this
  }

  handler(notFound: Handler): Handler {
    return (request, response) => {
      for (const route of this.routes) {
        const match = route.method === request.method ? route.pattern.exec(request.path) : null
        if (!match) continue
        const params = Object.fromEntries(
          route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')])
        )
        return route.handle(request, response, params)
      }
      return notFound(request, response)
    }
  }
}

export type RouteHandler = (
  request: RecordedRequest,
  response: http.ServerResponse,
  params: Record<string, string>
) => void | Promise<void>
