import { Readable } from 'node:stream'
import { ActionError } from '../../errors.js'
import { decode, ensureOk } from '../../http/decode.js'
import type { HttpRequest, HttpResponse } from '../../http/client.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { runDryRunLookups } from '../dry-run.js'
import { executionLines, transitionLine, type Transition } from './log.js'
import { FIELDS_OF, type FlexDeployParameters } from './parameters.js'
import { describeProject, parseTarget, pickProject } from './project.js'
import {
  ProjectListSchema,
  ProjectSchema,
  TriggerResponseSchema,
  WorkflowExecutionListSchema,
  WorkflowRequestSchema,
  type Project,
  type WorkflowExecution,
  type WorkflowRequest
} from './schemas.js'
import { aggregate, isKnownStatus, stateOf, type RequestReading } from './status.js'

/**
 * Vendor sources: Project API (shared/vendor-docs/004_…): GET /rest/v1/project/{id}, GET /rest/v1/project?…,
 * POST /rest/v1/project/{id}/build|deploy|execute. Workflow Request API
 * (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API):
 * GET /rest/v1/workflowrequest/{id}. Workflow Execution API
 * (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977): GET /rest/v1/workflowexecution?workflowRequestId=….
 * No page documents a call that aborts a workflow request.
 */
const API = '/rest/v1'

type Operation = keyof typeof FIELDS_OF

const HINTS: Record<number, string> = {
  400: 'FlexDeploy refused the request: check parameters (environmentId, instanceIds, streamId and projectVersionId are ids, not names).',
  401: 'Check username and password (since FlexDeploy 6.0 an API token may stand in for the password).',
  403: 'The user may not do this on this project or environment; check its groups and permissions in FlexDeploy.',
  404: 'Check target: FlexDeploy has no project (or workflow request) with that id.',
  500: 'FlexDeploy failed with an internal error; see the FlexDeploy server log.'
}

export class FlexDeployDriver implements Driver {
  private readonly warnedCodes = new Set<string>()
  /** Requests already ended are not read again. */
  private readonly ended = new Map<number, RequestReading>()
  private readonly transitions: Transition[] = []
  private readonly lastCode = new Map<number, string>()

  constructor(private readonly context: DriverContext) {}

  private get deployment() {
    return this.context.deployment
  }

  async start(): Promise<StartResult> {
    const project = await this.resolveProject()
    if (this.deployment.operation === 'status') return this.describeLatest(project)
    const operation = this.deployment.operation as Operation
    const projectId = project.projectId as number
    const response = await this.send({
      method: 'POST',
      path: `${API}/project/${projectId}/${operation}`,
      json: this.requestBody(operation, projectId)
    })
    const body = decode(TriggerResponseSchema, response.body ?? {}, `FlexDeploy project/${operation}`)
    const requests = [...(body.workflowRequests ?? []), ...(body.wfrequests ?? [])]
    const ids = requests.map(request => request.workflowRequestId)
    if (ids.length === 0 && body.workflowRequestId !== undefined && body.workflowRequestId !== null) {
      ids.push(body.workflowRequestId)
    }
    if (ids.length === 0) {
      if (body.warningMessage || body.warningCode) {
        return {
          kind: 'final',
          status: {
            state: 'skipped',
            code: String(body.warningCode ?? 'WARNING'),
            label: 'nothing to do',
            message: `FlexDeploy started no ${operation}: ${body.warningMessage ?? String(body.warningCode)}`,
            details: response.body
          }
        }
      }
      throw new ActionError(
        `FlexDeploy answered the ${operation} of ${describeProject(project)} with HTTP ${response.status} but no workflow request and no warning`,
        {
          hint: 'Look for the request in FlexDeploy; the server may run an API version this action does not know.'
        }
      )
    }
    for (const request of requests) this.observe(request.workflowRequestId, statusOf(request))
    const plural = ids.length > 1 ? `workflow requests ${ids.join(', ')}` : `workflow request ${ids[0]}`
    return {
      kind: 'task',
      task: { id: ids.join(','), context: { ids, projectId } },
      message: `FlexDeploy accepted the ${operation} of ${describeProject(project)} as ${plural}`
    }
  }

  /** Finds the project (by id or path) or, for await, every request; triggers nothing. */
  dryRun(): Promise<DryRunCheck[]> {
    if (this.deployment.operation === 'await') {
      return runDryRunLookups(
        idsOf(this.resume(this.deployment.taskId ?? '')).map(id => ({
          check: `workflow request ${id} found`,
          run: async () =>
            `workflow request ${id} is ${statusOf(await this.readRequest(id)) ?? 'of unknown status'}`
        }))
      )
    }
    return runDryRunLookups([
      { check: 'target resolved', run: async () => describeProject(await this.lookUpProject()) }
    ])
  }

  /** The project itself, read even for a numeric id (the trigger path leaves that to the trigger's own 404). */
  private async lookUpProject(): Promise<Project> {
    const ref = parseTarget(this.deployment.target ?? '')
    if (ref.kind !== 'id') return this.resolveProject()
    const response = await this.send({ method: 'GET', path: `${API}/project/${ref.id}` })
    return { ...decode(ProjectSchema, response.body, 'FlexDeploy project'), projectId: ref.id }
  }

  resume(taskId: string): TaskRef {
    const ids = taskId
      .split(',')
      .map(part => part.trim())
      .filter(Boolean)
      .map(Number)
    return { id: ids.join(','), context: { ids } }
  }

  async status(task: TaskRef, signal?: AbortSignal): Promise<RemoteStatus> {
    const readings: RequestReading[] = []
    for (const id of idsOf(task)) {
      const known = this.ended.get(id)
      if (known) {
        readings.push(known)
        continue
      }
      if (signal?.aborted) throw signal.reason
      const request = await this.readRequest(id)
      const code = statusOf(request) ?? 'UNKNOWN'
      this.observe(id, code)
      if (!isKnownStatus(code) && !this.warnedCodes.has(code)) {
        this.warnedCodes.add(code)
        this.context.log.warning(
          `FlexDeploy reported an unknown workflow request status '${code}'; still waiting for a known final status`
        )
      }
      const reading: RequestReading = { id, code, subject: subjectOf(request), details: request }
      if (stateOf(code) !== 'running') this.ended.set(id, reading)
      readings.push(reading)
    }
    return aggregate(readings)
  }

  /** What FlexDeploy tells about the requests' executions, after the status changes seen while polling. */
  async log(task: TaskRef): Promise<Readable> {
    const lines = this.transitions.map(transitionLine)
    for (const id of idsOf(task)) {
      const request = {
        method: 'GET' as const,
        path: `${API}/workflowexecution`,
        query: { workflowRequestId: id }
      }
      const response = await this.context.http.send(request)
      if (response.status < 200 || response.status >= 300) {
        lines.push(`workflow request ${id}: no execution details (HTTP ${response.status})\n`)
        continue
      }
      const executions = decode(
        WorkflowExecutionListSchema,
        response.body ?? [],
        'FlexDeploy workflowexecution'
      )
      if (executions.length === 0)
        lines.push(`workflow request ${id}: no workflow execution (it never ran)\n`)
      for (const execution of executions) lines.push(...executionLines(execution))
    }
    return Readable.from(lines)
  }

  private observe(id: number, code: string | undefined): void {
    if (!code || this.lastCode.get(id) === code) return
    this.lastCode.set(id, code)
    this.transitions.push({ at: this.context.clock.now(), id, code })
  }

  private requestBody(operation: Operation, projectId: number): Record<string, unknown> {
    const parameters = this.deployment.parameters as FlexDeployParameters
    const body: Record<string, unknown> = {}
    for (const field of FIELDS_OF[operation]) {
      if (parameters[field] !== undefined) body[field] = parameters[field]
    }
    // The deploy endpoint lists projectId among its body fields too.
    if (operation === 'deploy') body.projectId = projectId
    return body
  }

  private async resolveProject(): Promise<Project> {
    const target = this.deployment.target ?? ''
    const ref = parseTarget(target)
    if (ref.kind === 'id') {
      // A trigger's own 404 says the id is wrong; only `status` needs the project itself.
      if (this.deployment.operation !== 'status')
        return { projectId: ref.id, projectName: `project ${ref.id}` }
      const response = await this.send({ method: 'GET', path: `${API}/project/${ref.id}` })
      return { ...decode(ProjectSchema, response.body, 'FlexDeploy project'), projectId: ref.id }
    }
    const response = await this.send({
      method: 'GET',
      path: `${API}/project`,
      query: { projectName: ref.name, folderPath: ref.folder.length ? ref.folder.join('/') : undefined }
    })
    const found =
      response.status === 404
        ? []
        : decode(ProjectListSchema, response.body ?? [], 'FlexDeploy project search')
    const project = pickProject(target, ref, found)
    this.context.log.info(`Target ${target} is FlexDeploy project ${describeProject(project)}`)
    return project
  }

  /** `operation: status`: the project and its latest workflow request, nothing triggered. */
  private async describeLatest(project: Project): Promise<StartResult> {
    const about = describeProject(project)
    // ASSUMED: projectId as a query parameter of the Workflow Execution API (its attributes include projectId).
    const listed = await this.context.http.send({
      method: 'GET',
      path: `${API}/workflowexecution`,
      query: { projectId: project.projectId ?? undefined }
    })
    const executions: WorkflowExecution[] =
      listed.status >= 200 && listed.status < 300
        ? decode(WorkflowExecutionListSchema, listed.body ?? [], 'FlexDeploy workflowexecution')
        : []
    const latest = executions
      .filter(execution => execution.workflowRequestId !== undefined && execution.workflowRequestId !== null)
      .sort((left, right) => right.workflowExecutionId - left.workflowExecutionId)[0]
    if (!latest?.workflowRequestId) {
      return {
        kind: 'final',
        status: {
          state: 'succeeded',
          code: 'none',
          label: 'no request yet',
          message: `Project ${about} has no workflow request FlexDeploy lists`,
          details: { project }
        }
      }
    }
    const id = latest.workflowRequestId
    const request = await this.readRequest(id)
    const code = statusOf(request) ?? 'UNKNOWN'
    this.observe(id, code)
    const mapped = aggregate([{ id, code, subject: subjectOf(request), details: request }])
    return {
      kind: 'final',
      status: {
        ...mapped,
        message: `Project ${about}: ${mapped.message}`,
        details: { project, latestRequest: request }
      },
      task: { id: String(id), context: { ids: [id] } }
    }
  }

  private async readRequest(id: number): Promise<WorkflowRequest> {
    const response = await this.send({ method: 'GET', path: `${API}/workflowrequest/${id}` })
    return decode(WorkflowRequestSchema, response.body, 'FlexDeploy workflowrequest')
  }

  private async send(request: HttpRequest): Promise<HttpResponse> {
    return ensureOk(await this.context.http.send(request), this.context.http.describe(request), {
      vendor: 'FlexDeploy',
      hints: HINTS
    })
  }
}

function idsOf(task: TaskRef): number[] {
  const ids = task.context?.ids
  return Array.isArray(ids) ? ids.map(Number) : task.id.split(',').map(Number)
}

function statusOf(request: WorkflowRequest): string | undefined {
  return request.workflowRequestStatus ?? request.requestStatus ?? undefined
}

function subjectOf(request: WorkflowRequest): string | undefined {
  const subject = [request.projectName, request.projectVersionName].filter(Boolean).join(' ')
  return subject || undefined
}
