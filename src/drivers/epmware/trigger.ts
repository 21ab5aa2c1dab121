import { ActionError, toActionError } from '../../errors.js'
import { UnreadableBodyError } from '../../http/body.js'
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/client.js'
import { decode, errorMessageOf, refusedError } from '../../http/decode.js'
import { neverReachedServer } from '../../http/retry.js'
import type { Clock } from '../../engine/clock.js'
import { readExecutions, type ExecutionsModule } from './executions.js'
import { bodyRefusalError, isBusy, refusalInBody, refusalStyle, type Subject } from './refusal.js'
import { RunResponseSchema, startedAtOf, statusCodeOf, taskIdOf, type Execution } from './schemas.js'
import { mapTaskStatus } from './status.js'

/** How far the server's clock may be behind ours when "started after the trigger" is judged (ASSUMED). */
const CLOCK_SKEW_MS = 5_000
/** Look-ups made for a trigger whose answer was lost: the server may record the execution a moment late. */
const LOOKUP_ATTEMPTS = 3

export interface TriggerContext {
  http: HttpClient
  clock: Clock
  ifBusy: 'fail' | 'await'
  pollIntervalMs: number
}

export interface Trigger {
  request: HttpRequest
  subject: Subject
  /** Where its executions can be looked up; undefined where EPMware has no such call (ERP imports). */
  lookup?: ExecutionsModule
  /** Where a user looks when the action cannot find the task itself (defaults from `lookup`). */
  where: string
}

export interface Triggered {
  taskId: string
  message: string
}

/**
 * Sends a trigger once — bounded by the step's deadline, not the per-request timeout, since EPMware may hold
 * it open for `timeout_min` ("minutes to wait for the execution to complete", REST API Guide v1.3) — and makes
 * sense of what came back: a task, a refusal (HTTP error or HTTP 200 `status: "E"`), "already running"
 * (followed or named, per if-busy), or no answer at all (looked up, never sent again).
 */
export async function sendTrigger(
  context: TriggerContext,
  trigger: Trigger,
  signal: AbortSignal
): Promise<Triggered> {
  const { http, clock } = context
  const request: HttpRequest = { ...trigger.request, timeoutMs: Number.POSITIVE_INFINITY, idempotent: false }
  const describe = http.describe(request)
  const triggeredAt = clock.now()
  let response: HttpResponse
  try {
    response = await http.send(request)
  } catch (error) {
    if (signal.aborted || !mayHaveReachedServer(error)) throw error
    return recoverLostAnswer(context, trigger, describe, toActionError(error), triggeredAt, signal)
  }
  const { subject } = trigger
  if (response.status < 200 || response.status >= 300) {
    const message = errorMessageOf(response.body, response.text.trim() || `HTTP ${response.status}`)
    if (isBusy(response.status, message)) {
      return whenBusy(context, trigger, refusedError(response, describe, refusalStyle(subject)), signal)
    }
    throw refusedError(response, describe, refusalStyle(subject))
  }
  const refused = refusalInBody(response.body)
  if (refused !== undefined) {
    const error = bodyRefusalError(describe, refused, subject)
    if (isBusy(response.status, refused)) return whenBusy(context, trigger, error, signal)
    throw error
  }
  const body = decode(
    RunResponseSchema,
    response.body,
    `EPMware ${request.path.replace('/service/api/', '')}`
  )
  if (body.status.trim().toUpperCase() !== 'S' || !body.taskId || body.taskId === '0') {
    throw new ActionError(
      `EPMware did not start ${subject.noun} ${subject.name}: ${body.message ?? `status ${body.status}`}`
    )
  }
  return {
    taskId: body.taskId,
    message: `EPMware accepted ${subject.noun} ${subject.name} as task ${body.taskId}`
  }
}

/**
 * Whether the request may have reached the server although no usable answer came back: a reset, a timeout,
 * a body cut short or garbled. Not when it provably never left (connection refused, unknown host, a TLS
 * handshake refused) or was never sent (the deadline had passed).
 */
function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof UnreadableBodyError) return true
  // A refused certificate or proxy, a bad URL: not transient, and nothing reached the server's application.
  if (!(error instanceof ActionError) || error.cause === undefined || !error.transient) return false
  return !neverReachedServer(error.cause)
}

function startedAfter(execution: Execution, triggeredAt: number): boolean {
  const at = startedAtOf(execution)
  if (at !== undefined) return at >= triggeredAt - CLOCK_SKEW_MS
  // No start time to judge by: a task still running right after the trigger is taken to be ours.
  return mapTaskStatus(statusCodeOf(execution) ?? '', null, null, null).state === 'running'
}

async function recoverLostAnswer(
  context: TriggerContext,
  trigger: Trigger,
  describe: string,
  lost: ActionError,
  triggeredAt: number,
  signal: AbortSignal
): Promise<Triggered> {
  const { subject } = trigger
  const said = `${lost.message}; ${subject.noun} ${subject.name} may be running`
  const never = 'the action never sends a trigger twice'
  if (!trigger.lookup) {
    throw new ActionError(said, {
      hint: `EPMware has no call to look the task up; check ${trigger.where} before running the step again (${never}).`,
      cause: lost
    })
  }
  let problem = ''
  for (let attempt = 1; attempt <= LOOKUP_ATTEMPTS; attempt++) {
    try {
      const { executions } = await readExecutions(context.http, trigger.lookup, subject)
      const latest = executions[0]
      const taskId = latest ? taskIdOf(latest) : undefined
      if (latest && taskId && startedAfter(latest, triggeredAt)) {
        return {
          taskId,
          message: `The answer to ${describe} was lost (${lost.message}); EPMware lists task ${taskId} of ${subject.noun} ${subject.name} as started after the trigger: following it`
        }
      }
      problem = ''
    } catch (error) {
      if (signal.aborted) throw error
      const failure = toActionError(error)
      problem = ` (the look-up failed: ${failure.message})`
      if (!failure.transient) break
    }
    if (attempt < LOOKUP_ATTEMPTS) await context.clock.sleep(context.pollIntervalMs, signal)
  }
  throw new ActionError(said, {
    hint: `No execution started after the trigger was found${problem}; check ${trigger.where} before running the step again (${never}).`,
    cause: lost
  })
}

/** EPMware says the same job is already running: name the running task, or follow it (if-busy: await). */
async function whenBusy(
  context: TriggerContext,
  trigger: Trigger,
  refusal: ActionError,
  signal: AbortSignal
): Promise<Triggered> {
  const { subject } = trigger
  let running: string | undefined
  let problem = ''
  if (trigger.lookup) {
    try {
      const { executions } = await readExecutions(context.http, trigger.lookup, subject)
      const latest = executions[0]
      const state = latest ? mapTaskStatus(statusCodeOf(latest) ?? '', null, null, null).state : undefined
      running = latest && state === 'running' ? taskIdOf(latest) : undefined
      if (!running) problem = 'its latest execution is not a running task'
    } catch (error) {
      if (signal.aborted) throw error
      problem = `the look-up failed: ${toActionError(error).message}`
    }
  } else {
    problem = 'EPMware has no call to look it up'
  }
  if (running && context.ifBusy === 'await') {
    return {
      taskId: running,
      message: `${subject.noun} ${subject.name} is already running as task ${running}; following it instead of starting another (if-busy: await)`
    }
  }
  const named = running
    ? `; the running task is ${running}`
    : `; the running task could not be named (${problem})`
  const hint = running
    ? `Wait for task ${running}, follow it with operation: await and task-id: ${running}, or set if-busy: await.`
    : `Check ${trigger.where}; wait for the running task before running the step again.`
  if (context.ifBusy === 'await') {
    throw new ActionError(`${refusal.message}; if-busy: await cannot follow it: ${problem}`, {
      hint,
      httpStatus: refusal.httpStatus
    })
  }
  throw new ActionError(`${refusal.message}${named}`, { hint, httpStatus: refusal.httpStatus })
}
