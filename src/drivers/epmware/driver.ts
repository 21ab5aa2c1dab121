import type { Readable } from 'node:stream'
import { ActionError } from '../../errors.js'
import { decode, ensureOk } from '../../http/decode.js'
import { resolveArtifacts, workspaceDirectory, type Artifact } from '../upload/artifacts.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { downloadExport } from './download.js'
import { epmwareDryRun } from './dry-run.js'
import { readExecutions, whereToLook } from './executions.js'
import { refusalStyle, type Subject } from './refusal.js'
import {
  EpmwareParametersSchema,
  statusCodeOf,
  taskIdOf,
  TaskStatusSchema,
  type EpmwareParameters
} from './schemas.js'
import { isKnownCode, mapTaskStatus } from './status.js'
import { sendTrigger, type Triggered } from './trigger.js'
import { replayable, uploadForm } from './upload.js'

const API = '/service/api'

/** The delimiter erp/upload_file requires; the vendor's example uses a comma. */
const DEFAULT_DELIMITER = ','

export class EpmwareDriver implements Driver {
  private readonly warnedCodes = new Set<string>()
  /** Export files already downloaded, by task id: a second final read never downloads again. */
  private readonly exportFiles = new Map<string, string>()

  constructor(private readonly context: DriverContext) {}

  private get deployment() {
    return this.context.deployment
  }

  private get parameters(): EpmwareParameters {
    return EpmwareParametersSchema.parse(this.deployment.parameters)
  }

  private get target(): string {
    return this.deployment.target ?? ''
  }

  /** `timeout_min`: the step's timeout in whole minutes, at least 1 (default 60 on the server). */
  private get timeoutMin(): number {
    return Math.max(1, Math.ceil(this.deployment.timeoutMs / 60_000))
  }

  private get triggerContext() {
    return {
      http: this.context.http,
      clock: this.context.clock,
      ifBusy: this.deployment.ifBusy,
      pollIntervalMs: this.deployment.pollIntervalMs
    }
  }

  async start(signal: AbortSignal): Promise<StartResult> {
    switch (this.deployment.operation) {
      case 'status':
        return { kind: 'final', ...(await this.latestExecution()) }
      case 'erp-import':
        return this.erpImport(signal)
      case 'export':
        return this.runExport(signal)
      default:
        return this.runDeployment(signal)
    }
  }

  /** `POST /service/api/deployment/run {name, timeout_min}` (REST API Guide v1.3, Run Deployment). */
  private async runDeployment(signal: AbortSignal): Promise<StartResult> {
    const subject: Subject = { noun: 'deployment', name: this.target }
    const triggered = await sendTrigger(
      this.triggerContext,
      {
        request: {
          method: 'POST',
          path: `${API}/deployment/run`,
          json: { name: this.target, timeout_min: this.timeoutMin }
        },
        subject,
        lookup: 'deployment',
        where: whereToLook('deployment', this.target)
      },
      signal
    )
    return this.follow(triggered)
  }

  /**
   * `POST /service/api/erp/upload_file` (multipart: file, name, delimiter_char, enclosing_char), whose task
   * loads the file into the interface table, then — once that task has succeeded, since the Run ERP Import
   * page requires the data "already loaded in the interface table (via upload API)" — `POST
   * /service/api/erp/run {name, timeout_min}`, followed like a deployment (REST API Guide v1.3, ERP module;
   * docs/modules/erp/*.md).
   */
  private async erpImport(signal: AbortSignal): Promise<StartResult> {
    const subject: Subject = { noun: 'ERP import', name: this.target }
    const where = whereToLook('erp', this.target)
    const file = this.importFile()
    const { delimiter_char: delimiter = DEFAULT_DELIMITER, enclosing_char: enclosing } = this.parameters
    const fields: Record<string, string> = { name: this.target, delimiter_char: delimiter }
    if (enclosing !== undefined) fields.enclosing_char = enclosing
    const form = uploadForm(fields, { path: file.path, filename: file.name, size: file.size })
    this.context.log.info(`Uploading ${file.relative} (${file.size} bytes) for ERP import ${this.target}`)
    const upload = await sendTrigger(
      this.triggerContext,
      {
        request: {
          method: 'POST',
          path: `${API}/erp/upload_file`,
          body: replayable(form),
          headers: { 'content-type': form.contentType, 'content-length': String(form.length) }
        },
        subject,
        where
      },
      signal
    )
    this.context.log.info(`EPMware accepted the file as task ${upload.taskId}; waiting for it to load`)
    const loaded = await this.waitFor({ id: upload.taskId }, signal)
    if (loaded.state !== 'succeeded') {
      return {
        kind: 'final',
        task: { id: upload.taskId },
        status: {
          ...loaded,
          message: `The upload of ${file.relative} (task ${upload.taskId}) ended ${loaded.label ?? loaded.code}${loaded.message ? `: ${loaded.message}` : ''}; the import was not run`
        }
      }
    }
    if (loaded.warning) this.context.log.warning(loaded.warning)
    const run = await sendTrigger(
      this.triggerContext,
      {
        request: {
          method: 'POST',
          path: `${API}/erp/run`,
          json: { name: this.target, timeout_min: this.timeoutMin }
        },
        subject,
        where
      },
      signal
    )
    return this.follow(run)
  }

  /**
   * `POST /service/api/export/run {name}` or `{book_name}` (REST API Guide v1.3, Run Export), followed; on
   * success the file is downloaded (`export/download_file/{taskId}`) and published as `export-file`.
   */
  private async runExport(signal: AbortSignal): Promise<StartResult> {
    const book = this.parameters.book_name
    const subject: Subject = book
      ? { noun: 'export book', name: book }
      : { noun: 'export profile', name: this.target }
    const triggered = await sendTrigger(
      this.triggerContext,
      {
        request: {
          method: 'POST',
          path: `${API}/export/run`,
          json: book ? { book_name: book } : { name: this.target }
        },
        subject,
        // get_execution_details takes an export name; books are not documented there.
        lookup: book ? undefined : 'export',
        where: book ? `the export book ${book}'s tasks in EPMware` : whereToLook('export', this.target)
      },
      signal
    )
    return this.follow(triggered, { kind: 'export', name: subject.name, noun: subject.noun })
  }

  /** The task a trigger named, to poll. */
  private follow(triggered: Triggered, context?: Record<string, unknown>): StartResult {
    return { kind: 'task', task: { id: triggered.taskId, context }, message: triggered.message }
  }

  resume(taskId: string): TaskRef {
    return { id: taskId }
  }

  async status(task: TaskRef, signal: AbortSignal): Promise<RemoteStatus> {
    const status = await this.readTask(task)
    if (task.context?.kind === 'export' && status.state === 'succeeded') {
      status.exportFile = await this.exportFile(task, signal)
      status.message = `${status.message ?? 'Export complete'}; file saved as ${status.exportFile}`
    }
    return status
  }

  private async readTask(task: TaskRef): Promise<RemoteStatus> {
    const request = { method: 'GET' as const, path: `${API}/task/get_status/${encodeURIComponent(task.id)}` }
    const response = ensureOk(
      await this.context.http.send(request),
      this.context.http.describe(request),
      refusalStyle({ noun: 'task', name: task.id })
    )
    const body = decode(TaskStatusSchema, response.body, 'EPMware task/get_status')
    if (!isKnownCode(body.status) && !this.warnedCodes.has(body.status)) {
      this.warnedCodes.add(body.status)
      this.context.log.warning(
        `EPMware reported an unknown task status '${body.status}'; still waiting for a known final status`
      )
    }
    return mapTaskStatus(body.status, body.percentCompleted, body.message, body)
  }

  /** Reads a task until it ends (the upload of an ERP import, before its run); the client keeps the deadline. */
  private async waitFor(task: TaskRef, signal: AbortSignal): Promise<RemoteStatus> {
    for (;;) {
      const status = await this.readTask(task)
      if (status.state !== 'running') return status
      await this.context.clock.sleep(this.deployment.pollIntervalMs, signal)
    }
  }

  private async exportFile(task: TaskRef, signal: AbortSignal): Promise<string> {
    const known = this.exportFiles.get(task.id)
    if (known) return known
    const subject: Subject = {
      noun: String(task.context?.noun ?? 'export profile'),
      name: String(task.context?.name ?? this.target)
    }
    if (!this.context.files) throw new ActionError('No place to save the export file was given to the driver')
    const { file, bytes } = await downloadExport(
      this.context.http,
      task.id,
      this.context.files,
      subject,
      signal
    )
    this.context.log.info(`Downloaded the export file of task ${task.id} (${bytes} bytes) to ${file}`)
    this.exportFiles.set(task.id, file)
    return file
  }

  async log(task: TaskRef): Promise<Readable | undefined> {
    const request = {
      method: 'GET' as const,
      path: `${API}/task/get_log_file/${encodeURIComponent(task.id)}`,
      expect: 'text' as const
    }
    const opened = await this.context.http.stream(request)
    if (opened.status === 404) {
      opened.stream.resume()
      return undefined
    }
    if (opened.status < 200 || opened.status >= 300) {
      opened.stream.resume()
      throw new ActionError(`${this.context.http.describe(request)} answered HTTP ${opened.status}`, {
        httpStatus: opened.status
      })
    }
    return opened.stream
  }

  dryRun(): Promise<DryRunCheck[]> {
    return epmwareDryRun(this.deployment, this.context.http)
  }

  followUpOnFailure() {
    const rollback = this.parameters.rollback
    if (!rollback) return undefined
    return {
      ...this.deployment,
      name: `${rollback} (rollback)`,
      target: rollback,
      operation: 'run',
      parameters: {}
    }
  }

  /** The one file of `artifacts`, resolved again at upload time inside the workspace. */
  private importFile(): Artifact {
    const { files, problems } = resolveArtifacts(workspaceDirectory(), this.deployment.artifacts)
    if (problems.length > 0) {
      throw new ActionError(
        `The artifacts changed since the inputs were checked: ${problems.map(problem => `'${problem.value}' ${problem.problem}`).join('; ')}`
      )
    }
    const [file] = files
    if (!file || files.length > 1) {
      throw new ActionError(`erp-import uploads exactly one file; artifacts matched ${files.length}`)
    }
    return file
  }

  /**
   * `operation: status`: the deployment's latest execution as EPMware reports it, triggering nothing. An
   * empty list is `skipped` ("no executions yet"); an HTTP error or an HTTP 200 refusal is an error.
   */
  private async latestExecution(): Promise<{ status: RemoteStatus; task?: TaskRef }> {
    const subject: Subject = { noun: 'deployment', name: this.target }
    const { executions, body } = await readExecutions(this.context.http, 'deployment', subject)
    const latest = executions[0]
    if (!latest) {
      return {
        status: {
          state: 'skipped',
          code: 'none',
          label: 'never run',
          message: `Deployment ${this.target} has no executions yet`,
          details: body
        }
      }
    }
    const taskId = taskIdOf(latest)
    const code = statusCodeOf(latest) ?? ''
    const mapped = mapTaskStatus(code, latest.percentCompleted, latest.message, latest)
    if (!isKnownCode(code) && latest.statusMeaning) mapped.label = `${latest.statusMeaning} ('${code}')`
    return { status: mapped, task: taskId ? { id: taskId } : undefined }
  }
}
