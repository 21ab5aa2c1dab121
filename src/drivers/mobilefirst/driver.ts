import type { Readable } from 'node:stream'
import { ActionError, toActionError } from '../../errors.js'
import { parseBody, parseErrorBody, readyToParse } from '../../http/body.js'
import type { HttpRequest } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { runDryRunLookups, type DryRunLookup } from '../dry-run.js'
import { resolveArtifacts, workspaceDirectory, type Artifact } from '../upload/artifacts.js'
import { refusal } from './errors.js'
import { planDeploy } from './kinds.js'
import { describeHolder, RuntimeLock } from './lock.js'
import { ReplayableBody } from '../upload/multipart.js'
import {
  DeployResultSchema,
  MobileFirstParametersSchema,
  TransactionSchema,
  type Transaction
} from './schemas.js'
import { combineStatuses, deployedNames, isKnownState, mapTransaction } from './status.js'
import { looksLikeXml, normalizeXml } from './xml.js'

const API = '/management-apis/2.0/runtimes'
/** The deploy answer is one small document; anything bigger is not the administration service. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export class MobileFirstDriver implements Driver {
  private readonly warnedStates = new Set<string>()
  /** Transactions that have ended: not read again. */
  private readonly ended = new Map<string, RemoteStatus>()
  /** The lock holder last written to the log, so a long wait says it once. */
  private lastHolder?: string
  private lockReadFailed = false

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

  private get lock(): RuntimeLock {
    return new RuntimeLock(this.context.http, this.runtimePath(), this.runtime, this.parameters.locale)
  }

  async start(signal: AbortSignal): Promise<StartResult> {
    if (this.deployment.operation === 'status') return { kind: 'final', status: await this.latestStatus() }
    const files = this.artifacts()
    const earlier = await this.checkBusy(files)
    if (earlier) return earlier
    const total = files.reduce((sum, file) => sum + file.size, 0)
    this.context.log.info(
      `Uploading ${files.length} deployable${files.length === 1 ? '' : 's'} (${megabytes(total)}) to runtime ${this.runtime}: ${files.map(file => file.relative).join(', ')}`
    )
    const ids: string[] = []
    const statuses: RemoteStatus[] = []
    for (const file of files) {
      const transaction = await this.upload(file, signal)
      const status = this.read(transaction)
      ids.push(transaction.id)
      statuses.push(status)
      if (status.state !== 'running') this.ended.set(transaction.id, status)
      // Synchronous: a deployable that did not succeed stops the ones after it.
      if (status.state !== 'running' && status.state !== 'succeeded') break
    }
    const task: TaskRef = { id: ids.join(','), context: { ids } }
    const combined = combineStatuses(statuses)
    if (combined.state !== 'running') return { kind: 'final', status: combined, task }
    return {
      kind: 'task',
      task,
      message: `MobileFirst accepted ${ids.length === 1 ? `the upload as transaction ${ids[0]}` : `the uploads as transactions ${ids.join(', ')}`} (${statuses.map(status => status.code).join(', ')})`
    }
  }

  /**
   * One deployable to the endpoint IBM documents for its kind (see kinds.ts), `async=true` unless
   * `synchronous`. stream(), not send(): an upload (and a synchronous deployment) may outlast the
   * per-request timeout of a status read; it stays bounded by the step's deadline and by an idle socket.
   */
  private async upload(file: Artifact, signal: AbortSignal): Promise<Transaction> {
    const plan = planDeploy(file)
    const { locale, synchronous } = this.parameters
    const request: HttpRequest = {
      method: 'POST',
      path: `${this.runtimePath()}${plan.path}`,
      query: { async: synchronous ? 'false' : 'true', locale },
      body: new ReplayableBody(plan.body),
      headers: { 'content-type': plan.body.contentType, 'content-length': String(plan.body.length) }
    }
    const opened = await this.context.http.stream(request)
    const text = await readAnswer(opened.stream, signal)
    const describe = this.context.http.describe(request)
    const contentType = String(opened.headers['content-type'] ?? '')
    await readyToParse(text, contentType)
    if (opened.status < 200 || opened.status >= 300) {
      const body = parseErrorBody(text, contentType)
      throw refusal(describe, opened.status, body, this.runtime, false)
    }
    const parsed = parseBody(text, contentType, 'json', describe, opened.status)
    const result = decode(
      DeployResultSchema,
      looksLikeXml(text) ? normalizeXml(parsed) : parsed,
      `MobileFirst ${plan.path.slice(1)} (${plan.kind} ${file.name})`
    )
    return result.transaction
  }

  /**
   * if-busy, at trigger time, from the runtime lock (IBM: transactions on a runtime run one at a time; the
   * next waits until the lock is released, at most 30 minutes after a crash). `fail` (default): a locked
   * runtime ends the step before anything is uploaded, naming the holder. `await`: when the transactions in
   * flight deploy exactly these deployables (the same deployment, started earlier), follow them instead of
   * uploading again; otherwise upload, and MobileFirst queues the transaction PENDING until the lock is free.
   */
  private async checkBusy(files: Artifact[]): Promise<StartResult | undefined> {
    let reading: Awaited<ReturnType<RuntimeLock['read']>>
    try {
      reading = await this.lock.read()
    } catch (error) {
      // No lock API (404): the upload's own answer says what is wrong with the runtime.
      if (toActionError(error).httpStatus === 404) return undefined
      throw error
    }
    if (!reading.busy) return undefined
    const { inFlight } = reading
    const holder = describeHolder(reading.holder)
    if (this.deployment.ifBusy !== 'await') {
      throw new ActionError(
        `Runtime ${this.runtime} is busy: ${holder} holds its transaction lock. Nothing was uploaded (if-busy: fail).`,
        {
          hint: 'Run the step again once that transaction has ended, or set if-busy: await to follow it (the same deployables) or queue behind it. The lock is released when the transaction ends, or after 30 minutes if it crashed.'
        }
      )
    }
    const names = new Set(files.map(file => file.name))
    const same = inFlight.filter(item =>
      (deployedNames(item) ?? '').split(', ').every(name => names.has(name))
    )
    const covered = new Set(same.flatMap(item => (deployedNames(item) ?? '').split(', ')))
    if (same.length > 0 && [...names].every(name => covered.has(name))) {
      const ids = same.map(item => item.id).reverse()
      this.context.log.info(
        `Runtime ${this.runtime} is busy with ${ids.length === 1 ? 'transaction' : 'transactions'} ${ids.join(', ')} deploying the same deployables: following ${ids.length === 1 ? 'it' : 'them'} instead of uploading again (if-busy: await)`
      )
      return {
        kind: 'task',
        task: { id: ids.join(','), context: { ids } },
        message: `Following ${same.map(item => describeHolder(item)).join('; ')}`
      }
    }
    this.context.log.info(
      `Runtime ${this.runtime} is locked by ${holder}; uploading anyway: MobileFirst queues the new transaction (PENDING) until the lock is released (if-busy: await)`
    )
    return undefined
  }

  resume(taskId: string): TaskRef {
    const ids = taskId
      .split(',')
      .map(id => id.trim())
      .filter(Boolean)
    return { id: ids.join(','), context: { ids } }
  }

  async status(task: TaskRef): Promise<RemoteStatus> {
    const ids = idsOf(task)
    const statuses: RemoteStatus[] = []
    let noted = false
    for (const id of ids) {
      const known = this.ended.get(id)
      if (known) {
        statuses.push(known)
        continue
      }
      const status = await this.readOne(id)
      if (status.state !== 'running') this.ended.set(id, status)
      else if (status.code.toUpperCase() === 'PENDING' && !noted) {
        // The first PENDING one waits for the lock; those after it wait behind it.
        noted = true
        Object.assign(status, await this.pendingNote(id, ids))
      }
      statuses.push(status)
    }
    return combineStatuses(statuses)
  }

  private async readOne(id: string): Promise<RemoteStatus> {
    const request: HttpRequest = {
      method: 'GET',
      path: `${this.runtimePath()}/transactions/${encodeURIComponent(id)}`,
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

  /**
   * A PENDING transaction waits for the runtime lock: say who holds it and since when, in the status line
   * (the log) and as a warning (the summary). A lock that cannot be read leaves the status as it was.
   */
  private async pendingNote(id: string, mine: string[]): Promise<Partial<RemoteStatus>> {
    try {
      const reading = await this.lock.read([id])
      if (!reading.busy) return {}
      const holder = describeHolder(reading.holder)
      const ours = reading.holder !== undefined && mine.includes(reading.holder.id)
      if (ours)
        return { label: 'pending', message: `Transaction ${id} is PENDING behind ${holder}, of this step` }
      if (this.lastHolder !== (reading.holder?.id ?? '?')) {
        this.lastHolder = reading.holder?.id ?? '?'
        this.context.log.info(
          `Transaction ${id} is PENDING: runtime ${this.runtime} is locked by ${holder}. MobileFirst runs one transaction at a time and releases a lock after at most 30 minutes.`
        )
      }
      const short = reading.holder
        ? `transaction ${reading.holder.id}${reading.holder.userName ? ` of ${reading.holder.userName}` : ''}`
        : 'another transaction'
      return {
        label: 'pending (runtime locked)',
        message: `Transaction ${id} is PENDING behind ${holder}, which holds the runtime lock`,
        warning: `Transaction ${id} waited (PENDING) behind ${short}, which held the lock of runtime ${this.runtime}`
      }
    } catch (error) {
      if (!this.lockReadFailed) {
        this.lockReadFailed = true
        this.context.log.warning(
          `Could not read the lock of runtime ${this.runtime}: ${toActionError(error).message}`
        )
      }
      return {}
    }
  }

  /** `operation: status`: the runtime's latest transaction, as MobileFirst reports it (Transactions (GET)). */
  private async latestStatus(): Promise<RemoteStatus> {
    const [latest] = await this.lock.latest(1)
    if (!latest) {
      return {
        state: 'skipped',
        code: 'none',
        label: 'no transaction',
        message: `Runtime ${this.runtime} has no transaction yet`
      }
    }
    return this.read(latest)
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
   * Reads the runtime, its lock and, for await, the transaction; finds the deployables on disk. Uploads
   * nothing. Any admin role may read a runtime, so the deploy role (mfpadmin, mfpdeployer) is not proven.
   */
  dryRun(): Promise<DryRunCheck[]> {
    const lookups: DryRunLookup[] = [
      { check: 'runtime found', run: () => this.readRuntime() },
      {
        check: 'runtime lock',
        run: async () => {
          const reading = await this.lock.read()
          return reading.busy
            ? `runtime ${this.runtime} is locked by ${describeHolder(reading.holder)}: a deployment now would wait (PENDING) or, with if-busy: fail, end the step`
            : `runtime ${this.runtime} is not locked by any transaction`
        }
      }
    ]
    if (this.deployment.operation === 'await') {
      const task = this.resume(this.deployment.taskId ?? '')
      lookups.push({
        check: 'transaction found',
        run: async () => `transaction ${task.id} is ${(await this.status(task)).code}`
      })
    } else if (this.deployment.operation === 'status') {
      lookups.push({
        check: 'latest transaction',
        run: async () => (await this.latestStatus()).message ?? ''
      })
    } else {
      lookups.push({
        check: 'deployables found',
        run: async () => {
          const files = this.artifacts()
          return `${files.map(file => `${file.relative} (${megabytes(file.size)}, to ${planDeploy(file).path.slice(1)})`).join(', ')}; uploading needs the mfpadmin or mfpdeployer role, which a read cannot prove`
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

function idsOf(task: TaskRef): string[] {
  const ids = task.context?.ids
  if (Array.isArray(ids) && ids.every(id => typeof id === 'string')) return ids as string[]
  return task.id
    .split(',')
    .map(id => id.trim())
    .filter(Boolean)
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
