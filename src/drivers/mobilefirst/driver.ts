import type { Readable } from 'node:stream'
import { ActionError } from '../../errors.js'
import { parseBody, parseErrorBody } from '../../http/body.js'
import type { HttpRequest } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { runDryRunLookups, type DryRunLookup } from '../dry-run.js'
import { resolveArtifacts, workspaceDirectory, type Artifact } from './artifacts.js'
import { refusal } from './errors.js'
import { multipartBody, ReplayableBody } from './multipart.js'
import { DeployResultSchema, MobileFirstParametersSchema, TransactionSchema } from './schemas.js'
import { isKnownState, mapTransaction } from './status.js'
import { looksLikeXml, normalizeXml } from './xml.js'

const API = '/management-apis/2.0/runtimes'
/** The deploy answer is one small document; anything bigger is not the administration service. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export class MobileFirstDriver implements Driver {
  private readonly warnedStates = new Set<string>()

  constructor(private readonly context: DriverContext) {}

  private get deployment() {
    return this.context.deployment
  }

  private get runtime(): string {
    return this.deployment.target ?? ''
  }

  private get parameters() {
    return MobileFirstParametersSchema.parse(this.deployment.parameters)
  }

  private runtimePath(): string {
    return `${API}/${encodeURIComponent(this.runtime)}`
  }

  async start(signal: AbortSignal): Promise<StartResult> {
    const files = this.artifacts()
    const total = files.reduce((sum, file) => sum + file.size, 0)
    this.context.log.info(
      `Uploading ${files.length} deployable${files.length === 1 ? '' : 's'} (${megabytes(total)}) to runtime ${this.runtime}: ${files.map(file => file.relative).join(', ')}`
    )
    const body = multipartBody(
      files.map(file => ({ field: 'file', filename: file.name, path: file.path, size: file.size }))
    )
    const { locale, synchronous } = this.parameters
    const request: HttpRequest = {
      method: 'POST',
      path: `${this.runtimePath()}/deploy/multi`,
      query: { async: synchronous ? 'false' : 'true', locale },
      body: new ReplayableBody(body),
      headers: { 'content-type': body.contentType, 'content-length': String(body.length) }
    }
    // stream(), not send(): an upload (and a synchronous deployment) may outlast the per-request timeout of
    // a status read; it stays bounded by the step's deadline and by an idle socket.
    const opened = await this.context.http.stream(request)
    const text = await readAnswer(opened.stream, signal)
    const describe = this.context.http.describe(request)
    const contentType = String(opened.headers['content-type'] ?? '')
    if (opened.status < 200 || opened.status >= 300) {
      const body = parseErrorBody(text, contentType)
      throw refusal(describe, opened.status, body, this.runtime, false)
    }
    const parsed = parseBody(text, contentType, 'json', describe, opened.status)
    const result = decode(
      DeployResultSchema,
      looksLikeXml(text) ? normalizeXml(parsed) : parsed,
      'MobileFirst deploy/multi'
    )
    const status = this.read(result.transaction)
    const task: TaskRef = { id: result.transaction.id }
    if (status.state !== 'running') return { kind: 'final', status, task }
    return {
      kind: 'task',
      task,
      message: `MobileFirst accepted the upload as transaction ${task.id} (${result.transaction.status})`
    }
  }

  resume(taskId: string): TaskRef {
    return { id: taskId }
  }

  async status(task: TaskRef): Promise<RemoteStatus> {
    const request: HttpRequest = {
      method: 'GET',
      path: `${this.runtimePath()}/transactions/${encodeURIComponent(task.id)}`,
      query: { locale: this.parameters.locale }
    }
    const response = await this.context.http.send(request)
    if (response.status < 200 || response.status >= 300) {
      const body = response.body
      throw refusal(this.context.http.describe(request), response.status, body, this.runtime, true)
    }
    const body = looksLikeXml(response.text) ? normalizeXml(response.body) : response.body
    return this.read(decode(TransactionSchema, body, 'MobileFirst transactions'))
  }

  private read(transaction: Parameters<typeof mapTransaction>[0]): RemoteStatus {
    if (!isKnownState(transaction.status) && !this.warnedStates.has(transaction.status)) {
      this.warnedStates.add(transaction.status)
      this.context.log.warning(
        `MobileFirst reported an unknown transaction status '${transaction.status}'; still waiting for SUCCESS, FAILURE or CANCELED`
      )
    }
    return mapTransaction(transaction)
  }

  /**
   * Reads the runtime and, for await, the transaction; finds the deployables on disk. Uploads nothing. Any
   * admin role may read a runtime, so the deploy role (mfpadmin, mfpdeployer) is not proven by this.
   */
  dryRun(): Promise<DryRunCheck[]> {
    const lookups: DryRunLookup[] = [{ check: 'runtime found', run: () => this.readRuntime() }]
    if (this.deployment.operation === 'await') {
      const id = this.deployment.taskId ?? ''
      lookups.push({
        check: 'transaction found',
        run: async () => `transaction ${id} is ${(await this.status({ id })).code}`
      })
    } else {
      lookups.push({
        check: 'deployables found',
        run: async () => {
          const files = this.artifacts()
          return `${files.map(file => `${file.relative} (${megabytes(file.size)})`).join(', ')}; uploading needs the mfpadmin or mfpdeployer role, which a read cannot prove`
        }
      })
    }
    return runDryRunLookups(lookups)
  }

  /** Runtime (GET) `…/runtimes/{runtime}`: JSON `{running: true}` or XML `<runtime running="true"/>`. */
  private async readRuntime(): Promise<string> {
    const request: HttpRequest = {
      method: 'GET',
      path: this.runtimePath(),
      query: { locale: this.parameters.locale }
    }
    const response = await this.context.http.send(request)
    if (response.status < 200 || response.status >= 300) {
      const body = response.body
      throw refusal(this.context.http.describe(request), response.status, body, this.runtime, true)
    }
    const body = (response.body ?? {}) as Record<string, unknown>
    const runtime = (looksLikeXml(response.text) ? body.runtime : body) as Record<string, unknown> | undefined
    if (runtime?.running !== true && runtime?.running !== 'true') {
      throw new ActionError(`Runtime ${this.runtime} exists but is not running`, {
        hint: 'Start the runtime on the MobileFirst Server before deploying to it.'
      })
    }
    return `runtime ${this.runtime} is running (MobileFirst ${String(runtime.productVersion ?? body.productVersion ?? '?')})`
  }

  /** The plan checked the artifacts already; they are resolved again here, as they are at upload time. */
  private artifacts(): Artifact[] {
    const { files, problems } = resolveArtifacts(workspaceDirectory(), this.deployment.artifacts)
    if (problems.length) {
      throw new ActionError(
        `The artifacts changed since the inputs were checked: ${problems.map(problem => `'${problem.value}' ${problem.problem}`).join('; ')}`
      )
    }
    if (files.length === 0) throw new ActionError('No deployable to upload: artifacts is empty')
    return files
  }
}

/** Reads the deploy answer whole (it is small), bounded in size and by the run's cancellation. */
function readAnswer(stream: Readable, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const fail = (error: unknown) => {
      signal.removeEventListener('abort', onAbort)
      stream.destroy()
      reject(error)
    }
    const onAbort = () => fail(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_ANSWER_BYTES)
        fail(new ActionError(`The deploy answer is larger than ${MAX_ANSWER_BYTES} bytes`))
      else chunks.push(chunk)
    })
    stream.on('error', fail)
    stream.on('end', () => {
      signal.removeEventListener('abort', onAbort)
      resolve(Buffer.concat(chunks).toString('utf8'))
    })
  })
}
