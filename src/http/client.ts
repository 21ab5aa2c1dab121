import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { ActionError, errorFields, isAbortError } from '../errors.js'
import type { Clock } from '../engine/clock.js'
import { describeBytes } from '../text/bytes.js'
import { formatDuration } from '../text/duration.js'
import type { Redactor } from '../secrets.js'
import { parseBody, parseErrorBody, readyToParse, UnreadableBodyError, type BodyKind } from './body.js'
import { assertContainedPath } from './path.js'
import { isProxyFailure, proxyError } from './proxy.js'
import { sendRequest } from './send.js'
import { credentialsFor, MAX_REDIRECTS, redirectRefusal, redirectTarget } from './redirect.js'
import {
  backoffDelay,
  isNetworkError,
  neverReachedServer,
  RETRYABLE_STATUSES,
  retryAfterMs
} from './retry.js'

export type Auth =
  | { kind: 'token-header'; scheme: string; token: string }
  | { kind: 'token-query'; parameter: string; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'none' }

export interface HttpClientOptions {
  baseUrl: string
  auth: Auth
  redactor: Redactor
  clock: Clock
  /** Aborts every request: the run was cancelled. */
  signal: AbortSignal
  /** Clock time after which no request may still be running: the step's deadline. */
  deadline: number
  requestTimeoutMs?: number
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number }
  tls?: { caCertificate?: string; insecureSkipTlsVerify?: boolean }
  onRetry?: (message: string) => void
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path below base-url, starting with `/`; segments already encoded by the caller. */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  json?: unknown
  body?: string | Readable
  headers?: OutgoingHttpHeaders
  expect?: BodyKind
  /**
   * How long this request may take, in ms; the client's default (30 s) when absent. `Infinity`: bounded
   * only by the deadline (a trigger the server holds open until the job ends, EPMware's `timeout_min`).
   */
  timeoutMs?: number
  /**
   * Whether sending it twice is harmless. Defaults to true for GET only: a trigger is never repeated once
   * the server may have received it (a second deployment is worse than a failed step).
   */
  idempotent?: boolean
}

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: unknown
  text: string
}

export interface HttpStream {
  status: number
  headers: IncomingHttpHeaders
  stream: Readable
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
/** A status or trigger answer larger than this is no answer we can use: an error naming the size, never a retry. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024
const USER_AGENT = 'enterprise-deploy'

/**
 * The one HTTP client: authentication, per-request and step deadlines, retries of reads, redaction of
 * what it says, and bodies parsed into clear errors. Drivers describe requests; this sends them.
 */
export class HttpClient {
  private readonly requestTimeoutMs: number
  /** What bounds the requests sent from now on: the run's signal and the step's deadline, until a wind-down. */
  private phase: { signal: AbortSignal; deadline: number }
  /** True once a request that must not be repeated (a trigger) was handed to the network. */
  sentUnrepeatable = false

  constructor(private readonly options: HttpClientOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    this.phase = { signal: options.signal, deadline: options.deadline }
  }

  /**
   * From now on requests answer to a budget of their own: the deadline given and, unless `followRunSignal`,
   * no longer the run's signal (a last read and the log fetch after a timeout or a cancellation must be able
   * to run). Requests already under way keep the bounds they were sent with.
   */
  enterPhase(deadline: number, options: { followRunSignal?: boolean } = {}): void {
    const budget = AbortSignal.timeout(Math.max(1, deadline - this.options.clock.now()))
    const signal = options.followRunSignal ? AbortSignal.any([this.options.signal, budget]) : budget
    this.phase = { signal, deadline }
  }

  /** `GET /path?query` with secrets scrubbed: how a request is named in messages. */
  describe(request: Pick<HttpRequest, 'method' | 'path'>): string {
    return this.options.redactor.scrub(`${request.method} ${request.path}`)
  }

  /** Sends a request (retrying what may be retried) and reads its whole body. Any status is returned. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    return this.withRetries(request, async (signal, limit) => {
      const message = await this.dispatch(request, signal, limit)
      const text = await readText(message, signal, this.describe(request))
      const contentType = String(message.headers['content-type'] ?? '')
      const status = message.statusCode ?? 0
      await readyToParse(text, contentType)
      const body =
        status >= 200 && status < 300
          ? parseBody(text, contentType, request.expect ?? 'json', this.describe(request), status)
          : parseErrorBody(text, contentType)
      return { status, headers: message.headers, body, text }
    })
  }

  /** Opens a response to stream (a remote log). The body is the caller's to consume or destroy. */
  async stream(request: HttpRequest): Promise<HttpStream> {
    // Bounded by the step's deadline and by idleness (the socket timeout), not by the per-request timeout:
    // a large log legitimately takes longer than one status read.
    return this.withRetries(
      request,
      async signal => {
        const idle = Number.isFinite(this.timeoutOf(request))
          ? this.timeoutOf(request)
          : this.requestTimeoutMs
        const message = await this.dispatch(request, signal, idle)
        return { status: message.statusCode ?? 0, headers: message.headers, stream: message }
      },
      false
    )
  }

  private async withRetries<T extends { status: number; headers: IncomingHttpHeaders }>(
    request: HttpRequest,
    attempt: (signal: AbortSignal, limitMs: number) => Promise<T>,
    boundedByRequestTimeout = true
  ): Promise<T> {
    const { clock } = this.options
    const attempts = this.options.retry?.attempts ?? 5
    const idempotent = request.idempotent ?? request.method === 'GET'
    for (let tried = 1; ; tried++) {
      const remaining = this.phase.deadline - clock.now()
      if (remaining <= 0) throw this.deadlineError(request)
      const limit = boundedByRequestTimeout ? Math.min(this.timeoutOf(request), remaining) : remaining
      const signal = AbortSignal.any([this.phase.signal, AbortSignal.timeout(limit)])
      let failure: { reason: string; retryAfter?: number; error: ActionError }
      try {
        const response = await attempt(signal, limit)
        if (!RETRYABLE_STATUSES.has(response.status) || !idempotent) return response
        if (tried >= attempts) return response
        if ('stream' in response) (response as unknown as HttpStream).stream.destroy()
        failure = {
          reason: `HTTP ${response.status}`,
          retryAfter: retryAfterMs(response.headers['retry-after'], Date.now()),
          error: new ActionError(`${this.describe(request)} answered HTTP ${response.status}`, {
            httpStatus: response.status,
            transient: true
          })
        }
      } catch (error) {
        if (this.phase.signal.aborted) throw this.phase.signal.reason ?? error
        const reached = !neverReachedServer(error)
        if (error instanceof UnreadableBodyError && error.garbled && idempotent && tried < attempts) {
          failure = { reason: `HTTP ${error.httpStatus ?? 200} with a body that could not be read`, error }
        } else {
          const actionError = this.networkError(request, error, signal)
          if (error instanceof ActionError) throw error
          if (!actionError.transient) throw actionError
          if (!isNetworkError(error) && !isAbortError(error)) throw actionError
          if ((!idempotent && reached) || tried >= attempts) throw actionError
          failure = { reason: actionError.message, error: actionError }
        }
      }
      const delay = Math.max(
        failure.retryAfter ?? 0,
        backoffDelay(tried, this.options.retry?.baseDelayMs ?? 500, this.options.retry?.maxDelayMs ?? 30_000)
      )
      if (clock.now() + delay >= this.phase.deadline) throw failure.error
      this.options.onRetry?.(
        this.options.redactor.scrub(
          `${failure.reason}; retrying ${this.describe(request)} in ${Math.round(delay / 100) / 10}s (attempt ${tried + 1} of ${attempts})`
        )
      )
      await clock.sleep(delay, this.phase.signal)
    }
  }

  private timeoutOf(request: HttpRequest): number {
    return request.timeoutMs ?? this.requestTimeoutMs
  }

  private networkError(request: HttpRequest, error: unknown, signal: AbortSignal): ActionError {
    const description = this.describe(request)
    // The library's own socket timeout (set to the same limit) can fire before the signal does.
    const timedOut =
      (signal.aborted && isAbortError(signal.reason)) || /^Request timeout:/.test(errorFields(error).message)
    if (timedOut) {
      const idempotent = request.idempotent ?? request.method === 'GET'
      const limit = this.timeoutOf(request)
      const within = Number.isFinite(limit) ? `within ${formatDuration(limit)}` : "before the step's timeout"
      return new ActionError(`${description} got no answer ${within}`, {
        transient: true,
        hint: idempotent
          ? undefined
          : 'The server may have received it and started the job: check the platform before running the step again (the action never sends it twice).',
        cause: error
      })
    }
    if (isProxyFailure(error)) return proxyError(description, this.url(request), error)
    const fields = errorFields(error)
    const detail = this.options.redactor.scrub(fields.message)
    const code = fields.code
    const tlsHint = /certificate|self[- ]signed|unable to verify/i.test(detail)
      ? 'The server uses a certificate this runner does not trust: give its CA with ca-certificate (PEM text or a file path).'
      : undefined
    return new ActionError(
      `${description} failed: ${detail}${code && !detail.includes(code) ? ` (${code})` : ''}`,
      {
        transient: isNetworkError(error),
        hint:
          tlsHint ??
          (code === 'ECONNREFUSED' || code === 'ENOTFOUND'
            ? 'Check base-url and that the server is reachable from the runner.'
            : undefined),
        cause: error
      }
    )
  }

  private deadlineError(request: HttpRequest): ActionError {
    return new ActionError(`The step's timeout ran out before ${this.describe(request)} could be sent`, {
      transient: false
    })
  }

  private url(request: HttpRequest): string {
    const url = new URL(this.options.baseUrl + request.path)
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    if (this.options.auth.kind === 'token-query')
      url.searchParams.set(this.options.auth.parameter, this.options.auth.token)
    return url.href
  }

  private headers(request: HttpRequest): OutgoingHttpHeaders {
    const accept = { json: 'application/json', xml: 'application/xml, text/xml', text: 'text/plain, */*' }[
      request.expect ?? 'json'
    ]
    const headers: OutgoingHttpHeaders = { accept, ...request.headers }
    const { auth } = this.options
    // Set as a plain header, not a handler: the library then drops it on a redirect to another host.
    if (auth.kind === 'token-header') headers.authorization = `${auth.scheme} ${auth.token}`
    if (auth.kind === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    }
    if (request.json !== undefined) headers['content-type'] = 'application/json'
    return headers
  }

  /**
   * Sends one attempt, following redirects itself: the library keeps Authorization on a redirect to the
   * same host name on another port, cannot follow a relative Location, and would re-send a consumed stream.
   */
  private async dispatch(
    request: HttpRequest,
    signal: AbortSignal,
    socketTimeout: number
  ): Promise<IncomingMessage> {
    const description = this.describe(request)
    assertContainedPath(request.path, description)
    if (!(request.idempotent ?? request.method === 'GET')) this.sentUnrepeatable = true
    const data = request.json !== undefined ? JSON.stringify(request.json) : (request.body ?? null)
    const allHeaders = this.headers(request)
    const baseOrigin = new URL(this.options.baseUrl).origin
    const { auth } = this.options
    const queryToken = auth.kind === 'token-query' ? auth : undefined
    let url = this.url(request)
    let headers = allHeaders
    for (let redirects = 0; ; redirects++) {
      const message = await sendRequest(request.method, url, data, headers, {
        userAgent: USER_AGENT,
        signal,
        socketTimeoutMs: socketTimeout,
        tls: this.options.tls
      })
      if (!(request.idempotent ?? request.method === 'GET')) {
        const refusal = redirectRefusal(message, url, description, text => this.options.redactor.scrub(text))
        if (refusal) {
          message.destroy()
          throw refusal
        }
        return message
      }
      const next =
        typeof data === 'object' && data !== null ? undefined : redirectTarget(message, url, description)
      if (!next) return message
      message.destroy()
      if (redirects >= MAX_REDIRECTS) {
        throw new ActionError(`${description} was redirected more than ${MAX_REDIRECTS} times`, {
          hint: 'Check base-url: it should be the address the API answers at, not one that redirects.'
        })
      }
      ;({ url, headers } = credentialsFor(next, baseOrigin, allHeaders, queryToken))
    }
  }
}

/** Reads a body whole, bounded in size and by the signal (the library's own reader never settles on a reset). */
function readText(message: IncomingMessage, signal: AbortSignal, description: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    // The first reason wins: destroying the message makes it report 'aborted' too.
    const fail = (error: Error) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      reject(error)
      message.destroy()
    }
    const tooLarge = (bytes: string) =>
      fail(
        new ActionError(
          `${description} answered HTTP ${message.statusCode ?? 0} with a body of ${bytes}, more than the ${describeBytes(MAX_BODY_BYTES)} this action reads`,
          {
            httpStatus: message.statusCode,
            transient: false,
            hint: 'A status or trigger answer this large is not one the platform documents: check base-url, or what the server puts in its messages.'
          }
        )
      )
    const onAbort = () => fail(signal.reason ?? new Error('aborted'))
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    const declared = Number(message.headers['content-length'])
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge(describeBytes(declared))
    message.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooLarge(`over ${describeBytes(MAX_BODY_BYTES)}`)
      else chunks.push(chunk)
    })
    message.on('error', fail)
    message.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })))
    message.on('end', () => {
      signal.removeEventListener('abort', onAbort)
      if (!message.complete)
        return reject(Object.assign(new Error('response ended early'), { code: 'ECONNRESET' }))
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
  })
}
