import http from 'node:http'
import net, { type AddressInfo, type Socket } from 'node:net'

export interface ProxyRecord {
  kind: 'connect' | 'forward'
  /** `host:port` of a CONNECT, the absolute URL of a forwarded request. */
  target: string
  headers: http.IncomingHttpHeaders
}

export interface ForwardProxy {
  url: string
  port: number
  seen: ProxyRecord[]
  /** Answer every request with this status (403: a proxy policy refusing the destination). */
  refuseWith?: number
  close(): Promise<void>
}

/**
 * Where the proxy connects for a host: loopback addresses as they are, any name to 127.0.0.1 (a corporate
 * proxy resolving internal names the runner cannot). Nothing leaves the machine.
 */
function loopbackFor(host: string): string | undefined {
  const bare = host.replace(/^\[|\]$/g, '')
  if (net.isIP(bare) === 0) return '127.0.0.1'
  if (/^127\./.test(bare) || bare === '::1' || /^::ffff:(127\.|7f)/i.test(bare)) return bare
  return undefined
}

function splitAuthority(authority: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(authority)
  return { host: match?.[1] ?? authority, port: Number(match?.[2] ?? 443) }
}

/** A real forward proxy on loopback: plain requests in absolute form, and CONNECT tunnels. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const sockets = new Set<Socket>()
  const proxy: ForwardProxy = { url: '', port: 0, seen: [], close: async () => undefined }

  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/')
    proxy.seen.push({ kind: 'forward', target: target.href, headers: request.headers })
    const address = loopbackFor(target.hostname)
    if (proxy.refuseWith || !address) {
      response.writeHead(proxy.refuseWith ?? 502, { 'content-type': 'text/plain' })
      response.end('Access denied by proxy policy')
      return
    }
    const upstream = http.request(
      {
        host: address,
        port: Number(target.port || 80),
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers: request.headers
      },
      answer => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    upstream.on('error', () => response.destroy())
    request.pipe(upstream)
  })

  server.on('connect', (request: http.IncomingMessage, client: Socket, head: Buffer) => {
    proxy.seen.push({ kind: 'connect', target: request.url ?? '', headers: request.headers })
    const { host, port } = splitAuthority(request.url ?? '')
    const address = loopbackFor(host)
    if (proxy.refuseWith || !address) {
      client.end(`HTTP/1.1 ${proxy.refuseWith ?? 502} Forbidden\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const upstream = net.connect(port, address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.once('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  proxy.port = (server.address() as AddressInfo).port
  proxy.url = `http://127.0.0.1:${proxy.port}`
  proxy.close = () =>
    new Promise<void>(resolve => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
      server.closeAllConnections()
    })
  return proxy
}
