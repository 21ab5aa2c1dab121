import { Readable } from 'node:stream'
import { ActionError } from '../../errors.js'
import { decode } from '../../http/decode.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { runDryRunLookups } from '../dry-run.js'
import { FlexDeployApi, type ApiVersion } from './api.js'
import { bodyFor, type ResolvedIds, type Trigger } from './body.js'
import { executionLines, transitionLine, type Transition } from './log.js'
import { Lookups } from './lookups.js'
import type { FlexDeployParameters } from './parameters.js'
import { describeProject, parseTarget, pickProject, withoutRoot } from './project.js'
import {
  itemsOf,
  ProjectListSchema,
  ProjectSchema,
  ProjectV2Schema,
  TriggerResponseSchema,
  TriggerResponseV2Schema,
  WorkflowExecutionListSchema,
  WorkflowExecutionSchema,
  WorkflowRequestSchema,
  WorkflowRequestV2ListSchema,
  WorkflowRequestV2Schema,
  type Project,
  type WorkflowExecution
} from './schemas.js'
import { aggregate, isKnownStatus, stateOf, type RequestReading } from './status.js'

/**
 * Vendor sources. v1: Project API (shared/vendor-docs/004_…): GET /rest/v1/project/{id}, GET /rest/v1/project?…,
 * POST /rest/v1/project/{id}/build|deploy|execute; Workflow Request API
 * (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API):
 * GET /rest/v1/workflowrequest/{id}; Workflow Execution API
 * (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977): GET /rest/v1/workflowexecution?workflowRequestId=….
 * v2 (FlexDeploy 9.0 API Guide: v1 "deprecated since FlexDeploy 6.0"; Flexagon's Jenkins plugin
 * `jenkinsci/flexdeploy-plugin` 3.x, PluginConstants.java and TriggerFlexDeployProject.java):
 * POST /rest/v2/workflowrequest/build → 201 {workflowRequestId}; GET /rest/v2/workflowrequest/{id} → requestStatus;
 * searches answer {"items":[…]}. deploy/execute on v2 and the v2 workflow request and execution searches are ASSUMED
 * by analogy (see body.ts and below).
 * Abort: no page of the v1 or v2 references we could read (Flexagon wiki FD50-FD90, the API Guide 9.0, the
 * Jenkins plugin) documents a call that aborts a workflow request or execution.
 */

export class FlexDeployDriver implements Driver {
  private readonly warnedCodes = new Set<string>()
  /** Requests already ended are not read again. */
  private readonly ended = new Map<number, RequestReading>()
  private readonly transitions: Transition[] = []
  private readonly lastCode = new Map<number, string>()
  private readonly api: FlexDeployApi
  private readonly lookups: Lookups

  constructor(private readonly context: DriverContext) {
    this.api = new FlexDeployApi(context, this.parameters.apiVersion ?? 'auto')
    this.lookups = new Lookups(this.api, context.log)
  }

  private get deployment() {
    return this.context.deployment
  }

  private get parameters(): FlexDeployParameters {
    return this.context.deployment.parameters as FlexDeployParameters
  }

  async start(): Promise<StartResult> {
    const version = await this.api.version()
    if (this.deployment.operation === 'status') return this.describeLatest(await this.lookUpProject())
    const project = await this.resolveProject()
    const operation = this.deployment.operation as Trigger
    const ids = await this.resolveIds(operation, project.projectId as number)
    const path =
      version === 'v2'
        ? `/rest/v2/workflowrequest/${operation}`
        : `/rest/v1/project/${ids.projectId}/${operation}`
    const response = await this.api.send({
      method: 'POST',
      path,
      json: bodyFor(version, operation, this.parameters, ids)
    })
    const { ids: requestIds, statuses, warning } = this.triggered(version, operation, response.body)
    if (requestIds.length === 0) {
      if (warning) {
        return {
          kind: 'final',
          status: {
            state: 'skipped',
            code: warning.code,
            label: 'nothing to do',
            message: `FlexDeploy started no ${operation}: ${warning.message}`,
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
    for (const [id, code] of statuses) this.observe(id, code)
    const plural =
      requestIds.length > 1
        ? `workflow requests ${requestIds.join(', ')}`
        : `workflow request ${requestIds[0]}`
    return {
      kind: 'task',
      task: { id: requestIds.join(','), context: { ids: requestIds, projectId: ids.projectId } },
      message: `FlexDeploy accepted the ${operation} of ${describeProject(project)} as ${plural}`
    }
  }

  /** The request ids (and statuses) a trigger answered, in the shape of the version it spoke. */
  private triggered(version: ApiVersion, operation: Trigger, body: unknown) {
    const statuses = new Map<number, string | undefined>()
    let warning: { code: string; message: string } | undefined
    if (version === 'v2') {
      const answer = decode(TriggerResponseV2Schema, body ?? {}, `FlexDeploy workflowrequest/${operation}`)
      if (answer.workflowRequestId !== undefined && answer.workflowRequestId !== null)
        statuses.set(answer.workflowRequestId, answer.requestStatus ?? undefined)
      if (answer.warningMessage || answer.warningCode)
        warning = {
          code: String(answer.warningCode ?? 'WARNING'),
          message: answer.warningMessage ?? String(answer.warningCode)
        }
    } else {
      const answer = decode(TriggerResponseSchema, body ?? {}, `FlexDeploy project/${operation}`)
      for (const request of [...(answer.workflowRequests ?? []), ...(answer.wfrequests ?? [])])
        statuses.set(
          request.workflowRequestId,
          request.workflowRequestStatus ?? request.requestStatus ?? undefined
        )
      if (statuses.size === 0 && answer.workflowRequestId !== undefined && answer.workflowRequestId !== null)
        statuses.set(answer.workflowRequestId, undefined)
      if (answer.warningMessage || answer.warningCode)
        warning = {
          code: String(answer.warningCode ?? 'WARNING'),
          message: answer.warningMessage ?? String(answer.warningCode)
        }
    }
    return { ids: [...statuses.keys()], statuses, warning }
  }

  /** The ids behind every name the deployment gave, looked up before anything is triggered. */
  private async resolveIds(operation: Trigger, projectId: number): Promise<ResolvedIds> {
    const parameters = this.parameters
    const version = await this.api.version()
    const ids: ResolvedIds = {
      projectId,
      environmentId:
        parameters.environmentId ?? (await this.lookups.environmentId(parameters.environment as string))
    }
    if (parameters.instanceIds) ids.instanceIds = parameters.instanceIds
    else if (parameters.instances) ids.instanceIds = await this.lookups.instanceIds(parameters.instances)
    const streamName = parameters.stream ?? parameters.branch
    if (parameters.streamId !== undefined) ids.streamId = parameters.streamId
    else if (streamName) ids.streamId = await this.lookups.streamId(projectId, streamName)
    if (parameters.releaseId !== undefined) ids.releaseId = parameters.releaseId
    else if (parameters.release) ids.releaseId = await this.lookups.releaseId(parameters.release, projectId)
    if (version === 'v2' && parameters.workflowVersionOverride !== undefined) {
      const type = { build: 'BUILD', deploy: 'DEPLOY', execute: 'UTILITY' }[operation]
      ids.workflowVersionId = await this.lookups.workflowVersionId(
        projectId,
        type,
        parameters.workflowVersionOverride
      )
    }
    return ids
  }

  /** Finds the project (by id or path) and every name, or for await every request; triggers nothing. */
  dryRun(): Promise<DryRunCheck[]> {
    const version = {
      check: 'REST API version',
      run: async () => `FlexDeploy REST API ${await this.api.version()}`
    }
    if (this.deployment.operation === 'await') {
      return runDryRunLookups([
        ...idsOf(this.resume(this.deployment.taskId ?? '')).map(id => ({
          check: `workflow request ${id} found`,
          run: async () => `workflow request ${id} is ${(await this.readRequest(id)).code}`
        })),
        version
      ])
    }
    let project: Project | undefined
    // The first look-up must reach the server (it proves the credentials): the version check comes after.
    const checks = [
      {
        check: 'target resolved',
        run: async () => describeProject((project = await this.lookUpProject()))
      },
      version
    ]
    const operation = this.deployment.operation
    if (operation === 'deploy' || operation === 'build' || operation === 'execute') {
      checks.push({
        check: 'names resolved',
        run: async () => {
          if (!project) throw new ActionError('the target was not resolved, so its names cannot be')
          const ids = await this.resolveIds(operation, project.projectId as number)
          return Object.entries(ids)
            .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(',') : String(value)}`)
            .join(', ')
        }
      })
    }
    return runDryRunLookups(checks)
  }

  /** The project itself, read even for a numeric id. */
  private async lookUpProject(): Promise<Project> {
    const ref = parseTarget(this.deployment.target ?? '')
    if (ref.kind !== 'id') return this.resolveProject()
    const root = await this.api.root()
    const response = await this.api.send({ method: 'GET', path: `${root}/project/${ref.id}` })
    if (root === '/rest/v2') {
      const project = decode(ProjectV2Schema, response.body, 'FlexDeploy project')
      return { ...project, projectId: ref.id }
    }
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
      const reading = await this.readRequest(id)
      this.observe(id, reading.code)
      if (!isKnownStatus(reading.code) && !this.warnedCodes.has(reading.code)) {
        this.warnedCodes.add(reading.code)
        this.context.log.warning(
          `FlexDeploy reported an unknown workflow request status '${reading.code}'; still waiting for a known final status`
        )
      }
      if (stateOf(reading.code) !== 'running') this.ended.set(id, reading)
      readings.push(reading)
    }
    return aggregate(readings)
  }

  /** What FlexDeploy tells about the requests' executions, after the status changes seen while polling. */
  async log(task: TaskRef, signal?: AbortSignal): Promise<Readable> {
    const lines = this.transitions.map(transitionLine)
    const version = await this.api.version()
    for (const id of idsOf(task)) {
      if (signal?.aborted) throw signal.reason
      // v2: ASSUMED `GET /rest/v2/workflowexecution?workflowRequestId=` answering an `items` wrapper.
      const response = await this.api.raw({
        method: 'GET',
        path: `/rest/${version}/workflowexecution`,
        query: { workflowRequestId: id }
      })
      if (response.status < 200 || response.status >= 300) {
        lines.push(`workflow request ${id}: no execution details (HTTP ${response.status})\n`)
        continue
      }
      const executions = this.executions(version, response.body)
      if (executions.length === 0)
        lines.push(`workflow request ${id}: no workflow execution (it never ran)\n`)
      for (const execution of executions) lines.push(...executionLines(execution))
    }
    return Readable.from(lines)
  }

  private executions(version: ApiVersion, body: unknown): WorkflowExecution[] {
    return version === 'v2'
      ? decode(itemsOf(WorkflowExecutionSchema), body ?? {}, 'FlexDeploy workflowexecution').items
      : decode(WorkflowExecutionListSchema, body ?? [], 'FlexDeploy workflowexecution')
  }

  private observe(id: number, code: string | undefined): void {
    if (!code || this.lastCode.get(id) === code) return
    this.lastCode.set(id, code)
    this.transitions.push({ at: this.context.clock.now(), id, code })
  }

  private async resolveProject(): Promise<Project> {
    const target = this.deployment.target ?? ''
    const ref = parseTarget(target)
    // A trigger's own 404 says the id is wrong.
    if (ref.kind === 'id') return { projectId: ref.id, projectName: `project ${ref.id}` }
    let project: Project
    if ((await this.api.version()) === 'v2') {
      const folders = withoutRoot(ref.folder)
      const found = await this.lookups.projectByPath(folders, ref.name)
      project = { ...found, projectPath: ['FlexDeploy', ...folders, found.projectName].join('/') }
    } else {
      const search = {
        method: 'GET' as const,
        path: '/rest/v1/project',
        query: { projectName: ref.name, folderPath: ref.folder.length ? ref.folder.join('/') : undefined }
      }
      const response = await this.api.raw(search)
      const found =
        response.status === 404
          ? []
          : decode(
              ProjectListSchema,
              this.api.check(response, search).body ?? [],
              'FlexDeploy project search'
            )
      project = pickProject(target, ref, found)
    }
    this.context.log.info(`Target ${target} is FlexDeploy project ${describeProject(project)}`)
    return project
  }

  /**
   * `operation: status`: the project's latest workflow request, nothing triggered (THE RULE). v2 searches
   * `GET /rest/v2/workflowrequest?projectId=` (ASSUMED); v1 has no request search, so it reads
   * `GET /rest/v1/workflowexecution?projectId=` (projectId is an attribute of an execution; the query
   * parameter is ASSUMED) and takes the highest request id. Either way the answer is filtered on our side to
   * the project, in case the server ignored the filter, and the log says when it did.
   */
  private async describeLatest(project: Project): Promise<StartResult> {
    const about = describeProject(project)
    const projectId = project.projectId as number
    const version = await this.api.version()
    const listed = await this.api.send({
      method: 'GET',
      path: `/rest/${version}/${version === 'v2' ? 'workflowrequest' : 'workflowexecution'}`,
      query: { projectId }
    })
    const entries: { requestId: number; projectId?: number | null }[] =
      version === 'v2'
        ? decode(
            WorkflowRequestV2ListSchema,
            listed.body ?? {},
            'FlexDeploy workflowrequest search'
          ).items.map(request => ({ requestId: request.workflowRequestId, projectId: request.projectId }))
        : decode(WorkflowExecutionListSchema, listed.body ?? [], 'FlexDeploy workflowexecution')
            .filter(
              execution => execution.workflowRequestId !== undefined && execution.workflowRequestId !== null
            )
            .map(execution => ({
              requestId: execution.workflowRequestId as number,
              projectId: execution.projectId
            }))
    const ours = entries.filter(entry => entry.projectId === projectId)
    if (ours.length < entries.length) {
      this.context.log.info(
        `FlexDeploy ignored the projectId filter: ${entries.length - ours.length} of the ${entries.length} entries it listed belong to other projects (or name none); kept the ${ours.length} of project ${projectId}`
      )
    }
    if (entries.length === 0 || ours.length === 0) {
      return {
        kind: 'final',
        status: {
          state: 'skipped',
          code: 'none',
          label: 'no request yet',
          message:
            `Project ${about} has no workflow request yet` +
            (entries.length ? ` (FlexDeploy listed ${entries.length} of other projects)` : ''),
          details: { project }
        }
      }
    }
    const id = Math.max(...ours.map(entry => entry.requestId))
    const reading = await this.readRequest(id)
    this.observe(id, reading.code)
    const mapped = aggregate([reading])
    return {
      kind: 'final',
      status: {
        ...mapped,
        message: `Project ${about}: ${mapped.message}`,
        details: { project, latestRequest: reading.details }
      },
      task: { id: String(id), context: { ids: [id] } }
    }
  }

  private async readRequest(id: number): Promise<RequestReading> {
    const version = await this.api.version()
    const response = await this.api.send({ method: 'GET', path: `/rest/${version}/workflowrequest/${id}` })
    if (version === 'v2') {
      const request = decode(WorkflowRequestV2Schema, response.body, 'FlexDeploy workflowrequest')
      return { id, code: request.requestStatus ?? 'UNKNOWN', subject: subjectOf(request), details: request }
    }
    const request = decode(WorkflowRequestSchema, response.body, 'FlexDeploy workflowrequest')
    return {
      id,
      code: request.workflowRequestStatus ?? request.requestStatus ?? 'UNKNOWN',
      subject: subjectOf(request),
      details: request
    }
  }
}

function idsOf(task: TaskRef): number[] {
  const ids = task.context?.ids
  return Array.isArray(ids) ? ids.map(Number) : task.id.split(',').map(Number)
}

function subjectOf(request: {
  projectName?: string | null
  projectVersionName?: string | null
}): string | undefined {
  const subject = [request.projectName, request.projectVersionName].filter(Boolean).join(' ')
  return subject || undefined
}
