/**
 * FlexDeploy REST API simulator (context path /flexdeploy). Sources:
 * - Project API (shared/vendor-docs/004_…, Flexagon wiki "Project API"): HTTP Basic;
 *   GET /rest/v1/project/{id}; GET /rest/v1/project?projectName=…&folderPath=…&isActive=… (name: contains,
 *   ignore case; folderPath: slashes either way, root folder optional, sub folders included);
 *   POST /rest/v1/project/{id}/build (environmentId, streamId required), /deploy (environmentId required),
 *   /execute (utility projects). 201 with `workflowRequests` (execute's example: `wfrequests`), 200 with
 *   warningMessage/warningCode when nothing started; 400, 401, 403, 404, 500.
 * - Workflow Request API (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API):
 *   GET /rest/v1/workflowrequest/{workflowRequestId} → {workflowRequestId, workflowRequestStatus, requestedBy,
 *   requestedStartTime, projectId, projectName, projectVersionName, environmentId, folderPath, …}; statuses
 *   INITIATED, PENDING_APPROVAL, SCHEDULED, ABORTED, REJECTED, READY, SUBMITTED, COMPLETED, FAILED.
 * - Workflow Execution API (https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977):
 *   GET /rest/v1/workflowexecution/{id} and GET /rest/v1/workflowexecution?workflowRequestId=… (the page also
 *   spells it workflowExecution) → {workflowExecutionId, executionStatus Success|Failure|Running, startTime,
 *   endTime, abortedBy, abortedOn, workflowState, workflowType, instanceId, …}. projectId as a query
 *   parameter is ASSUMED (an attribute of the object; the page's list of query parameters is cut short).
 * - No page documents an API that aborts a workflow request: `abort()` stands for someone aborting it in the UI.
 * Error bodies are undocumented; the simulator answers {"message": …}.
 */
import type http from 'node:http'
import {
  parseJsonObject,
  Router,
  sendJson,
  startHttpServer,
  type RecordedRequest,
  type RunningServer
} from '../server.js'

export type RequestOutcome = 'COMPLETED' | 'FAILED' | 'REJECTED' | 'ABORTED'

export interface RequestBehaviour {
  /** Time in PENDING_APPROVAL before an approver approves (or rejects); 0 = no approval; Infinity = until approve(). */
  approvalMs?: number
  /** Time in SCHEDULED before it starts; default 0. */
  scheduledMs?: number
  /** Time READY before the workflow is submitted; default 100. */
  readyMs?: number
  /** Time SUBMITTED (running); default 800. */
  durationMs?: number
  /** Default COMPLETED. REJECTED happens at the end of approval, ABORTED at the end of the run. */
  outcome?: RequestOutcome
  /** A status this action does not know, served instead of SUBMITTED while running. */
  runningStatus?: string
  /** workflowState of a failed execution. */
  failure?: string
  /** An output value of every execution (e.g. a credential the action must redact). */
  output?: string
}

export interface ProjectBehaviour {
  id: number
  name: string
  /** e.g. `FlexDeploy/Human Resources`. */
  folderPath: string
  projectType?: 'GENERAL' | 'UTILITY' | 'PARTIAL_FILE'
  isActive?: boolean
  /** One workflow request per entry; default one that completes. */
  requests?: RequestBehaviour[]
  /** build and deploy answer 200 with this warning unless forced (forceBuild/forceDeploy). */
  warning?: { code: string; message: string }
  /** build, deploy and execute answer this status and message. */
  failWith?: { status: 400 | 403 | 500; message: string }
  instanceIds?: number[]
  streams?: number[]
}

export interface FlexDeploySimulatorOptions {
  username?: string
  password?: string
  projects?: ProjectBehaviour[]
  now?: () => number
  firstRequestId?: number
  port?: number
  host?: string
}

export interface FlexDeploySimulator extends RunningServer {
  readonly username: string
  readonly password: string
  readonly workflowRequests: ReadonlyMap<number, SimulatedRequest>
  setProject(project: ProjectBehaviour): void
  /** Approves a request waiting for approval (approvalMs: Infinity). */
  approve(requestId: number): void
  /** Aborts a request, as a user would in the FlexDeploy UI. */
  abort(requestId: number, by?: string): void
  /** Triggers (build, deploy, execute) that reached the handler with valid credentials. */
  triggers(): number
}

export const DEFAULT_USERNAME = 'fdadmin'
export const DEFAULT_PASSWORD = 'welcome1'
export const DEFAULT_FIRST_REQUEST_ID = 12001

const DEFAULT_PROJECTS: ProjectBehaviour[] = [
  { id: 10501, name: 'ProcessHRRequest', folderPath: 'FlexDeploy/Human Resources' },
  { id: 29801, name: 'Util', folderPath: 'FlexDeploy/HR Utils', projectType: 'UTILITY' }
]

type Phase = { code: string; until: number }

/** One workflow request; its status is derived from the clock at every read. */
export class SimulatedRequest {
  approvedAt?: number
  abortedAt?: number
  abortedBy?: string
  readonly executionIds: number[]

  constructor(
    readonly id: number,
    readonly project: ProjectBehaviour,
    readonly kind: 'build' | 'deploy' | 'execute',
    readonly environmentId: number,
    readonly instanceIds: number[],
    readonly behaviour: RequestBehaviour,
    readonly createdAt: number,
    readonly versionName: string,
    readonly requestedStartTime: string | null,
    firstExecutionId: number,
    private readonly now: () => number
  ) {
    this.executionIds = instanceIds.map((_, index) => firstExecutionId + index)
  }

  private phases(): Phase[] {
    const {
      approvalMs = 0,
      scheduledMs = 0,
      readyMs = 100,
      durationMs = 800,
      outcome = 'COMPLETED'
    } = this.behaviour
    let at = this.createdAt
    const phases: Phase[] = []
    if (approvalMs > 0) {
      at = this.approvedAt ?? at + approvalMs
      phases.push({ code: 'PENDING_APPROVAL', until: at })
      if (outcome === 'REJECTED') return [...phases, { code: 'REJECTED', until: Infinity }]
    }
    if (scheduledMs > 0) phases.push({ code: 'SCHEDULED', until: (at += scheduledMs) })
    phases.push({ code: 'READY', until: (at += readyMs) })
    phases.push({ code: this.behaviour.runningStatus ?? 'SUBMITTED', until: at + durationMs })
    phases.push({ code: outcome === 'REJECTED' ? 'COMPLETED' : outcome, until: Infinity })
    return phases
  }

  get status(): string {
    const now = this.now()
    if (this.abortedAt !== undefined && now >= this.abortedAt) {
      const before = this.statusAt(this.abortedAt)
      return isFinal(before) ? before : 'ABORTED'
    }
    return this.statusAt(now)
  }

  private statusAt(time: number): string {
    return this.phases().find(phase => time < phase.until)?.code ?? 'COMPLETED'
  }

  /** When the workflow started running, if it has. */
  get submittedAt(): number | undefined {
    const phases = this.phases()
    const ready = phases.find(phase => phase.code === 'READY')
    if (!ready || this.now() < ready.until) return undefined
    if (this.abortedAt !== undefined && this.abortedAt < ready.until) return undefined
    return ready.until
  }

  get endedAt(): number | undefined {
    const phases = this.phases()
    const running = phases.at(-2)
    if (this.abortedAt !== undefined && this.abortedAt <= this.now()) return this.abortedAt
    return running && this.now() >= running.until ? running.until : undefined
  }

  toJSON() {
    return {
      packageName: null,
      folderName: this.project.folderPath.split('/').at(-1) ?? null,
      releaseSnapshotId: null,
      workflowRequestStatus: this.status,
      folderId: 10001,
      exceptionToWindow: false,
      releaseDefinitionId: null,
      cmsissues: '',
      workflowRequestId: this.id,
      projectName: this.project.name,
      projectStreamId: this.project.streams?.[0] ?? null,
      projectVersionName: this.versionName,
      requestAllFiles: false,
      projectVersionId: 29000 + this.id,
      environmentId: this.environmentId,
      folderRequestId: null,
      flexFields: [],
      folderPath: this.project.folderPath,
      projectId: this.project.id,
      requestedBy: DEFAULT_USERNAME,
      requestedStartTime: this.requestedStartTime,
      force: false,
      stopOnPackageError: null,
      workflowOverrideVersion: null,
      folderVersionId: null
    }
  }

  executions() {
    const submittedAt = this.submittedAt
    if (submittedAt === undefined) return []
    const endedAt = this.endedAt
    const status = this.status
    const executionStatus = endedAt === undefined ? 'Running' : status === 'COMPLETED' ? 'Success' : 'Failure'
    return this.executionIds.map((workflowExecutionId, index) => ({
      workflowExecutionId,
      workflowRequestId: this.id,
      executionStatus,
      workflowType: this.kind === 'execute' ? 'UTILITY' : this.kind.toUpperCase(),
      instanceId: this.instanceIds[index],
      environmentId: this.environmentId,
      projectId: this.project.id,
      startTime: iso(submittedAt),
      endTime: endedAt === undefined ? null : iso(endedAt),
      abortedBy: status === 'ABORTED' ? (this.abortedBy ?? DEFAULT_USERNAME) : null,
      abortedOn: status === 'ABORTED' && endedAt !== undefined ? iso(endedAt) : null,
      workflowState: this.stateText(executionStatus),
      workflowExecutionOutputs:
        endedAt !== undefined && this.behaviour.output
          ? [{ code: 'RESULT', value: this.behaviour.output }]
          : []
    }))
  }

  private stateText(executionStatus: string): string {
    const what = `${this.kind} ${this.project.name} ${this.versionName}`
    if (executionStatus === 'Running') return `Running ${what}`
    if (executionStatus === 'Success') return `Finished ${what}`
    if (this.status === 'ABORTED') return `Aborted while running ${what}`
    return this.behaviour.failure ?? `Failed ${what}: step 'Restart server' ended with exit code 1`
  }
}

function isFinal(status: string): boolean {
  return ['COMPLETED', 'FAILED', 'REJECTED', 'ABORTED'].includes(status)
}

/** FlexDeploy timestamps look like 2022-03-21T17:58:40.071+0000 (Workflow Execution API example). */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000')
}

const error = (message: string) => ({ message })

function credentialsOf(request: RecordedRequest): string | undefined {
  const encoded = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
  return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined
}

function segments(path: string): string[] {
  return path
    .split(/[\\/]/)
    .map(part => part.trim().toLowerCase())
    .filter(Boolean)
}

/** folderPath: root folder optional, sub folders included (Project API page). */
function inFolder(project: ProjectBehaviour, folderPath: string): boolean {
  const wanted = segments(folderPath)
  const have = segments(project.folderPath)
  const from = wanted[0] === have[0] ? have : have.slice(1)
  return wanted.every((segment, index) => from[index] === segment)
}

const START_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/

export async function startFlexDeploySimulator(
  options: FlexDeploySimulatorOptions = {}
): Promise<FlexDeploySimulator> {
  const username = options.username ?? DEFAULT_USERNAME
  const password = options.password ?? DEFAULT_PASSWORD
  const now = options.now ?? Date.now
  const projects = new Map((options.projects ?? DEFAULT_PROJECTS).map(project => [project.id, project]))
  const requests = new Map<number, SimulatedRequest>()
  const versions = new Map<number, number>()
  let nextRequestId = options.firstRequestId ?? DEFAULT_FIRST_REQUEST_ID
  let nextExecutionId = 1174966
  let triggerCount = 0

  function projectJson(project: ProjectBehaviour) {
    const utility = project.projectType === 'UTILITY'
    return {
      projectId: project.id,
      priority: 1,
      projectName: project.name,
      projectPath: `${project.folderPath}/${project.name}`,
      description: `${project.name} (simulated)`,
      applicationId: 10001,
      priorityScope: 'Application',
      partialDeployment: project.projectType === 'PARTIAL_FILE',
      isActive: project.isActive ?? true,
      scmType: 'GIT',
      streams: project.streams ?? [10502],
      utilityWorkflowId: utility ? 11434 : null,
      utilityInstanceIds: utility ? (project.instanceIds ?? [11275]) : null,
      deployWorkflowId: utility ? null : 10873,
      deployInstanceIds: utility ? null : (project.instanceIds ?? [100001]),
      buildWorkflowId: utility ? null : 10869,
      buildInstanceId: utility ? null : 11153,
      projectType: project.projectType ?? 'GENERAL'
    }
  }

  function getProject(_request: RecordedRequest, response: http.ServerResponse, id: string) {
    const project = projects.get(Number(id))
    if (!project) return sendJson(response, 404, error(`Project ${id} not found`))
    sendJson(response, 200, projectJson(project))
  }

  function searchProjects(request: RecordedRequest, response: http.ServerResponse) {
    const { projectName, folderPath, isActive } = request.query
    const found = [...projects.values()].filter(
      project =>
        (!projectName || project.name.toLowerCase().includes(projectName.toLowerCase())) &&
        (!folderPath || inFolder(project, folderPath)) &&
        (isActive === undefined || String(project.isActive ?? true) === isActive.toLowerCase())
    )
    sendJson(response, 200, found.map(projectJson))
  }

  function trigger(request: RecordedRequest, response: http.ServerResponse, id: string, kind: string) {
    triggerCount++
    const body = parseJsonObject(request.body)
    if (!body) return sendJson(response, 400, error('Request body must be a JSON object'))
    const project = projects.get(Number(id))
    if (!project) return sendJson(response, 404, error(`Project ${id} not found`))
    if (project.failWith) return sendJson(response, project.failWith.status, error(project.failWith.message))
    const environmentId = Number(body.environmentId)
    if (!Number.isInteger(environmentId) || environmentId <= 0)
      return sendJson(response, 400, error('environmentId is required'))
    if (kind === 'build' && body.streamId === undefined)
      return sendJson(response, 400, error('streamId is required'))
    const utility = project.projectType === 'UTILITY'
    if (kind === 'execute' && !utility)
      return sendJson(response, 400, error(`Project ${project.name} is not a utility project`))
    if (kind !== 'execute' && utility)
      return sendJson(response, 400, error(`Utility project ${project.name} can only be executed`))
    const startTime = body.startTime
    if (startTime !== undefined && (typeof startTime !== 'string' || !START_TIME.test(startTime)))
      return sendJson(response, 400, error(`Unparseable startTime ${JSON.stringify(startTime)}`))
    const forced = body.forceBuild === true || body.forceDeploy === true || body.forceDeploy === 'true'
    if (project.warning && kind !== 'execute' && !forced) {
      return sendJson(response, 200, {
        warningMessage: project.warning.message,
        warningCode: project.warning.code,
        workflowRequests: []
      })
    }
    const instances = Array.isArray(body.instanceIds)
      ? body.instanceIds.map(Number)
      : (project.instanceIds ?? [100001])
    const build = (versions.get(project.id) ?? 7) + (kind === 'build' ? 1 : 0)
    versions.set(project.id, build)
    const created = (project.requests ?? [{}]).map(behaviour => {
      const simulated = new SimulatedRequest(
        nextRequestId++,
        project,
        kind as 'build' | 'deploy' | 'execute',
        environmentId,
        kind === 'build' ? [11153] : instances,
        behaviour,
        now(),
        `1.0.${build}`,
        typeof startTime === 'string' ? startTime : null,
        nextExecutionId,
        now
      )
      nextExecutionId += simulated.executionIds.length
      requests.set(simulated.id, simulated)
      return simulated.toJSON()
    })
    const key = kind === 'execute' ? 'wfrequests' : 'workflowRequests'
    sendJson(response, 201, { warningMessage: null, warningCode: null, [key]: created })
  }

  function getWorkflowRequest(_request: RecordedRequest, response: http.ServerResponse, id: string) {
    const found = requests.get(Number(id))
    if (!found) return sendJson(response, 404, error(`Workflow request ${id} not found`))
    sendJson(response, 200, found.toJSON())
  }

  function listExecutions(request: RecordedRequest, response: http.ServerResponse) {
    const { workflowRequestId, projectId, workflowExecutionId } = request.query
    const executions = [...requests.values()]
      .filter(found => !workflowRequestId || String(found.id) === workflowRequestId)
      .filter(found => !projectId || String(found.project.id) === projectId)
      .flatMap(found => found.executions())
      .filter(
        execution => !workflowExecutionId || String(execution.workflowExecutionId) === workflowExecutionId
      )
    sendJson(response, 200, executions)
  }

  function getExecution(_request: RecordedRequest, response: http.ServerResponse, id: string) {
    const execution = [...requests.values()]
      .flatMap(found => found.executions())
      .find(candidate => String(candidate.workflowExecutionId) === id)
    if (!execution) return sendJson(response, 404, error(`Workflow execution ${id} not found`))
    sendJson(response, 200, execution)
  }

  const API = '/flexdeploy/rest/v1'
  const router = new Router()
    .get(`${API}/project`, searchProjects)
    .get(`${API}/project/:id`, (request, response, params) => getProject(request, response, params.id ?? ''))
    .get(`${API}/workflowrequest/:id`, (request, response, params) =>
      getWorkflowRequest(request, response, params.id ?? '')
    )
    .get(`${API}/workflowexecution`, listExecutions)
    .get(`${API}/workflowExecution`, listExecutions)
    .get(`${API}/workflowexecution/:id`, (request, response, params) =>
      getExecution(request, response, params.id ?? '')
    )
  for (const kind of ['build', 'deploy', 'execute']) {
    router.post(`${API}/project/:id/${kind}`, (request, response, params) =>
      trigger(request, response, params.id ?? '', kind)
    )
  }
  const route = router.handler((request, response) =>
    sendJson(response, 404, error(`No API at ${request.method} ${request.path}`))
  )

  const server = await startHttpServer(
    (request, response) => {
      if (credentialsOf(request) !== `${username}:${password}`)
        return sendJson(response, 401, error('Authentication failure: invalid user name or password'))
      return route(request, response)
    },
    { port: options.port, host: options.host }
  )

  return {
    ...server,
    username,
    password,
    workflowRequests: requests,
    setProject: project => void projects.set(project.id, project),
    approve: requestId => {
      const found = requests.get(requestId)
      if (found) found.approvedAt = now()
    },
    abort: (requestId, by) => {
      const found = requests.get(requestId)
      if (!found) return
      found.abortedAt = now()
      found.abortedBy = by
    },
    triggers: () => triggerCount
  }
}
