import type { Readable } from 'node:stream'
import { ActionError } from '../../errors.js'
import { decode, ensureOk, type RefusalStyle } from '../../http/decode.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { epmwareDryRun } from './dry-run.js'
import {
  EpmwareParametersSchema,
  ExecutionDetailsSchema,
  RunResponseSchema,
  TaskStatusSchema
} from './schemas.js'
import { isKnownCode, mapTaskStatus } from './status.js'

const API = '/service/api'

/** EPMware's refusals, with hints for the errors the Run Deployment page documents. */
const REFUSALS: RefusalStyle = {
  vendor: 'EPMware',
  hints: {
    401: 'The token was refused. Check the token input; generating a new token in EPMware revokes the old one.',
    403: 'The token’s user may not run this deployment; check its security groups in EPMware.',
    404: 'Check target: it must name a deployment configuration of type "One Time Schedule" (names are case-sensitive).',
    409: 'This deployment is already running. Wait for it, or follow it with operation: await and its task id.',
    503: 'The EPMware Deployment Service is not running; start it on the EPMware server and run the step again.',
    500: 'EPMware failed while running the deployment; the target application may be unreachable. See the EPMware logs.'
  }
}

export class EpmwareDriver implements Driver {
  private readonly warnedCodes = new Set<string>()

  constructor(private readonly context: DriverContext) {}

  private get deployment() {
    return this.context.deployment
  }

  async start(): Promise<StartResult> {
    if (this.deployment.operation === 'status') return { kind: 'final', ...(await this.latestExecution()) }
    const request = {
      method: 'POST' as const,
      path: `${API}/deployment/run`,
      json: {
        name: this.deployment.target,
        timeout_min: Math.max(1, Math.ceil(this.deployment.timeoutMs / 60_000))
      }
    }
    const response = ensureOk(
      await this.context.http.send(request),
      this.context.http.describe(request),
      REFUSALS
    )
    const body = decode(RunResponseSchema, response.body, 'EPMware deployment/run')
    if (body.status.toUpperCase() !== 'S' || !body.taskId) {
      throw new ActionError(
        `EPMware did not start deployment ${this.deployment.target}: ${body.message ?? `status ${body.status}`}`
      )
    }
    return {
      kind: 'task',
      task: { id: body.taskId },
      message: `EPMware accepted deployment ${this.deployment.target} as task ${body.taskId}`
    }
  }

  resume(taskId: string): TaskRef {
    return { id: taskId }
  }

  async status(task: TaskRef): Promise<RemoteStatus> {
    const request = { method: 'GET' as const, path: `${API}/task/get_status/${encodeURIComponent(task.id)}` }
    const response = ensureOk(
      await this.context.http.send(request),
      this.context.http.describe(request),
      REFUSALS
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
    const rollback = EpmwareParametersSchema.parse(this.deployment.parameters).rollback
    if (!rollback) return undefined
    return {
      ...this.deployment,
      name: `${rollback} (rollback)`,
      target: rollback,
      operation: 'run',
      parameters: {}
    }
  }

  /** `operation: status`: the deployment's latest execution, read without triggering anything. */
  private async latestExecution(): Promise<{ status: RemoteStatus; task?: TaskRef }> {
    const request = {
      method: 'GET' as const,
      path: `${API}/deployment/get_execution_details`,
      query: { name: this.deployment.target, latest_only: 'Y' }
    }
    const response = ensureOk(
      await this.context.http.send(request),
      this.context.http.describe(request),
      REFUSALS
    )
    const executions = decode(
      ExecutionDetailsSchema,
      response.body ?? [],
      'EPMware deployment/get_execution_details'
    )
    const latest = executions[0]
    if (!latest) {
      return {
        status: {
          state: 'succeeded',
          code: 'none',
          label: 'never run',
          message: `Deployment ${this.deployment.target} has no executions yet`,
          details: response.body
        }
      }
    }
    const taskId = latest.taskId ?? latest.task_id
    const mapped = mapTaskStatus(latest.status ?? 'unknown', latest.percentCompleted, latest.message, latest)
    return { status: mapped, task: taskId ? { id: taskId } : undefined }
  }
}
