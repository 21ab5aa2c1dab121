/**
 * IBM MobileFirst Foundation 8.0 administration service simulator. Sources:
 * - Deploy (POST) (shared/vendor-docs/003_…; IBM Knowledge Center r_restapi_deploy_multi_post):
 *   POST /management-apis/2.0/runtimes/{runtime}/deploy/multi?async=&locale=, multipart/form-data; roles
 *   mfpadmin, mfpdeployer; async defaults to false (synchronous); answers {ok, productVersion, transaction}
 *   as application/json, application/xml or text/xml; errors 400 no deployable, 403 not authorized,
 *   404 runtime not found or not running, 500 internal error.
 * - Transaction (GET) (https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/r_restapi_transaction_get.html):
 *   GET …/runtimes/{runtime}/transactions/{id}?locale= → the transaction itself (productVersion inside);
 *   roles mfpadmin, mfpdeployer, mfpmonitor, mfpoperator.
 * - Transaction states: PENDING, PREPARING, COMMITTING, REJECTING, SUCCESS, FAILURE, CANCELED.
 * - The upload's field name: the Developer Center uses `curl -u admin:admin -F file=@export.zip
 *   …/runtimes/mfp/deploy/multi` (github.com/MobileFirst-Platform-Developer-Center/DevCenter); the
 *   simulator accepts any field with a file name.
 * - Runtime Lock (GET) (r_restapi_runtime_lock_get): `…/runtimes/{runtime}/lock` → `{busy}`; "Transactions are
 *   performed sequentially … each transaction … takes the runtime lock. The next transaction waits until the
 *   lock is released": a transaction stays PENDING while another holds the lock. DELETE is not simulated.
 * - Transactions (GET) (r_restapi_transactions_get): `…/transactions?orderBy=&pageSize=&offset=&mode=errors` →
 *   `{items: […]}` (the paging fields beside items are ASSUMED: pageNumber, pageSize, totalListSize).
 * - Adapter (POST) `…/adapters` multipart/form-data (r_restapi_adapter_post; the 7.1 page's sample type
 *   UPLOAD_ADAPTER and XML root deploy-adapter-result) and Application (POST) `…/applications`, which consumes
 *   application/json (r_restapi_application_post); type UPLOAD_APPLICATION is ASSUMED.
 * ASSUMED (no source shows them): error bodies `{errorCode, errorMsg, productVersion}` (XML: an `<error>`
 * element with those attributes); 401 is the application server's HTML page; a body that is not
 * multipart/form-data gets 415 as JAX-RS answers it; a transaction of an unknown id is 404.
 * No API cancels a transaction, so none is simulated.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Fault, RecordedRequest, RunningServer, ServerOptions } from '../server.js'
import { boundaryOf, MultipartScanner, type MultipartResult, type ReceivedPart } from './multipart.js'
import {
  deployResultDocument,
  errorDocument,
  lockDocument,
  transactionListDocument,
  runtimeDocument,
  transactionDocument,
  type XmlTransaction
} from './xml.js'

export type Role = 'mfpadmin' | 'mfpdeployer' | 'mfpoperator' | 'mfpmonitor'
export type TransactionStatus =
  'PENDING' | 'PREPARING' | 'COMMITTING' | 'REJECTING' | 'SUCCESS' | 'FAILURE' | 'CANCELED'
export type TransactionOutcome = 'SUCCESS' | 'FAILURE' | 'CANCELED'
export type XmlMediaType = 'application/xml' | 'text/xml'

export interface MobileFirstUser {
  password: string
  roles: Role[]
}

/** How the transaction of an upload behaves, chosen by the first uploaded file name that has one. */
export interface TransactionBehaviour {
  /** Default 150. */
  pendingMs?: number
  /** Default 400. */
  preparingMs?: number
  /** COMMITTING before SUCCESS, REJECTING before FAILURE; default 250. */
  finishingMs?: number
  /** Default SUCCESS. */
  outcome?: TransactionOutcome
  /** Every `errors[].details` of a FAILURE; default one generic error. */
  errors?: string[]
  /** The deploy call itself fails: "500 An internal error occurred". */
  failWith?: 500
}

export interface MobileFirstSimulatorOptions extends ServerOptions {
  users?: Record<string, MobileFirstUser>
  /** Runtime names; `running: false` answers 404 like a stopped runtime. Default { mfp: {} }. */
  runtimes?: Record<string, { running?: boolean }>
  /** Behaviours by uploaded file name. */
  deployables?: Record<string, TransactionBehaviour>
  /** Answer XML of this media type whatever the Accept header says. */
  xml?: XmlMediaType
  /** The clock transactions move by; default Date.now. */
  now?: () => number
  firstTransactionId?: number
}

/** One upload as the simulator received it: what a test checks. */
export interface ReceivedUpload {
  runtime: string
  /** Which endpoint: deploy/multi, adapters or applications. */
  endpoint: Endpoint
  /** SHA-256 of the whole body (for an application descriptor, the descriptor itself). */
  sha256: string
  user: string
  query: Record<string, string>
  contentType: string
  contentLength?: number
  bytes: number
  multipart?: MultipartResult
  status: number
  transactionId?: string
}

export interface MobileFirstSimulator extends RunningServer {
  readonly users: Record<string, MobileFirstUser>
  readonly transactions: ReadonlyMap<string, SimulatedTransaction>
  readonly uploads: ReceivedUpload[]
  xml: XmlMediaType | undefined
  setRuntime(name: string, running?: boolean): void
  setDeployable(filename: string, behaviour: TransactionBehaviour): void
  /** Drops every transaction (and so every runtime lock): a fresh server for the next test. */
  forget(): void
}

export const DEFAULT_USERS: Record<string, MobileFirstUser> = {
  admin: { password: 'admin', roles: ['mfpadmin'] },
  deployer: { password: 'deployer-pass', roles: ['mfpdeployer'] },
  monitor: { password: 'monitor-pass', roles: ['mfpmonitor'] }
}
export type Endpoint = 'deploy/multi' | 'adapters' | 'applications'

const TRANSACTION_TYPE: Record<Endpoint, string> = {
  'deploy/multi': 'UPLOAD_ARTIFACT',
  adapters: 'UPLOAD_ADAPTER',
  applications: 'UPLOAD_APPLICATION'
}

export const PRODUCT_VERSION = '8.0.0.00-20240110-1500'
export const DEFAULT_FIRST_TRANSACTION_ID = 1001

const DEPLOY_ROLES: Role[] = ['mfpadmin', 'mfpdeployer']
const READ_ROLES: Role[] = ['mfpadmin', 'mfpdeployer', 'mfpoperator', 'mfpmonitor']

interface Resolved {
  pendingMs: number
  preparingMs: number
  finishingMs: number
  outcome: TransactionOutcome
  errors: string[]
}

function resolve(behaviour: TransactionBehaviour, synchronous: boolean): Resolved {
  const outcome = behaviour.outcome ?? 'SUCCESS'
  return {
    // A synchronous transaction has ended when the service answers.
    pendingMs: synchronous ? 0 : (behaviour.pendingMs ?? 150),
    preparingMs: synchronous ? 0 : (behaviour.preparingMs ?? 400),
    finishingMs: synchronous ? 0 : (behaviour.finishingMs ?? 250),
    outcome,
    errors: outcome === 'FAILURE' ? (behaviour.errors ?? ['An internal error occured while deploying.']) : []
  }
}

function typeOf(filename: string): string {
  if (filename.endsWith('.adapter')) return 'adapter'
  if (filename.endsWith('.json')) return 'application'
  if (filename.endsWith('.zip')) return 'export'
  return 'unknown'
}

/** One transaction; its state follows from the clock at every read. */
export class SimulatedTransaction {
  readonly reads = { count: 0 }

  constructor(
    readonly id: string,
    readonly runtime: string,
    readonly userName: string,
    readonly files: ReceivedPart[],
    readonly behaviour: Resolved,
    readonly createdAt: number,
    private readonly now: () => number,
    /** When the transaction takes the runtime lock: after its own PENDING time and after the one before it ends. */
    readonly lockedAt: number = createdAt + behaviour.pendingMs,
    readonly type: string = 'UPLOAD_ARTIFACT',
    readonly descriptor?: { name: string; type: string }
  ) {}

  /** When it releases the lock. */
  get endsAt(): number {
    const { preparingMs, finishingMs, outcome } = this.behaviour
    return this.lockedAt + preparingMs + (outcome === 'CANCELED' ? 0 : finishingMs)
  }

  /** Whether it holds the runtime lock now. */
  holdsLock(): boolean {
    const now = this.now()
    return now >= this.lockedAt && now < this.endsAt
  }

  /** The state and when it began. */
  private phase(): { status: TransactionStatus; since: number } {
    const { preparingMs, finishingMs, outcome } = this.behaviour
    const now = this.now()
    const locked = this.lockedAt
    if (now < locked) return { status: 'PENDING', since: this.createdAt }
    if (now < locked + preparingMs) return { status: 'PREPARING', since: locked }
    if (outcome === 'CANCELED') return { status: 'CANCELED', since: locked + preparingMs }
    const finishing = outcome === 'FAILURE' ? 'REJECTING' : 'COMMITTING'
    if (now < locked + preparingMs + finishingMs) return { status: finishing, since: locked + preparingMs }
    return { status: outcome, since: locked + preparingMs + finishingMs }
  }

  get status(): TransactionStatus {
    return this.phase().status
  }

  description(): XmlTransaction['description'] {
    if (this.descriptor) return { ...this.descriptor }
    const names = this.files.map(file => file.filename ?? '')
    if (names.length === 1) {
      const filename = names[0] ?? ''
      return { name: filename.replace(/\.[^.]+$/, ''), type: typeOf(filename), filename }
    }
    return { name: 'multi', type: 'multi', contentNames: names }
  }

  toJson(): XmlTransaction {
    const { status, since } = this.phase()
    return {
      appServerId: 'Liberty',
      description: this.description(),
      errors: status === 'FAILURE' ? this.behaviour.errors.map(details => ({ details })) : [],
      id: Number(this.id),
      project: { name: this.runtime },
      status,
      timeCreated: new Date(this.createdAt).toISOString(),
      timeUpdated: new Date(since).toISOString(),
      type: this.type,
      userName: this.userName
    }
  }
}

type Format = 'json' | XmlMediaType

/** JSON unless the client prefers XML (first listed wins) or the simulator is told to answer XML. */
function formatFor(accept: string | undefined, forced: XmlMediaType | undefined): Format {
  if (forced) return forced
  const types = (accept ?? '').split(',').map(type => type.split(';')[0]?.trim().toLowerCase())
  for (const type of types) {
    if (type === 'application/json') return 'json'
    if (type === 'application/xml' || type === 'text/xml') return type
  }
  return 'json'
}

function send(response: http.ServerResponse, status: number, format: Format, json: unknown, xml: string) {
  const text = format === 'json' ? JSON.stringify(json) : xml
  response.writeHead(status, {
    'content-type': format === 'json' ? 'application/json' : `${format}; charset=UTF-8`,
    'content-length': String(Buffer.byteLength(text))
  })
  response.end(text)
}

function sendError(
  response: http.ServerResponse,
  status: number,
  format: Format,
  code: string,
  message: string
) {
  const fields = { errorCode: code, errorMsg: message, productVersion: PRODUCT_VERSION }
  send(response, status, format, fields, errorDocument(fields))
}

function sendUnauthorized(response: http.ServerResponse) {
  const page =
    '<!DOCTYPE html><html><head><title>Error 401: Unauthorized</title></head>' +
    '<body><h1>Error 401: SRVE0295E: Error reported: 401</h1></body></html>'
  response.writeHead(401, {
    'content-type': 'text/html; charset=UTF-8',
    'www-authenticate': 'Basic realm="mfpadmin"',
    'content-length': String(Buffer.byteLength(page))
  })
  response.end(page)
}

function credentialsOf(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** Reads the request body through the multipart scanner: counted and hashed, never held. */
function consume(
  incoming: http.IncomingMessage,
  scanner: MultipartScanner | undefined
): Promise<{ bytes: number; multipart?: MultipartResult; aborted: boolean; sha256: string; text: string }> {
  return new Promise(done => {
    let bytes = 0
    const hash = createHash('sha256')
    const head: Buffer[] = []
    let headBytes = 0
    let settled = false
    const settle = (aborted: boolean) => {
      if (settled) return
      settled = true
      done({
        bytes,
        multipart: scanner?.end(),
        aborted,
        sha256: hash.digest('hex'),
        text: Buffer.concat(head).toString('utf8')
      })
    }
    incoming.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      hash.update(chunk)
      // The first 64 KiB kept as text: an application descriptor is read, an upload is only counted.
      if (headBytes < 65_536) {
        head.push(chunk)
        headBytes += chunk.length
      }
      scanner?.write(chunk)
    })
    incoming.on('end', () => settle(false))
    incoming.on('error', () => settle(true))
    incoming.on('close', () => settle(!incoming.complete))
  })
}

const DEPLOY = /^\/management-apis\/2\.0\/runtimes\/([^/]+)\/(deploy\/multi|adapters|applications)\/?$/
const LOCK = /^\/management-apis\/2\.0\/runtimes\/([^/]+)\/lock\/?$/
const TRANSACTIONS = /^\/management-apis\/2\.0\/runtimes\/([^/]+)\/transactions\/?$/
const TRANSACTION = /^\/management-apis\/2\.0\/runtimes\/([^/]+)\/transactions\/([^/]+)\/?$/
const RUNTIME = /^\/management-apis\/2\.0\/runtimes\/([^/]+)\/?$/

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export async function startMobileFirstSimulator(
  options: MobileFirstSimulatorOptions = {}
): Promise<MobileFirstSimulator> {
  const now = options.now ?? Date.now
  const users = options.users ?? DEFAULT_USERS
  const runtimes = new Map(
    Object.entries(options.runtimes ?? { mfp: {} }).map(([name, runtime]) => [name, runtime.running ?? true])
  )
  const deployables = new Map(Object.entries(options.deployables ?? {}))
  const transactions = new Map<string, SimulatedTransaction>()
  const uploads: ReceivedUpload[] = []
  const requests: RecordedRequest[] = []
  const faults: Fault[] = []
  let nextId = options.firstTransactionId ?? DEFAULT_FIRST_TRANSACTION_ID

  /** 401, 403 or 404 before anything else, in the order a Java EE server checks them. */
  function admit(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    format: Format,
    runtime: string,
    roles: Role[]
  ): string | undefined {
    const credentials = credentialsOf(request.headers.authorization)
    const user = credentials ? users[credentials.user] : undefined
    if (!credentials || !user || user.password !== credentials.password) {
      sendUnauthorized(response)
      return undefined
    }
    if (!user.roles.some(role => roles.includes(role))) {
      sendError(
        response,
        403,
        format,
        'FORBIDDEN',
        `The user ${credentials.user} is not authorized to call this service.`
      )
      return undefined
    }
    if (!runtimes.get(runtime)) {
      sendError(
        response,
        404,
        format,
        'RUNTIME_NOT_FOUND',
        `The runtime ${runtime} is not found or not running.`
      )
      return undefined
    }
    return credentials.user
  }

  async function deploy(
    incoming: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    runtime: string,
    format: Format,
    endpoint: Endpoint
  ) {
    const contentType = incoming.headers['content-type'] ?? ''
    const boundary = endpoint === 'applications' ? undefined : boundaryOf(contentType)
    const body = await consume(incoming, boundary ? new MultipartScanner(boundary) : undefined)
    const query = Object.fromEntries(url.searchParams)
    const lengthHeader = incoming.headers['content-length']
    const upload: ReceivedUpload = {
      runtime,
      endpoint,
      sha256: body.sha256,
      user: credentialsOf(incoming.headers.authorization)?.user ?? '',
      query,
      contentType,
      contentLength: lengthHeader === undefined ? undefined : Number(lengthHeader),
      bytes: body.bytes,
      multipart: body.multipart,
      status: 0
    }
    uploads.push(upload)
    if (body.aborted) {
      upload.status = -1
      return
    }
    const user = admit(incoming, response, format, runtime, DEPLOY_ROLES)
    if (!user) {
      upload.status = response.statusCode
      return
    }
    const answer = (status: number, code: string, message: string) => {
      upload.status = status
      sendError(response, status, format, code, message)
    }
    let files: ReceivedPart[] = []
    let descriptor: { name: string; type: string } | undefined
    if (endpoint === 'applications') {
      if (!contentType.toLowerCase().startsWith('application/json')) {
        return answer(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request must be application/json.')
      }
      let parsed: Record<string, unknown>
      try {
        parsed = JSON.parse(body.text) as Record<string, unknown>
      } catch {
        return answer(400, 'NO_DEPLOYABLE', 'No deployable data is provided.')
      }
      const key = (parsed.applicationKey ?? {}) as Record<string, unknown>
      const name = String(parsed.displayName ?? key.bundleId ?? key.packageName ?? 'application')
      descriptor = { name, type: String(key.clientPlatform ?? 'application') }
    } else {
      if (!boundary) return answer(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request must be multipart/form-data.')
      files = (body.multipart?.parts ?? []).filter(part => part.filename !== undefined && part.size > 0)
      if (!body.multipart?.complete || files.length === 0) {
        return answer(400, 'NO_DEPLOYABLE', 'No deployable data is provided.')
      }
    }
    const behaviour =
      files.map(file => deployables.get(file.filename ?? '')).find(Boolean) ??
      (descriptor ? deployables.get(descriptor.name) : undefined) ??
      {}
    if (behaviour.failWith === 500) return answer(500, 'INTERNAL_ERROR', 'An internal error occurred.')
    const synchronous = query.async !== 'true'
    const id = String(nextId++)
    const resolved = resolve(behaviour, synchronous)
    // The runtime lock: the transaction waits (PENDING) until every transaction before it has ended.
    const before = [...transactions.values()].filter(item => item.runtime === runtime)
    const free = Math.max(now(), ...before.map(item => item.endsAt))
    const lockedAt = synchronous ? now() : Math.max(now() + resolved.pendingMs, free)
    const transaction = new SimulatedTransaction(
      id,
      runtime,
      user,
      files,
      resolved,
      now(),
      now,
      lockedAt,
      TRANSACTION_TYPE[endpoint],
      descriptor
    )
    transactions.set(id, transaction)
    upload.status = 200
    upload.transactionId = id
    const json = transaction.toJson()
    const ok = json.status === 'SUCCESS'
    send(
      response,
      200,
      format,
      { ok, productVersion: PRODUCT_VERSION, transaction: json },
      deployResultDocument(
        ok,
        PRODUCT_VERSION,
        json,
        endpoint === 'adapters' ? 'deploy-adapter-result' : 'deploy-result'
      )
    )
  }

  function readTransaction(
    incoming: http.IncomingMessage,
    response: http.ServerResponse,
    runtime: string,
    id: string,
    format: Format
  ) {
    incoming.resume()
    if (!admit(incoming, response, format, runtime, READ_ROLES)) return
    const transaction = transactions.get(id)
    if (!transaction || transaction.runtime !== runtime) {
      return sendError(response, 404, format, 'TRANSACTION_NOT_FOUND', `The transaction ${id} is not found.`)
    }
    transaction.reads.count++
    const json = transaction.toJson()
    send(
      response,
      200,
      format,
      { ...json, productVersion: PRODUCT_VERSION },
      transactionDocument(json, PRODUCT_VERSION)
    )
  }

  async function handle(incoming: http.IncomingMessage, response: http.ServerResponse) {
    const url = new URL(incoming.url ?? '/', 'http://simulator.invalid')
    const method = (incoming.method ?? 'GET').toUpperCase()
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
      body: '',
      at: Date.now()
    }
    requests.push(recorded)
    const format = formatFor(incoming.headers.accept, simulator.xml)
    const fault = takeFault(recorded)
    if (fault?.kind === 'reset') {
      incoming.socket.resetAndDestroy()
      return
    }
    if (fault?.kind === 'status') {
      incoming.resume()
      return sendError(
        response,
        fault.status ?? 503,
        format,
        'UNAVAILABLE',
        http.STATUS_CODES[fault.status ?? 503] ?? ''
      )
    }
    if (fault?.kind === 'delay') await new Promise(wake => setTimeout(wake, fault.delayMs ?? 1000))
    const deployMatch = method === 'POST' ? DEPLOY.exec(url.pathname) : null
    if (deployMatch) {
      const endpoint = deployMatch[2] as Endpoint
      return deploy(incoming, response, url, decodeSegment(deployMatch[1] ?? ''), format, endpoint)
    }
    const lockMatch = method === 'GET' ? LOCK.exec(url.pathname) : null
    if (lockMatch) return readLock(incoming, response, decodeSegment(lockMatch[1] ?? ''), format)
    const listMatch = method === 'GET' ? TRANSACTIONS.exec(url.pathname) : null
    if (listMatch) return listTransactions(incoming, response, url, decodeSegment(listMatch[1] ?? ''), format)
    const transactionMatch = method === 'GET' ? TRANSACTION.exec(url.pathname) : null
    if (transactionMatch) {
      return readTransaction(
        incoming,
        response,
        decodeSegment(transactionMatch[1] ?? ''),
        decodeSegment(transactionMatch[2] ?? ''),
        format
      )
    }
    const runtimeMatch = method === 'GET' ? RUNTIME.exec(url.pathname) : null
    if (runtimeMatch) return readRuntime(incoming, response, decodeSegment(runtimeMatch[1] ?? ''), format)
    incoming.resume()
    sendError(response, 404, format, 'NOT_FOUND', `No API at ${method} ${url.pathname}`)
  }

  /**
   * Runtime (GET) `/management-apis/2.0/runtimes/{runtime}`: the runtime's metadata, for any admin role
   * (https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/r_restapi_runtime_get.html;
   * mirror: setgetweb.com/p/MobileFirst8/com.ibm.worklight.apiref.doc/apiref/r_restapi_runtime_get.html).
   */
  function readRuntime(
    incoming: http.IncomingMessage,
    response: http.ServerResponse,
    runtime: string,
    format: Format
  ) {
    incoming.resume()
    if (!admit(incoming, response, format, runtime, READ_ROLES)) return
    const json = {
      name: runtime,
      productVersion: PRODUCT_VERSION,
      running: true,
      synchronizationStatus: 'ok'
    }
    send(response, 200, format, json, runtimeDocument(json))
  }

  function readLock(
    incoming: http.IncomingMessage,
    response: http.ServerResponse,
    runtime: string,
    format: Format
  ) {
    incoming.resume()
    if (!admit(incoming, response, format, runtime, READ_ROLES)) return
    const busy = [...transactions.values()].some(item => item.runtime === runtime && item.holdsLock())
    send(response, 200, format, { busy }, lockDocument(busy))
  }

  const SORTS: Record<string, (item: SimulatedTransaction) => number | string> = {
    created: item => item.createdAt,
    updated: item => item.toJson().timeUpdated as string,
    type: item => item.type,
    status: item => item.status,
    user: item => item.userName,
    server: () => 'Liberty'
  }

  function listTransactions(
    incoming: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
    runtime: string,
    format: Format
  ) {
    incoming.resume()
    if (!admit(incoming, response, format, runtime, READ_ROLES)) return
    const orderBy = url.searchParams.get('orderBy') ?? 'created'
    const descending = orderBy.startsWith('-')
    const key = SORTS[orderBy.replace(/^-/, '')] ?? SORTS.created
    const pageSize = Number(url.searchParams.get('pageSize') ?? 100)
    const offset = Number(url.searchParams.get('offset') ?? 0)
    let items = [...transactions.values()].filter(item => item.runtime === runtime)
    if (url.searchParams.get('mode') === 'errors') items = items.filter(item => item.status === 'FAILURE')
    items.sort((a, b) => {
      const [x, y] = [key?.(a) ?? 0, key?.(b) ?? 0]
      const order = x < y ? -1 : x > y ? 1 : Number(a.id) - Number(b.id)
      return descending ? -order : order
    })
    const page = items.slice(offset, offset + pageSize).map(item => item.toJson())
    send(
      response,
      200,
      format,
      { items: page, pageNumber: Math.floor(offset / pageSize) + 1, pageSize, totalListSize: items.length },
      transactionListDocument(page)
    )
  }

  /** Serves the simulator's subset of the shared faults: reset, status and delay. */
  function takeFault(request: RecordedRequest): Fault | undefined {
    const index = faults.findIndex(fault => {
      const { method, path } = fault.match ?? {}
      if (method && method.toUpperCase() !== request.method) return false
      if (path) path.lastIndex = 0
      return !path || path.test(request.path)
    })
    if (index < 0) return undefined
    const fault = faults[index] as Fault
    if ((fault.times ?? 1) > 1) faults[index] = { ...fault, times: (fault.times ?? 1) - 1 }
    else faults.splice(index, 1)
    return fault
  }

  const sockets = new Set<Socket>()
  const server = http.createServer((incoming, response) => {
    handle(incoming, response).catch(error => {
      if (response.headersSent) response.destroy()
      else sendError(response, 500, 'json', 'SIMULATOR', `Simulator error: ${String(error)}`)
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail)
      ready()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host

  const simulator: MobileFirstSimulator = {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    faults,
    users,
    transactions,
    uploads,
    xml: options.xml,
    setRuntime: (name, running = true) => void runtimes.set(name, running),
    setDeployable: (filename, behaviour) => void deployables.set(filename, behaviour),
    forget: () => transactions.clear(),
    close: () =>
      new Promise<void>(closed => {
        server.close(() => closed())
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
      })
  }
  return simulator
}
