/**
 * A server that echoes a credential back in every encoding the redactor knows of, in front of the real
 * simulator of each platform: as the body of a refusal (JSON, text, HTML or XML), or through the
 * simulator's own messages, details and logs.
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  startBmcRpmSimulator,
  startEpmwareSimulator,
  startFlexDeploySimulator,
  startMobileFirstSimulator,
  startMuleMmcSimulator
} from '../../../simulator/index.js'
import { tempDirSync } from '../../fixtures/temp.js'

const base64At = (text: string, shift: number) =>
  Buffer.concat([Buffer.alloc(shift, 0x78), Buffer.from(text)]).toString('base64')

/** `text` as a server could echo it, each encoding on a line of its own, labelled. */
export function echoes(text: string): Record<string, string> {
  return {
    raw: text,
    json: JSON.stringify(text).slice(1, -1),
    'json ascii': JSON.stringify(text)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
    percent: encodeURIComponent(text),
    form: new URLSearchParams({ v: text }).toString().slice(2),
    html: text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;'),
    xml: text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;'),
    backslash: text.replace(/[\\"']/g, '\\$&'),
    'base64 +0': base64At(text, 0),
    'base64 +1': base64At(text, 1),
    'base64 +2': base64At(text, 2),
    'base64url +0': Buffer.from(text).toString('base64url'),
    'base64url +1': base64At(text, 1).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    'base64url +2': base64At(text, 2).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    hex: Buffer.from(text).toString('hex'),
    HEX: Buffer.from(text).toString('hex').toUpperCase()
  }
}

/** Every echo of every secret, one per line: what the hostile server says. */
export function echoText(secrets: string[], extra: string[] = []): string {
  const lines = secrets.flatMap(secret =>
    Object.entries(echoes(secret)).map(([name, form]) => `${name}: ${form}`)
  )
  return [...lines, ...extra].join('\n')
}

export type EchoKind = 'json' | 'text' | 'html' | 'xml'

function refusalBody(kind: EchoKind, text: string): { type: string; body: string } {
  const xml = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  switch (kind) {
    case 'json':
      return {
        type: 'application/json',
        body: JSON.stringify({ status: 'E', message: text, echo: { text } })
      }
    case 'text':
      return { type: 'text/plain; charset=utf-8', body: text }
    case 'html':
      return { type: 'text/html', body: `<html><body><h1>Error</h1><pre>${xml}</pre></body></html>` }
    case 'xml':
      return { type: 'application/xml', body: `<error><message>${xml}</message><echo>${xml}</echo></error>` }
  }
}

export interface Refusal {
  /** Which request is refused: the first one, the trigger, or the first status read after the trigger. */
  when: 'first' | 'trigger' | 'read'
  status: number
  kind: EchoKind
}

export interface EchoFront {
  url: string
  close(): Promise<void>
}

/**
 * Forwards to `upstream`, except the request `refusal` picks: that one is answered with the echo of the
 * secrets — and of the request's own URL and Authorization header, as a server echoing the request would.
 */
export async function startEchoFront(
  upstream: string,
  secrets: string[],
  refusal:
    | (Refusal & { isTrigger(method: string, path: string): boolean; isRead(path: string): boolean })
    | undefined
): Promise<EchoFront> {
  const sockets = new Set<Socket>()
  let seen = 0
  let triggered = false
  let refused = false
  const server = http.createServer((incoming, response) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const body = Buffer.concat(chunks)
      const method = (incoming.method ?? 'GET').toUpperCase()
      const url = incoming.url ?? '/'
      const pathname = new URL(url, 'http://echo.invalid').pathname
      const first = seen++ === 0
      const trigger = refusal?.isTrigger(method, pathname) ?? false
      const picked =
        refusal &&
        !refused &&
        ((refusal.when === 'first' && first) ||
          (refusal.when === 'trigger' && trigger) ||
          (refusal.when === 'read' && triggered && refusal.isRead(pathname)))
      if (trigger) triggered = true
      if (picked) {
        refused = true
        const text = echoText(secrets, [
          `request: ${method} ${url}`,
          `authorization: ${incoming.headers.authorization}`
        ])
        const { type, body: answer } = refusalBody(refusal.kind, text)
        response.writeHead(refusal.status, {
          'content-type': type,
          'content-length': Buffer.byteLength(answer)
        })
        response.end(answer)
        return
      }
      const target = new URL(upstream)
      const headers = { ...incoming.headers, host: target.host, 'content-length': String(body.length) }
      delete headers['transfer-encoding']
      const outgoing = http.request(new URL(url, upstream), { method, headers }, answer => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      })
      outgoing.on('error', () => response.destroy())
      outgoing.end(body)
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

export interface EchoPlatform {
  platform: string
  /** Which secret inputs the credential goes in; what the simulator is started with. */
  credential: 'token' | 'password'
  /**
   * The credential travels raw in an HTTP header (EPMware's `Token`): the action sends it as UTF-8 and the
   * simulator reads headers as Latin-1, so beyond ASCII it would be refused before any echo.
   */
  asciiOnly: boolean
  /** Starts the simulator with `secret` as its credential; `echo` (when given) in its messages and logs. */
  start(secret: string, echo: string | undefined): Promise<{ url: string; close(): Promise<void> }>
  inputs(root: string, secret: string): Record<string, string>
  env?(): Record<string, string>
  isTrigger(method: string, path: string): boolean
  isRead(path: string): boolean
  /** Whether the simulator can carry server text in its answers (Mule MMC's cannot). */
  remoteEcho: boolean
}

export const USER = 'echo-user'
const fast = { 'poll-interval': '100ms', 'max-poll-interval': '200ms', timeout: '20s' }

let workspace: string | undefined
function mobileFirstWorkspace(): string {
  if (workspace) return workspace
  workspace = tempDirSync('ed-echo-ws-')
  mkdirSync(path.join(workspace, 'adapters'))
  writeFileSync(path.join(workspace, 'adapters', 'echo.adapter'), 'an adapter')
  return workspace
}

export const ECHO_PLATFORMS: EchoPlatform[] = [
  {
    platform: 'epmware',
    credential: 'token',
    asciiOnly: true,
    remoteEcho: true,
    async start(secret, echo) {
      const sim = await startEpmwareSimulator({
        token: secret,
        deployments: {
          ECHO: {
            durationMs: 300,
            logLines: 3,
            ...(echo ? { outcome: 'E', message: echo, logLine: echo } : {})
          }
        }
      })
      return sim
    },
    inputs: (root, secret) => ({
      platform: 'epmware',
      'base-url': root,
      token: secret,
      target: 'ECHO',
      ...fast
    }),
    isTrigger: (method, path) => method === 'POST' && path.endsWith('/deployment/run'),
    isRead: path => path.includes('/task/get_status/')
  },
  {
    platform: 'mule-mmc',
    credential: 'password',
    asciiOnly: false,
    remoteEcho: false,
    async start(secret) {
      return startMuleMmcSimulator({
        username: USER,
        password: secret,
        deployments: [{ name: 'echo', behaviour: { durationMs: 300 } }]
      })
    },
    inputs: (root, secret) => ({
      platform: 'mule-mmc',
      'base-url': `${root}/mmc`,
      username: USER,
      password: secret,
      target: 'echo',
      ...fast
    }),
    isTrigger: method => method !== 'GET',
    isRead: path => /\/api\/deployments\/[^/]+$/.test(path)
  },
  {
    platform: 'bmc-rpm',
    credential: 'token',
    asciiOnly: false,
    remoteEcho: true,
    async start(secret, echo) {
      const sim = await startBmcRpmSimulator({ token: secret })
      const now = Date.now()
      sim.setEvent('41', { startAt: now - 60_000, finishAt: now + 60 * 60_000, reason: echo ?? null })
      return sim
    },
    inputs: (root, secret) => ({
      platform: 'bmc-rpm',
      'base-url': root,
      token: secret,
      operation: 'check-window',
      target: '41',
      ...fast
    }),
    // check-window only reads: its first read is where a trigger would be.
    isTrigger: (_method, path) => path.includes('/deployment_window/'),
    isRead: path => path.includes('/deployment_window/')
  },
  {
    platform: 'mobilefirst',
    credential: 'password',
    asciiOnly: false,
    remoteEcho: true,
    async start(secret, echo) {
      return startMobileFirstSimulator({
        users: { [USER]: { password: secret, roles: ['mfpdeployer'] } },
        deployables: {
          'echo.adapter': {
            pendingMs: 100,
            preparingMs: 200,
            ...(echo ? { outcome: 'FAILURE', errors: [echo] } : {})
          }
        }
      })
    },
    inputs: (root, secret) => ({
      platform: 'mobilefirst',
      'base-url': root,
      username: USER,
      password: secret,
      target: 'mfp',
      artifacts: 'adapters/echo.adapter',
      ...fast
    }),
    env: () => ({ GITHUB_WORKSPACE: mobileFirstWorkspace() }),
    isTrigger: method => method === 'POST',
    isRead: path => path.includes('/transactions/')
  },
  {
    platform: 'flexdeploy',
    credential: 'password',
    asciiOnly: false,
    remoteEcho: true,
    async start(secret, echo) {
      return startFlexDeploySimulator({
        username: USER,
        password: secret,
        projects: [
          {
            id: 10601,
            name: 'Echo',
            folderPath: 'FlexDeploy/Echo',
            requests: [
              { durationMs: 300, ...(echo ? { outcome: 'FAILED', failure: echo, output: echo } : {}) }
            ]
          }
        ]
      })
    },
    inputs: (root, secret) => ({
      platform: 'flexdeploy',
      'base-url': `${root}/flexdeploy`,
      username: USER,
      password: secret,
      target: '10601',
      parameters: 'environmentId: 11210',
      ...fast
    }),
    isTrigger: method => method === 'POST',
    isRead: path => path.includes('/workflowrequest/')
  }
]
