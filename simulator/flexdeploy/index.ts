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
 * - v2 (FlexDeploy 9.0 API Guide: v1 deprecated since 6.0, "some may be removed in the next major release";
 *   Flexagon's Jenkins plugin `jenkinsci/flexdeploy-plugin` 3.x, PluginConstants.java and
 *   TriggerFlexDeployProject.java): POST /rest/v2/workflowrequest/build {projectId, environmentId, force,
 *   projectStreamId, releaseDefId, packageName, workflowVersionOverrideId, issueNumbers, inputs, flexFields}
 *   → 201 {workflowRequestId}; GET /rest/v2/workflowrequest/{id} → requestStatus (404 "WorkflowRequest not
 *   found", which the plugin's connection check reads); searches answer {"items":[…]}:
 *   GET /rest/v2/topology/environment?environmentCode=, GET /rest/v2/folder?folderName=&parentFolderId= (name:
 *   contains, the plugin says; root folder FlexDeploy has id 99), GET /rest/v2/project?projectName=&folderId=,
 *   GET /rest/v2/project/{id}/branch?branchName= (projectBranchId), GET /rest/v2/project/{id} (projectWorkflows),
 *   GET /rest/v2/workflow/{id} (workflowVersions). GET /rest/v1/releases?releaseName= (a bare list with
 *   projects[].projectId) is the v1 call the plugin uses even against v2, so it stays when v1 is switched off.
 * - ASSUMED (no page or client shows them): POST /rest/v2/workflowrequest/deploy and /execute (targetGroupIds
 *   for instances), GET /rest/v2/workflowrequest?projectId= and GET /rest/v2/workflowexecution?workflowRequestId=
 *   (items), GET /rest/v2/topology/targetgroup?targetGroupCode= (v2 "renames Instance to Target Group",
 *   Environment API v2 page), GET /rest/v1/topology/instance?instanceCode= and
 *   GET /rest/v1/project/{id}/stream?streamName= (lists). GET /rest/v1/topology/environment?environmentCode= is
 *   the Environment API page (FD50-FD65).
 * - API tokens (FlexDeploy API Tokens page, FD60-FD90; API Guide 9.0): a token stands in for the password
 *   of Basic auth; SSO users can reach the REST API only so.
 * - No page documents an API that aborts a workflow request: `abort()` stands for someone aborting it in the UI.
 * Error bodies are undocumented; the simulator answers {"message": …}; a path no version serves answers an
 * HTML 404 page, as a servlet container does.
 */
import type http from 'node:http'
import {
  parseJsonObject,
  Router,
  sendJson,
  sendText,
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
  /** Streams (v2: branches) by name; default one, `main`, with the first id of `streams`. */
  branches?: { id: number; name: string }[]
  /** Versions of the project's workflows (GET /rest/v2/workflow/{id}); default 1.0 and 2.0. */
  workflowVersions?: { id: number; version: string }[]
}

export interface EnvironmentBehaviour {
  id: number
  code: string
  name?: string
}

export interface ReleaseBehaviour {
  id: number
  name: string
  projects: number[]
}

export interface FlexDeploySimulatorOptions {
  username?: string
  password?: string
  projects?: ProjectBehaviour[]
  now?: () => number
  firstRequestId?: number
  port?: number
  host?: string
  /** Serve /rest/v1 (default true); false stands for a future FlexDeploy that removed it. */
  v1?: boolean
  /** Serve /rest/v2 (default true); false stands for a server before 6.0. */
  v2?: boolean
  /** API tokens accepted instead of the password (FlexDeploy 6+). */
  tokens?: string[]
  /** The workflow request and execution searches ignore `projectId` (answer every project's). */
  ignoreProjectFilter?: boolean
  environments?: EnvironmentBehaviour[]
  /** Instances (v2: target groups). */
  instances?: EnvironmentBehaviour[]
  releases?: ReleaseBehaviour[]
  /** Extra folders (path below FlexDeploy) beyond those the projects sit in, e.g. a look-alike. */
  folders?: string[]
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
  /** The last body of each trigger, for tests. */
  readonly triggerBodies: Record<string, unknown>[]
  /** Folder ids by path below the root, e.g. `Human Resources/Payroll`. */
  readonly folderIds: ReadonlyMap<string, number>
}

export const DEFAULT_USERNAME = 'fdadmin'
export const DEFAULT_PASSWORD = 'welcome1'
export const DEFAULT_FIRST_REQUEST_ID = 12001

const DEFAULT_ENVIRONMENTS: EnvironmentBehaviour[] = [
  { id: 11210, code: 'QA', name: 'Quality Assurance' },
  { id: 11211, code: 'PROD', name: 'Production' }
]
const DEFAULT_INSTANCES: EnvironmentBehaviour[] = [
  { id: 100001, code: 'SOA1', name: 'SOA server 1' },
  { id: 100002, code: 'SOA2', name: 'SOA server 2' }
]
/** The root folder `FlexDeploy` (Jenkins plugin 3.x FLEXDEPLOY_FOLDER_ID). */
export const ROOT_FOLDER_ID = 99

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

  /** The v2 shape: `requestStatus` instead of `workflowRequestStatus` (Jenkins plugin 3.x). */
  toV2JSON() {
    const { workflowRequestStatus, ...rest } = this.toJSON()
    return { ...rest, requestStatus: workflowRequestStatus }
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
  const accepted = new Set([password, ...(options.tokens ?? [])].map(secret => `${username}:${secret}`))
  const now = options.now ?? Date.now
  const projects = new Map((options.projects ?? DEFAULT_PROJECTS).map(project => [project.id, project]))
  const environments = options.environments ?? DEFAULT_ENVIRONMENTS
  const instances = options.instances ?? DEFAULT_INSTANCES
  const releases = options.releases ?? []
  const requests = new Map<number, SimulatedRequest>()
  const versions = new Map<number, number>()
  const triggerBodies: Record<string, unknown>[] = []
  let nextRequestId = options.firstRequestId ?? DEFAULT_FIRST_REQUEST_ID
  let nextExecutionId = 1174966
  let triggerCount = 0

  /** Folders by path below the root, ids from 20001 in the order first seen. */
  const folderIds = new Map<string, number>()
  const folderOf = (path: string) => segmentsKeepCase(path).slice(1).join('/')
  function addFolders(below: string) {
    const parts = segmentsKeepCase(below)
    for (let depth = 1; depth <= parts.length; depth++) {
      const path = parts.slice(0, depth).join('/')
      if (!folderIds.has(path)) folderIds.set(path, 20001 + folderIds.size)
    }
  }
  for (const project of projects.values()) addFolders(folderOf(project.folderPath))
  for (const extra of options.folders ?? []) addFolders(extra)
  const folderIdOf = (project: ProjectBehaviour) =>
    folderIds.get(folderOf(project.folderPath)) ?? ROOT_FOLDER_ID

  const branchesOf = (project: ProjectBehaviour) =>
    project.branches ?? [{ id: project.streams?.[0] ?? 10502, name: 'main' }]
  const workflowVersionsOf = (project: ProjectBehaviour) =>
    project.workflowVersions ?? [
      { id: 30001, version: '1.0' },
      { id: 30002, version: '2.0' }
    ]
  const WORKFLOWS = { BUILD: 10869, DEPLOY: 10873, UTILITY: 11434 }

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
      utilityWorkflowId: utility ? WORKFLOWS.UTILITY : null,
      utilityInstanceIds: utility ? (project.instanceIds ?? [11275]) : null,
      deployWorkflowId: utility ? null : WORKFLOWS.DEPLOY,
      deployInstanceIds: utility ? null : (project.instanceIds ?? [100001]),
      buildWorkflowId: utility ? null : WORKFLOWS.BUILD,
      buildInstanceId: utility ? null : 11153,
      projectType: project.projectType ?? 'GENERAL'
    }
  }

  /** v2 project: folderId and projectWorkflows (Jenkins plugin 3.x `getWorkflowId`). */
  function projectV2Json(project: ProjectBehaviour) {
    const utility = project.projectType === 'UTILITY'
    const workflows = utility
      ? [{ projectWorkflowType: 'UTILITY', workflowId: WORKFLOWS.UTILITY }]
      : [
          { projectWorkflowType: 'BUILD', workflowId: WORKFLOWS.BUILD },
          { projectWorkflowType: 'DEPLOY', workflowId: WORKFLOWS.DEPLOY }
        ]
    return {
      projectId: project.id,
      projectName: project.name,
      folderId: folderIdOf(project),
      description: `${project.name} (simulated)`,
      isActive: project.isActive ?? true,
      projectType: project.projectType ?? 'GENERAL',
      projectWorkflows: workflows
    }
  }

  const items = (list: unknown[]) => ({ items: list })

  function getProject(_request: RecordedRequest, response: http.ServerResponse, id: string, v2: boolean) {
    const project = projects.get(Number(id))
    if (!project) return sendJson(response, 404, error(`Project ${id} not found`))
    sendJson(response, 200, v2 ? projectV2Json(project) : projectJson(project))
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

  /** v2: projectName contains, ignoring case; folderId exact (Jenkins plugin 3.x `getProjectId`). */
  function searchProjectsV2(request: RecordedRequest, response: http.ServerResponse) {
    const { projectName, folderId } = request.query
    const found = [...projects.values()].filter(
      project =>
        (!projectName || project.name.toLowerCase().includes(projectName.toLowerCase())) &&
        (!folderId || String(folderIdOf(project)) === folderId)
    )
    sendJson(response, 200, items(found.map(projectV2Json)))
  }

  /** v2 folders: folderName contains, ignoring case, below parentFolderId (Jenkins plugin 3.x `getFolderId`). */
  function searchFolders(request: RecordedRequest, response: http.ServerResponse) {
    const { folderName, parentFolderId } = request.query
    const found = [...folderIds.entries()]
      .filter(([path]) => {
        const parts = path.split('/')
        const parent = parts.length === 1 ? ROOT_FOLDER_ID : folderIds.get(parts.slice(0, -1).join('/'))
        return !parentFolderId || String(parent) === parentFolderId
      })
      .filter(
        ([path]) =>
          !folderName || (path.split('/').at(-1) ?? '').toLowerCase().includes(folderName.toLowerCase())
      )
      .map(([path, folderId]) => ({
        folderId,
        folderName: path.split('/').at(-1),
        parentFolderId: Number(parentFolderId ?? 0) || null
      }))
    sendJson(response, 200, items(found))
  }

  function byCode<T extends EnvironmentBehaviour>(list: T[], code: string | undefined) {
    return list.filter(item => !code || item.code.toLowerCase() === code.toLowerCase())
  }

  /** Environment API (v1: a list, FD50/FD65) and Environment API v2 (FD57; `items`, Jenkins plugin `getEnvironmentId`). */
  function listEnvironments(request: RecordedRequest, response: http.ServerResponse, v2: boolean) {
    const found = byCode(environments, request.query.environmentCode).map(environment => ({
      environmentId: environment.id,
      environmentCode: environment.code,
      environmentName: environment.name ?? environment.code,
      isActive: true
    }))
    sendJson(response, 200, v2 ? items(found) : found)
  }

  /** ASSUMED: v1 instances by `instanceCode` (a list); v2 target groups by `targetGroupCode` (`items`). */
  function listInstances(request: RecordedRequest, response: http.ServerResponse, v2: boolean) {
    if (v2) {
      const found = byCode(instances, request.query.targetGroupCode).map(instance => ({
        targetGroupId: instance.id,
        targetGroupCode: instance.code,
        targetGroupName: instance.name ?? instance.code
      }))
      return sendJson(response, 200, items(found))
    }
    const found = byCode(instances, request.query.instanceCode).map(instance => ({
      instanceId: instance.id,
      instanceCode: instance.code,
      instanceName: instance.name ?? instance.code
    }))
    sendJson(response, 200, found)
  }

  /** v2 `project/{id}/branch?branchName=` → items of projectBranchId (Jenkins plugin `getProjectStreamId`); v1 `stream` ASSUMED. */
  function listBranches(request: RecordedRequest, response: http.ServerResponse, id: string, v2: boolean) {
    const project = projects.get(Number(id))
    if (!project) return sendJson(response, 404, error(`Project ${id} not found`))
    const wanted = (v2 ? request.query.branchName : request.query.streamName)?.toLowerCase()
    const found = branchesOf(project).filter(branch => !wanted || branch.name.toLowerCase().includes(wanted))
    if (v2)
      return sendJson(response, 200, items(found.map(b => ({ projectBranchId: b.id, branchName: b.name }))))
    sendJson(
      response,
      200,
      found.map(b => ({ projectStreamId: b.id, streamName: b.name }))
    )
  }

  /** `GET /rest/v1/releases?releaseName=` → a bare list with projects[].projectId (Jenkins plugin `parseReleaseJson`). */
  function listReleases(request: RecordedRequest, response: http.ServerResponse) {
    const wanted = request.query.releaseName?.toLowerCase()
    const found = releases.filter(release => !wanted || release.name.toLowerCase().includes(wanted))
    sendJson(
      response,
      200,
      found.map(release => ({
        releaseId: release.id,
        releaseName: release.name,
        projects: release.projects.map(projectId => ({ projectId }))
      }))
    )
  }

  /** `GET /rest/v2/workflow/{id}` → workflowVersions (Jenkins plugin `getWorkflowVersionId`). */
  function getWorkflow(_request: RecordedRequest, response: http.ServerResponse, id: string) {
    const project = [...projects.values()].find(candidate =>
      Object.values(projectV2Json(candidate).projectWorkflows).some(
        workflow => String(workflow.workflowId) === id
      )
    )
    if (!project) return sendJson(response, 404, error(`Workflow ${id} not found`))
    sendJson(response, 200, {
      workflowId: Number(id),
      workflowVersions: workflowVersionsOf(project).map(v => ({
        workflowVersionId: v.id,
        workflowVersion: v.version
      }))
    })
  }

  /** Build, deploy, execute; v2 takes the Jenkins plugin's names (force, projectStreamId, releaseDefId, …). */
  function trigger(
    request: RecordedRequest,
    response: http.ServerResponse,
    id: string | undefined,
    kind: string,
    v2: boolean
  ) {
    triggerCount++
    const body = parseJsonObject(request.body)
    if (!body) return sendJson(response, 400, error('Request body must be a JSON object'))
    triggerBodies.push(body)
    const projectId = v2 ? body.projectId : id
    const project = projects.get(Number(projectId))
    if (!project) return sendJson(response, 404, error(`Project ${String(projectId)} not found`))
    if (project.failWith) return sendJson(response, project.failWith.status, error(project.failWith.message))
    const environmentId = Number(body.environmentId)
    if (!Number.isInteger(environmentId) || environmentId <= 0)
      return sendJson(response, 400, error('environmentId is required'))
    const stream = v2 ? body.projectStreamId : body.streamId
    if (kind === 'build' && stream === undefined)
      return sendJson(response, 400, error(`${v2 ? 'projectStreamId' : 'streamId'} is required`))
    if (
      kind === 'build' &&
      !branchesOf(project).some(branch => branch.id === Number(stream)) &&
      !(project.streams ?? [10502]).includes(Number(stream))
    )
      return sendJson(
        response,
        400,
        error(`Stream ${String(stream)} is not a stream of project ${project.name}`)
      )
    const utility = project.projectType === 'UTILITY'
    if (kind === 'execute' && !utility)
      return sendJson(response, 400, error(`Project ${project.name} is not a utility project`))
    if (kind !== 'execute' && utility)
      return sendJson(response, 400, error(`Utility project ${project.name} can only be executed`))
    const startTime = body.startTime
    if (startTime !== undefined && (typeof startTime !== 'string' || !START_TIME.test(startTime)))
      return sendJson(response, 400, error(`Unparseable startTime ${JSON.stringify(startTime)}`))
    const release = v2 ? body.releaseDefId : body.releaseId
    if (
      release !== undefined &&
      !releases.some(candidate => candidate.id === Number(release) && candidate.projects.includes(project.id))
    )
      return sendJson(
        response,
        400,
        error(`Release ${String(release)} does not hold project ${project.name}`)
      )
    const override = body.workflowVersionOverrideId
    if (
      override !== undefined &&
      !workflowVersionsOf(project).some(version => version.id === Number(override))
    )
      return sendJson(response, 400, error(`Workflow version ${String(override)} not found`))
    const forced = v2
      ? body.force === true
      : body.forceBuild === true || body.forceDeploy === true || body.forceDeploy === 'true'
    if (project.warning && kind !== 'execute' && !forced) {
      return sendJson(response, 200, {
        warningMessage: project.warning.message,
        warningCode: project.warning.code,
        ...(v2 ? {} : { workflowRequests: [] })
      })
    }
    const chosen = v2 ? body.targetGroupIds : body.instanceIds
    const targets = Array.isArray(chosen) ? chosen.map(Number) : (project.instanceIds ?? [100001])
    const build = (versions.get(project.id) ?? 7) + (kind === 'build' ? 1 : 0)
    versions.set(project.id, build)
    const created = (project.requests ?? [{}]).map(behaviour => {
      const simulated = new SimulatedRequest(
        nextRequestId++,
        project,
        kind as 'build' | 'deploy' | 'execute',
        environmentId,
        kind === 'build' ? [11153] : targets,
        behaviour,
        now(),
        `1.0.${build}`,
        typeof startTime === 'string' ? startTime : null,
        nextExecutionId,
        now
      )
      nextExecutionId += simulated.executionIds.length
      requests.set(simulated.id, simulated)
      return simulated
    })
    // v2 answers one workflowRequestId (Jenkins plugin 3.x `parseJson(result, "workflowRequestId")`).
    if (v2) return sendJson(response, 201, { workflowRequestId: created[0]?.id })
    const key = kind === 'execute' ? 'wfrequests' : 'workflowRequests'
    sendJson(response, 201, {
      warningMessage: null,
      warningCode: null,
      [key]: created.map(made => made.toJSON())
    })
  }

  function getWorkflowRequest(
    _request: RecordedRequest,
    response: http.ServerResponse,
    id: string,
    v2: boolean
  ) {
    const found = requests.get(Number(id))
    // "WorkflowRequest not found" is what the Jenkins plugin's connection check looks for.
    if (!found)
      return sendJson(
        response,
        404,
        error(v2 ? 'WorkflowRequest not found' : `Workflow request ${id} not found`)
      )
    sendJson(response, 200, v2 ? found.toV2JSON() : found.toJSON())
  }

  const projectFilter = (projectId: string | undefined) => (found: SimulatedRequest) =>
    options.ignoreProjectFilter || !projectId || String(found.project.id) === projectId

  /** ASSUMED: `GET /rest/v2/workflowrequest?projectId=` → items (ignores the filter with ignoreProjectFilter). */
  function searchWorkflowRequests(request: RecordedRequest, response: http.ServerResponse) {
    const found = [...requests.values()].filter(projectFilter(request.query.projectId))
    sendJson(response, 200, items(found.map(made => made.toV2JSON())))
  }

  /** Workflow Execution API (v1 list); v2 with an `items` wrapper ASSUMED. */
  function listExecutions(request: RecordedRequest, response: http.ServerResponse, v2: boolean) {
    const { workflowRequestId, projectId, workflowExecutionId } = request.query
    const executions = [...requests.values()]
      .filter(found => !workflowRequestId || String(found.id) === workflowRequestId)
      .filter(projectFilter(projectId))
      .flatMap(found => found.executions())
      .filter(
        execution => !workflowExecutionId || String(execution.workflowExecutionId) === workflowExecutionId
      )
    sendJson(response, 200, v2 ? items(executions) : executions)
  }

  function getExecution(_request: RecordedRequest, response: http.ServerResponse, id: string) {
    const execution = [...requests.values()]
      .flatMap(found => found.executions())
      .find(candidate => String(candidate.workflowExecutionId) === id)
    if (!execution) return sendJson(response, 404, error(`Workflow execution ${id} not found`))
    sendJson(response, 200, execution)
  }

  const router = new Router()
  const V1 = '/flexdeploy/rest/v1'
  const V2 = '/flexdeploy/rest/v2'
  const param = (params: Record<string, string>) => params.id ?? ''
  if (options.v1 !== false) {
    router
      .get(`${V1}/project`, searchProjects)
      .get(`${V1}/project/:id`, (request, response, params) =>
        getProject(request, response, param(params), false)
      )
      .get(`${V1}/project/:id/stream`, (request, response, params) =>
        listBranches(request, response, param(params), false)
      )
      .get(`${V1}/workflowrequest/:id`, (request, response, params) =>
        getWorkflowRequest(request, response, param(params), false)
      )
      .get(`${V1}/workflowexecution`, (request, response) => listExecutions(request, response, false))
      .get(`${V1}/workflowExecution`, (request, response) => listExecutions(request, response, false))
      .get(`${V1}/workflowexecution/:id`, (request, response, params) =>
        getExecution(request, response, param(params))
      )
      .get(`${V1}/topology/environment`, (request, response) => listEnvironments(request, response, false))
      .get(`${V1}/topology/instance`, (request, response) => listInstances(request, response, false))
    for (const kind of ['build', 'deploy', 'execute']) {
      router.post(`${V1}/project/:id/${kind}`, (request, response, params) =>
        trigger(request, response, param(params), kind, false)
      )
    }
  }
  // The Jenkins plugin reads releases through v1 even on v2 servers: kept when v1 is switched off.
  router.get(`${V1}/releases`, listReleases)
  if (options.v2 !== false) {
    router
      .get(`${V2}/project`, searchProjectsV2)
      .get(`${V2}/project/:id`, (request, response, params) =>
        getProject(request, response, param(params), true)
      )
      .get(`${V2}/project/:id/branch`, (request, response, params) =>
        listBranches(request, response, param(params), true)
      )
      .get(`${V2}/folder`, searchFolders)
      .get(`${V2}/workflow/:id`, (request, response, params) => getWorkflow(request, response, param(params)))
      .get(`${V2}/workflowrequest`, searchWorkflowRequests)
      .get(`${V2}/workflowrequest/:id`, (request, response, params) =>
        getWorkflowRequest(request, response, param(params), true)
      )
      .get(`${V2}/workflowexecution`, (request, response) => listExecutions(request, response, true))
      .get(`${V2}/topology/environment`, (request, response) => listEnvironments(request, response, true))
      .get(`${V2}/topology/targetgroup`, (request, response) => listInstances(request, response, true))
    for (const kind of ['build', 'deploy', 'execute']) {
      router.post(`${V2}/workflowrequest/${kind}`, (request, response) =>
        trigger(request, response, undefined, kind, true)
      )
    }
  }
  // A path no version serves: the servlet container's HTML page, not a FlexDeploy message.
  const route = router.handler((request, response) =>
    sendText(
      response,
      404,
      `<html><body><h1>HTTP Status 404 – Not Found</h1><p>${request.path}</p></body></html>`,
      'text/html'
    )
  )

  const server = await startHttpServer(
    (request, response) => {
      const given = credentialsOf(request)
      if (!given || !accepted.has(given))
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
    triggerBodies,
    folderIds,
    setProject: project => {
      projects.set(project.id, project)
      addFolders(folderOf(project.folderPath))
    },
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

function segmentsKeepCase(path: string): string[] {
  return path
    .split(/[\\/]/)
    .map(part => part.trim())
    .filter(Boolean)
}
