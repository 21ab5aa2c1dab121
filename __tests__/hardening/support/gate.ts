import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { serveFault, takeFault, type Fault, type RecordedRequest } from '../../../simulator/server.js'

/**
 * A loopback front for any simulator: records what reached "the server", serves injected faults the
 * simulator itself may not know, can vanish (stop listening: connection refused) for a while, and
 * forwards everything else unchanged. Served over HTTPS when given a key and certificate.
 */
export interface Gate {
  url: string
  port: number
  requests: RecordedRequest[]
  faults: Fault[]
  /** Runs `action` (queue faults, vanish) once a request matching `when` has gone through: the trigger, a first read. */
  arm(when: (request: RecordedRequest) => boolean, action: () => void): void
  /** The first request matching `path` is reset and the gate stops listening for `forMs`, then returns. */
  vanish(path: RegExp, forMs: number): void
  /** When the vanished gate listened again; undefined until then. */
  returnedAt?: number
  close(): Promise<void>
}

function readBuffer(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

export async function startGate(upstream: string, tls?: { key: string; cert: string }): Promise<Gate> {
  const target = new URL(upstream)
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let armed: { when: (request: RecordedRequest) => boolean; action: () => void } | undefined
  let vanishing: { path: RegExp; forMs: number } | undefined
  let closed = false

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      action()
    }, ms)
    timers.add(timer)
  }

  const forward = (incoming: http.IncomingMessage, response: http.ServerResponse, body: Buffer) => {
    const headers = { ...incoming.headers, host: target.host, 'content-length': String(body.length) }
    delete headers['transfer-encoding']
    const outgoing = http.request(
      new URL(incoming.url ?? '/', upstream),
      { method: incoming.method, headers },
      answer => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    outgoing.on('error', () => response.destroy())
    outgoing.end(body)
  }

  const handle = async (incoming: http.IncomingMessage, response: http.ServerResponse) => {
    const body = await readBuffer(incoming)
    const url = new URL(incoming.url ?? '/', 'http://gate.invalid')
    const request: RecordedRequest = {
      method: (incoming.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      body: body.toString('utf8'),
      at: Date.now()
    }
    gate.requests.push(request)
    if (vanishing && vanishing.path.test(request.path)) {
      const { forMs } = vanishing
      vanishing = undefined
      incoming.socket.destroy()
      server.close()
      for (const socket of sockets) socket.destroy()
      later(forMs, () => {
        if (closed) return
        server.listen(gate.port, '127.0.0.1', () => (gate.returnedAt = Date.now()))
      })
      return
    }
    const fault = takeFault(gate.faults, request)
    if (armed?.when(request)) {
      const { action } = armed
      armed = undefined
      action()
    }
    if (fault && serveFault(fault, response, incoming.socket)) return
    if (fault?.kind === 'delay') await new Promise<void>(resolve => later(fault.delayMs ?? 1000, resolve))
    if (response.destroyed || incoming.socket.destroyed || closed) return
    forward(incoming, response, body)
  }

  const listener = (incoming: http.IncomingMessage, response: http.ServerResponse) => {
    handle(incoming, response).catch(() => response.destroy())
  }
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener)
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const gate: Gate = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests: [],
    faults: [],
    arm: (when, action) => void (armed = { when, action }),
    vanish: (path, forMs) => void (vanishing = { path, forMs }),
    close: () =>
      new Promise<void>(resolve => {
        closed = true
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        for (const socket of sockets) socket.destroy()
        if (!server.listening) return resolve()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
  return gate
}
