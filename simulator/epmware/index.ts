/**
 * EPMware REST API simulator. Sources:
 * - Run Deployment page (shared/vendor-docs/000_…): POST /service/api/deployment/run {name, timeout_min}
 *   → {"status":"S","taskId":"244596"}; errors 401, 404, 409, 503, 500 with {"status":"E","message":…}.
 * - https://rest-api-guide.epmware.com/reference/endpoints-summary: GET /service/api/task/get_status/{id}
 *   → {"taskId","status","percentCompleted","message"} (all strings; 404 task not found, 401);
 *   GET /service/api/task/get_log_file/{id} (text); GET /service/api/deployment/get_execution_details.
 * - Task module overview (VENDOR-NOTES.md): codes N queued, P pending, R running, S, W warnings, E, C.
 * - Auth `Authorization: Token <uuid>` (getting-started/authentication). No cancel endpoint is documented.
 * The get_execution_details body is not documented in the sources we have: ASSUMED here as a JSON array of
 * executions {name, taskId, status, percentCompleted, message, startTime, endTime}, newest first.
 */
import type http from 'node:http'
import { Router, sendJson, startHttpServer, type RecordedRequest, type RunningServer } from '../server.js'

export type Outcome = 'S' | 'W' | 'E' | 'C'

export interface DeploymentBehaviour {
  durationMs?: number
  outcome?: Outcome
  message?: string
  logLines?: number
  /** Generate a log of about this many bytes, streamed without being built in memory. */
  logBytes?: number
  /** The run call itself answers 500 (target application error). */
  failWith?: 500
  /** Time spent queued and pending before running; default 10 % of the duration. */
  pendingMs?: number
  /** A line the log carries (tests put a credential there to prove the action scrubs it). */
  logLine?: string
}

export interface EpmwareSimulatorOptions {
  token?: string
  deployments?: Record<string, DeploymentBehaviour>
  serviceRunning?: boolean
  now?: () => number
  firstTaskId?: number
  port?: number
}

export interface SimulatedTask {
  id: string
  name: string
  startedAt: number
  behaviour: Required<Pick<DeploymentBehaviour, 'durationMs' | 'outcome' | 'logLines'>> & DeploymentBehaviour
}

export interface EpmwareSimulator extends RunningServer {
  token: string
  tasks: Map<string, SimulatedTask>
  serviceRunning: boolean
  setDeployment(name: string, behaviour: DeploymentBehaviour): void
  /** The status code and percent a task shows now. */
  taskState(id: string): { status: string; percent: number }
  stats(): { run: number; status: number; log: number; details: number }
}

export const DEFAULT_TOKEN = '15388ad5-c9af-4cf3-af47-8021c1ab3fb7'

const FINAL_MESSAGES: Record<Outcome, string> = {
  S: 'Deployment completed successfully',
  W: 'Deployment completed with warnings: 2 members skipped',
  E: 'Deployment failed: target application is not reachable',
  C: 'Deployment cancelled by administrator'
}

const error = (message: string, extra: Record<string, string> = {}) => ({ status: 'E', message, ...extra })

export async function startEpmwareSimulator(
  options: EpmwareSimulatorOptions = {}
): Promise<EpmwareSimulator> {
  const token = options.token ?? DEFAULT_TOKEN
  const now = options.now ?? Date.now
  const deployments = new Map(Object.entries(options.deployments ?? { ASOALL: {} }))
  const tasks = new Map<string, SimulatedTask>()
  let nextTaskId = options.firstTaskId ?? 244596
  const counts = { run: 0, status: 0, log: 0, details: 0 }

  function stateOf(task: SimulatedTask): { status: string; percent: number } {
    const elapsed = now() - task.startedAt
    const { durationMs, outcome } = task.behaviour
    const pendingMs = task.behaviour.pendingMs ?? Math.round(durationMs * 0.1)
    if (elapsed >= durationMs)
      return {
        status: outcome,
        percent:
          outcome === 'S' || outcome === 'W' ? 100 : Math.min(99, Math.round((elapsed / durationMs) * 100))
      }
    if (elapsed < pendingMs / 2) return { status: 'N', percent: 0 }
    if (elapsed < pendingMs) return { status: 'P', percent: 0 }
    return {
      status: 'R',
      percent: Math.min(99, Math.round(((elapsed - pendingMs) / (durationMs - pendingMs)) * 100))
    }
  }

  function messageOf(task: SimulatedTask, status: string): string {
    if (status in FINAL_MESSAGES) return task.behaviour.message ?? FINAL_MESSAGES[status as Outcome]
    return (
      {
        N: 'Task queued',
        P: 'Task pending: waiting for the Deployment Service',
        R: `Deploying ${task.name}`
      }[status] ?? ''
    )
  }

  function authorized(request: RecordedRequest): boolean {
    return request.headers.authorization === `Token ${token}`
  }

  const router = new Router()
    .on('POST', '/service/api/deployment/run', (request, response) => {
      counts.run++
      let body: { name?: unknown; timeout_min?: unknown }
      try {
        body = JSON.parse(request.body || '{}') as typeof body
      } catch {
        return sendJson(response, 400, error('Request body is not valid JSON'))
      }
      if (typeof body.name !== 'string' || !body.name)
        return sendJson(response, 400, error('Parameter name is required'))
      if (!simulator.serviceRunning)
        return sendJson(response, 503, error('Deployment Service is not running'))
      const behaviour = deployments.get(body.name)
      if (!behaviour)
        return sendJson(response, 404, error(`Deployment configuration '${body.name}' not found`))
      if (behaviour.failWith === 500) {
        return sendJson(
          response,
          500,
          error(`Deployment '${body.name}' failed to start: target application error`)
        )
      }
      const running = [...tasks.values()].find(
        task => task.name === body.name && stateOf(task).status.match(/^[NPR]$/)
      )
      if (running) return sendJson(response, 409, error(`Deployment '${body.name}' is already in progress`))
      const id = String(nextTaskId++)
      tasks.set(id, {
        id,
        name: body.name,
        startedAt: now(),
        behaviour: { durationMs: 1500, outcome: 'S', logLines: 40, ...behaviour }
      })
      sendJson(response, 200, { status: 'S', taskId: id })
    })
    .on('GET', '/service/api/task/get_status/:taskId', (_request, response, { taskId = '' }) => {
      counts.status++
      const task = tasks.get(taskId)
      if (!task) return sendJson(response, 404, error(`Task ${taskId} not found`, { taskId: '0' }))
      const { status, percent } = stateOf(task)
      sendJson(response, 200, {
        taskId,
        status,
        percentCompleted: String(percent),
        message: messageOf(task, status)
      })
    })
    .on('GET', '/service/api/task/get_log_file/:taskId', (_request, response, { taskId = '' }) => {
      counts.log++
      const task = tasks.get(taskId)
      if (!task) return sendJson(response, 404, error(`Task ${taskId} not found`, { taskId: '0' }))
      return streamLog(response, task, stateOf(task), messageOf(task, stateOf(task).status))
    })
    .on('GET', '/service/api/deployment/get_execution_details', (request, response) => {
      counts.details++
      const name = request.query.name ?? ''
      if (!deployments.has(name))
        return sendJson(response, 404, error(`Deployment configuration '${name}' not found`))
      const executions = [...tasks.values()]
        .filter(task => task.name === name)
        .reverse()
        .map(task => {
          const { status, percent } = stateOf(task)
          const ended = !/^[NPR]$/.test(status)
          return {
            name,
            taskId: task.id,
            status,
            percentCompleted: String(percent),
            message: messageOf(task, status),
            startTime: new Date(task.startedAt).toISOString(),
            endTime: ended ? new Date(task.startedAt + task.behaviour.durationMs).toISOString() : null
          }
        })
      sendJson(response, 200, request.query.latest_only === 'N' ? executions : executions.slice(0, 1))
    })

  const route = router.handler((_request, response) => sendJson(response, 404, error('Resource not found')))
  const server = await startHttpServer(
    (request, response) => {
      if (!authorized(request)) return sendJson(response, 401, error('Invalid or missing token'))
      return route(request, response)
    },
    { port: options.port }
  )
  const simulator: EpmwareSimulator = {
    ...server,
    token,
    tasks,
    serviceRunning: options.serviceRunning ?? true,
    setDeployment: (name, behaviour) => void deployments.set(name, behaviour),
    taskState: id => {
      const task = tasks.get(id)
      if (!task) throw new Error(`no task ${id}`)
      return stateOf(task)
    },
    stats: () => ({ ...counts })
  }
  return simulator
}

function timestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
}

/** Writes the task's log, growing with its progress; with logBytes, generated chunk by chunk. */
async function streamLog(
  response: http.ServerResponse,
  task: SimulatedTask,
  state: { status: string; percent: number },
  finalMessage: string
): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
  const ended = !/^[NPR]$/.test(state.status)
  const lines = task.behaviour.logBytes
    ? Math.ceil(task.behaviour.logBytes / 100)
    : Math.max(1, Math.round((task.behaviour.logLines * (ended ? 100 : state.percent)) / 100))
  const write = (text: string) =>
    response.write(text)
      ? Promise.resolve()
      : new Promise<void>(resolve => response.once('drain', () => resolve()))
  await write(`${timestamp(task.startedAt)} INFO  Task ${task.id}: deployment ${task.name} started\n`)
  if (task.behaviour.logLine) await write(`${timestamp(task.startedAt)} DEBUG ${task.behaviour.logLine}\n`)
  let batch = ''
  for (let line = 1; line <= lines; line++) {
    batch += `${timestamp(task.startedAt + line)} INFO  [${task.name}] step ${String(line).padStart(7, '0')}: pushed metadata members to target application\n`
    if (batch.length >= 64 * 1024) {
      await write(batch)
      batch = ''
    }
    if (response.destroyed) return
  }
  if (ended) {
    const level = state.status === 'E' ? 'ERROR' : state.status === 'W' ? 'WARN ' : 'INFO '
    batch += `${timestamp(task.startedAt + task.behaviour.durationMs)} ${level} Task ${task.id} ended with status ${state.status}: ${finalMessage}\n`
  }
  response.end(batch)
}
