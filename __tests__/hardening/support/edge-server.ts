/**
 * A small EPMware-shaped server whose three routes a test rewrites: the trigger (`deployment/run`), the
 * status read and the log. It speaks the shapes of the EPMware driver (vendor Run Deployment and Task pages)
 * so the bundled action runs against it unchanged, and records every request it receives.
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Route = (request: http.IncomingMessage, response: http.ServerResponse) => void

export interface EdgeServer {
  url: string
  requests: { method: string; path: string; at: number }[]
  close(): Promise<void>
}

export const EDGE_TOKEN = 'edge-token-7f3a91'

export function json(response: http.ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}

export async function startEdgeServer(
  routes: { run?: Route; status?: Route; log?: Route } = {}
): Promise<EdgeServer> {
  const requests: EdgeServer['requests'] = []
  const sockets = new Set<Socket>()
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    requests.push({ method: request.method ?? '', path, at: Date.now() })
    request.resume()
    if (request.method === 'POST' && path === '/service/api/deployment/run')
      return (routes.run ?? ((_q, r) => json(r, { status: 'S', taskId: '77' })))(request, response)
    if (path.startsWith('/service/api/task/get_status/'))
      return (routes.status ?? ((_q, r) => json(r, { taskId: '77', status: 'S', percentCompleted: '100' })))(
        request,
        response
      )
    if (path.startsWith('/service/api/task/get_log_file/'))
      return (routes.log ?? ((_q, r) => r.end('deployment log\n')))(request, response)
    json(response, { status: 'E', message: 'not found' }, 404)
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

export function edgeInputs(server: EdgeServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    platform: 'epmware',
    'base-url': server.url,
    target: 'ASOALL',
    token: EDGE_TOKEN,
    'poll-interval': '1s',
    'max-poll-interval': '1s',
    ...extra
  }
}

/** Workflow commands as the runner reads them: lines split on \n and \r, leading white space trimmed. */
export function commandsIn(stdout: string): string[] {
  return stdout
    .split(/\r\n|\n|\r/)
    .map(line => line.trimStart())
    .filter(line => line.startsWith('::'))
}

/** Peak resident memory of a process, read from /proc while it runs (VmHWM is the high-water mark). */
export function watchPeakRss(pid: number): { stop(): number } {
  let peak = 0
  const read = async () => {
    try {
      const { readFile } = await import('node:fs/promises')
      const status = await readFile(`/proc/${pid}/status`, 'utf8')
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
      peak = Math.max(peak, kb * 1024)
    } catch {
      // The process ended.
    }
  }
  const timer = setInterval(() => void read(), 20)
  return {
    stop() {
      clearInterval(timer)
      return peak
    }
  }
}
