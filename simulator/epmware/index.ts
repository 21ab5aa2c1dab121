/**
 * EPMware REST API simulator. Sources:
 * - Run Deployment (shared/vendor-docs/000_…, https://rest-api-guide.epmware.com/modules/deployment/run-deployment):
 *   POST /service/api/deployment/run {name, timeout_min (default 60)} → {"status":"S","taskId":"244596"};
 *   errors 401, 404, 409, 503, 500 as {"status":"E","message":…}; the log is read as text lines.
 * - Endpoints summary (https://rest-api-guide.epmware.com/reference/endpoints-summary): the Task module has
 *   only get_status/{task_id} and get_log_file/{task_id}; the Deployment module only run and
 *   get_execution_details. No endpoint cancels a task, so none is simulated.
 * - Get Task Status (https://rest-api-guide.epmware.com/modules/task/get-status): {taskId, status,
 *   percentCompleted, message}, all strings; N while queued; 404 for an unknown task.
 * - Task module (https://rest-api-guide.epmware.com/modules/task): codes P pending, R running, S, E,
 *   W completed with warnings, C cancelled by user.
 * - Response formats (https://rest-api-guide.epmware.com/getting-started/response-formats): errors may
 *   carry "taskId":"0"; query operations answer {"status":"S","count":n,"data":[…]}.
 * - Authentication (https://rest-api-guide.epmware.com/getting-started/authentication):
 *   `Authorization: Token <uuid>`.
 */
import type http from 'node:http'
import {
  parseJsonObject,
  Router,
  sendJson,
  startHttpServer,
  writeChunk,
  type RecordedRequest,
  type RunningServer
} from '../server.js'

export type Outcome = 'S' | 'W' | 'E' | 'C'
export type TaskStatusCode = 'N' | 'P' | 'R' | Outcome

export interface DeploymentBehaviour {
  /** From the run call to the final status; default 1500. */
  durationMs?: number
  /** Final status code; default 'S'. */
  outcome?: Outcome
  /** Final message instead of the default for the outcome. */
  message?: string
  /** Lines of deployment steps in the complete log; default 40. */
  logLines?: number
  /** Instead of logLines: a log of about this many bytes, generated while it is streamed. */
  logBytes?: number
  /** The run call itself fails with this status ("500 Target application error" on the Run Deployment page). */
  failWith?: 500
  /** Time queued (N, then P) before running; default 10 % of durationMs. */
  pendingMs?: number
  /** One extra line near the top of the log (e.g. a credential the action must redact). */
  logLine?: string
}

export interface EpmwareSimulatorOptions {
  token?: string
  deployments?: Record<string, DeploymentBehaviour>
  /** false: run answers 503 "Deployment Service is not running". Default true. */
  serviceRunning?: boolean
  /** The clock task progress is computed from; default Date.now. */
  now?: () => number
  firstTaskId?: number
  port?: number
  host?: string
}

export interface EpmwareStats {
  run: number
  getStatus: number
  getLogFile: number
  getExecutionDetails: number
}

export interface EpmwareSimulator extends RunningServer {
  readonly token: string
  /** Every task started, by task id. */
  readonly tasks: ReadonlyMap<string, EpmwareTask>
  serviceRunning: boolean
  setDeployment(name: string, behaviour?: DeploymentBehaviour): void
  /** Authorized requests that reached each endpoint (faulted and refused ones are only in `requests`). */
  stats(): EpmwareStats
}

/** The token shown in the vendor's examples. */
export const DEFAULT_TOKEN = '15388ad5-c9af-4cf3-af47-8021c1ab3fb7'
export const DEFAULT_FIRST_TASK_ID = 244596

/** Where a failed or cancelled deployment stops (assumed; the docs show no percent for E or C). */
const STOPPED_AT_PERCENT = 60

const FINAL_MESSAGES: Record<Outcome, string> = {
  S: 'Deployment completed successfully',
  W: 'Deployment completed with warnings: 2 members skipped',
  E: 'Deployment failed: target application is not reachable',
  C: 'Deployment was cancelled by user'
}

type ResolvedBehaviour = Required<
  Pick<DeploymentBehaviour, 'durationMs' | 'outcome' | 'logLines' | 'pendingMs'>
> &
  DeploymentBehaviour

function resolveBehaviour(behaviour: DeploymentBehaviour): ResolvedBehaviour {
  const durationMs = Math.max(0, behaviour.durationMs ?? 1500)
  const pendingMs = Math.min(durationMs, Math.max(0, behaviour.pendingMs ?? Math.round(durationMs * 0.1)))
  return {
    ...behaviour,
    durationMs,
    pendingMs,
    outcome: behaviour.outcome ?? 'S',
    logLines: behaviour.logLines ?? 40
  }
}

/** One run of a deployment; its state is derived from the clock at every read. */
export class EpmwareTask {
  readonly counts = { getStatus: 0, getLogFile: 0 }

  constructor(
    readonly id: string,
    readonly name: string,
    readonly timeoutMin: number,
    readonly behaviour: ResolvedBehaviour,
    readonly startedAt: number,
    private readonly now: () => number
  ) {}

  get elapsedMs(): number {
    return Math.max(0, this.now() - this.startedAt)
  }

  get status(): TaskStatusCode {
    const elapsed = this.elapsedMs
    const { durationMs, pendingMs, outcome } = this.behaviour
    if (elapsed >= durationMs) return outcome
    if (elapsed < pendingMs / 2) return 'N'
    return elapsed < pendingMs ? 'P' : 'R'
  }

  get percent(): number {
    const status = this.status
    if (status === 'N' || status === 'P') return 0
    const ceiling = this.completes ? 100 : STOPPED_AT_PERCENT
    if (status !== 'R') return ceiling
    const { durationMs, pendingMs } = this.behaviour
    const share = (this.elapsedMs - pendingMs) / (durationMs - pendingMs)
    return Math.min(ceiling - 1, Math.floor(share * ceiling))
  }

  get ended(): boolean {
    return this.elapsedMs >= this.behaviour.durationMs
  }

  get canceled(): boolean {
    return this.status === 'C'
  }

  get endedAt(): number | undefined {
    return this.ended ? this.startedAt + this.behaviour.durationMs : undefined
  }

  get message(): string {
    const status = this.status
    if (status === 'N') return 'Task is queued'
    if (status === 'P') return 'Task is waiting for the Deployment Service'
    if (status === 'R') return `Deploying ${this.name} to its target applications`
    return this.behaviour.message ?? FINAL_MESSAGES[status]
  }

  /** Whether the deployment runs to 100 % (S or W). */
  private get completes(): boolean {
    return this.behaviour.outcome === 'S' || this.behaviour.outcome === 'W'
  }
}

const error = (message: string, extra: Record<string, string> = {}) => ({ status: 'E', message, ...extra })

/** timeout_min is an Integer, default 60 (Run Deployment page); the simulator only records it. */
function timeoutMinOf(value: unknown): number {
  const minutes = typeof value === 'string' ? Number(value) : value
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 ? Math.floor(minutes) : 60
}

function tokenOf(request: RecordedRequest): string | undefined {
  return /^Token\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
}

/** Get execution details: the body is not documented in any source found; ASSUMED shape, see below. */
function executionOf(task: EpmwareTask) {
  const endedAt = task.endedAt
  return {
    taskId: task.id,
    name: task.name,
    status: task.status,
    percentCompleted: String(task.percent),
    message: task.message,
    startTime: new Date(task.startedAt).toISOString(),
    endTime: endedAt === undefined ? null : new Date(endedAt).toISOString()
  }
}

export async function startEpmwareSimulator(
  options: EpmwareSimulatorOptions = {}
): Promise<EpmwareSimulator> {
  const token = options.token ?? DEFAULT_TOKEN
  const now = options.now ?? Date.now
  const deployments = new Map(Object.entries(options.deployments ?? { ASOALL: {} }))
  const tasks = new Map<string, EpmwareTask>()
  const counts: EpmwareStats = { run: 0, getStatus: 0, getLogFile: 0, getExecutionDetails: 0 }
  let nextTaskId = options.firstTaskId ?? DEFAULT_FIRST_TASK_ID

  const inProgress = (name: string) => [...tasks.values()].some(task => task.name === name && !task.ended)

  function startTask(name: string, timeoutMin: number, behaviour: DeploymentBehaviour): EpmwareTask {
    const id = String(nextTaskId++)
    const task = new EpmwareTask(id, name, timeoutMin, resolveBehaviour(behaviour), now(), now)
    tasks.set(id, task)
    return task
  }

  function run(request: RecordedRequest, response: http.ServerResponse) {
    counts.run++
    const body = parseJsonObject(request.body)
    if (!body) return sendJson(response, 400, error('Request body must be a JSON object'))
    const name = body.name
    if (typeof name !== 'string' || !name)
      return sendJson(response, 400, error("Parameter 'name' is required"))
    if (!simulator.serviceRunning) return sendJson(response, 503, error('Deployment Service is not running'))
    const behaviour = deployments.get(name)
    if (!behaviour) return sendJson(response, 404, error(`Deployment configuration '${name}' not found`))
    if (behaviour.failWith === 500) {
      return sendJson(response, 500, error(`Deployment '${name}' failed to start: target application error`))
    }
    if (inProgress(name)) return sendJson(response, 409, error(`Deployment '${name}' is already in progress`))
    const task = startTask(name, timeoutMinOf(body.timeout_min), behaviour)
    sendJson(response, 200, { status: 'S', taskId: task.id })
  }

  function findTask(taskId: string, response: http.ServerResponse): EpmwareTask | undefined {
    const task = tasks.get(taskId)
    if (!task) sendJson(response, 404, error(`Task ${taskId} not found`, { taskId: '0' }))
    return task
  }

  function getStatus(_request: RecordedRequest, response: http.ServerResponse, taskId: string) {
    counts.getStatus++
    const task = findTask(taskId, response)
    if (!task) return
    task.counts.getStatus++
    const status = task.status
    sendJson(response, 200, {
      taskId: task.id,
      status,
      percentCompleted: String(task.percent),
      message: task.message
    })
  }

  async function getLogFile(_request: RecordedRequest, response: http.ServerResponse, taskId: string) {
    counts.getLogFile++
    const task = findTask(taskId, response)
    if (!task) return
    task.counts.getLogFile++
    await streamLog(response, task)
  }

  /**
   * ASSUMED response: no page found documents this body (searched rest-api-guide.epmware.com). It follows the
   * guide's collection pattern {"status":"S","count":n,"data":[…]} (getting-started/response-formats), newest
   * first, one element with latest_only=Y (the default in the Run Deployment page's Python client). Each
   * element carries the get_status fields plus the user guide's deployment fields, Start Time and End Time
   * (https://user-guide.epmware.com/reference/).
   */
  function getExecutionDetails(request: RecordedRequest, response: http.ServerResponse) {
    counts.getExecutionDetails++
    const name = request.query.name
    if (!name) return sendJson(response, 400, error("Parameter 'name' is required"))
    if (!deployments.has(name))
      return sendJson(response, 404, error(`Deployment configuration '${name}' not found`))
    const executions = [...tasks.values()].filter(task => task.name === name).reverse()
    const latestOnly = (request.query.latest_only ?? 'Y').toUpperCase() !== 'N'
    const data = (latestOnly ? executions.slice(0, 1) : executions).map(executionOf)
    sendJson(response, 200, { status: 'S', count: data.length, data })
  }

  const route = new Router()
    .post('/service/api/deployment/run', run)
    .get('/service/api/task/get_status/:taskId', (request, response, params) =>
      getStatus(request, response, params.taskId ?? '')
    )
    .get('/service/api/task/get_log_file/:taskId', (request, response, params) =>
      getLogFile(request, response, params.taskId ?? '')
    )
    .get('/service/api/deployment/get_execution_details', getExecutionDetails)
    .handler((request, response) =>
      sendJson(response, 404, error(`No API at ${request.method} ${request.path}`))
    )

  const server = await startHttpServer(
    (request, response) => {
      if (tokenOf(request) !== token) return sendJson(response, 401, error('Invalid or missing token'))
      return route(request, response)
    },
    { port: options.port, host: options.host }
  )

  const simulator: EpmwareSimulator = {
    ...server,
    token,
    tasks,
    serviceRunning: options.serviceRunning ?? true,
    setDeployment: (name, behaviour = {}) => void deployments.set(name, behaviour),
    stats: () => ({ ...counts })
  }
  return simulator
}

const LOG_CHUNK_BYTES = 64 * 1024
const AVERAGE_STEP_LINE_BYTES = 110
const DIMENSIONS = ['Account', 'Entity', 'Period', 'Scenario', 'Version', 'Product', 'Currency']

/** `2025-11-23 15:04:05`, recomputed once a second of log time. */
function timestamps(): (ms: number) => string {
  let second = Number.NaN
  let text = ''
  return ms => {
    const current = Math.floor(ms / 1000)
    if (current !== second) {
      second = current
      text = new Date(current * 1000).toISOString().slice(0, 19).replace('T', ' ')
    }
    return text
  }
}

/** The log as the task's progress stands now: it grows with percentCompleted and ends with the outcome. */
function* logLines(task: EpmwareTask): Generator<string> {
  const status = task.status
  const percent = task.percent
  const { startedAt } = task
  const { durationMs, pendingMs, logBytes, logLine } = task.behaviour
  const stamp = timestamps()
  const line = (ms: number, level: string, text: string) => `${stamp(ms)} ${level.padEnd(5)} ${text}\n`

  yield line(
    startedAt,
    'INFO',
    `Task ${task.id} submitted: deployment ${task.name}, timeout_min ${task.timeoutMin}`
  )
  if (logLine) yield line(startedAt, 'INFO', logLine)
  if (status === 'N') return
  yield line(startedAt + pendingMs / 2, 'INFO', `Task ${task.id} picked up by the Deployment Service`)
  if (status === 'P') return
  yield line(startedAt + pendingMs, 'INFO', `Deployment ${task.name} started`)

  const plannedSteps = logBytes ? Math.ceil(logBytes / AVERAGE_STEP_LINE_BYTES) : task.behaviour.logLines
  const stepMs = (durationMs - pendingMs) / Math.max(1, plannedSteps)
  const byteTarget = logBytes ? Math.round((logBytes * percent) / 100) : Number.POSITIVE_INFINITY
  const stepTarget = logBytes ? Number.POSITIVE_INFINITY : Math.round((plannedSteps * percent) / 100)
  let bytes = 0
  for (let step = 1; step <= stepTarget && bytes < byteTarget; step++) {
    const dimension = DIMENSIONS[step % DIMENSIONS.length] ?? 'Account'
    const text = line(
      startedAt + pendingMs + step * stepMs,
      'INFO',
      `[${task.name}] Step ${String(step).padStart(7, '0')}: deployed ${(step * 37) % 500} members of dimension ${dimension}`
    )
    bytes += text.length
    yield text
  }
  if (isOutcome(status)) yield* closingLines(task, status, startedAt + durationMs, line)
}

function isOutcome(status: TaskStatusCode): status is Outcome {
  return status !== 'N' && status !== 'P' && status !== 'R'
}

const OUTCOME_LEVELS: Record<Outcome, string> = { S: 'INFO', W: 'WARN', E: 'ERROR', C: 'WARN' }

function* closingLines(
  task: EpmwareTask,
  status: Outcome,
  endedAt: number,
  line: (ms: number, level: string, text: string) => string
): Generator<string> {
  if (status === 'W') {
    yield line(
      endedAt,
      'WARN',
      `[${task.name}] Member 'M1001' skipped: parent 'TotalProducts' not found in target`
    )
    yield line(
      endedAt,
      'WARN',
      `[${task.name}] Member 'M1002' skipped: parent 'TotalProducts' not found in target`
    )
  }
  if (status === 'E')
    yield line(endedAt, 'ERROR', `[${task.name}] Connection to the target application timed out`)
  if (status === 'C') yield line(endedAt, 'WARN', `Task ${task.id} was cancelled by user`)
  yield line(endedAt, OUTCOME_LEVELS[status], `Task ${task.id} ended with status ${status}: ${task.message}`)
}

/**
 * Streams the log in chunks, honouring backpressure, so even a 200 MB log is never held in memory.
 * text/plain is ASSUMED: no page states the content type; the Run Deployment page's client reads the body
 * with `response.text` and splits it into lines.
 */
async function streamLog(response: http.ServerResponse, task: EpmwareTask): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
  let chunk = ''
  for (const text of logLines(task)) {
    chunk += text
    if (chunk.length < LOG_CHUNK_BYTES) continue
    if (!(await writeChunk(response, chunk))) return
    chunk = ''
  }
  response.end(chunk)
}
