import { ActionError } from '../../errors.js'
import { decode } from '../../http/decode.js'
import type { HttpRequest } from '../../http/client.js'
import { formatDuration } from '../../text/duration.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { runDryRunLookups } from '../dry-run.js'
import {
  BmcRpmParametersSchema,
  EventSchema,
  type BmcRpmParameters,
  type Environment,
  type RpmEvent,
  type Series
} from './schemas.js'
import { rpmError } from './errors.js'
import { parseRpmTime, type RpmTime } from './time.js'
import { findEnvironmentWindow } from './environment.js'
import { assertWellFormed, decideWindow, nextReadDelay, type WindowDecision } from './window.js'

const EVENTS = '/v1/deployment_window/events'
const EVENT_ID = /^\d+$/
const CHANGES_STATE = new Set(['suspend', 'resume', 'move'])

/** The state each managing operation sets (REST deployment window events page, editable attribute `state`). */
export const TARGET_STATE: Record<string, string> = { suspend: 'suspended', resume: 'resumed', move: 'moved' }

export class BmcRpmDriver implements Driver {
  /** The event's series and environment from the first full read: later reads ask for the event alone. */
  private series?: Series
  private environment?: Environment | null

  /** When the engine stops waiting: a window that opens later is reported at once, not waited out. */
  private readonly deadline: number

  constructor(private readonly context: DriverContext) {
    this.deadline = context.deadline ?? context.clock.now() + context.deployment.timeoutMs
  }

  private get deployment() {
    return this.context.deployment
  }

  async start(): Promise<StartResult> {
    const { operation } = this.deployment
    const found = await this.resolve()
    if (found.kind === 'none-ahead') {
      if (CHANGES_STATE.has(operation)) {
        throw new ActionError(
          `${found.about} has no deployment window event ahead to ${operation}: nothing was changed`
        )
      }
      return { kind: 'final', status: this.noneAheadStatus(found.about) }
    }
    const { event } = found
    const id = String(event.id)
    const task = { id }
    if (operation === 'check-window' || operation === 'wait-for-window') {
      const status = this.windowStatus(event)
      if (status.state === 'running' && operation === 'check-window') {
        return { kind: 'final', status: { ...status, state: 'failed', nextReadInMs: undefined }, task }
      }
      if (status.state !== 'running') return { kind: 'final', status, task }
      return { kind: 'task', task, message: `Waiting for the window: ${status.message}` }
    }
    return { kind: 'final', status: await this.changeState(id, operation), task }
  }

  /**
   * The event the step is about, read once: the event id given (digits), or the event of the environment
   * that is open now or opens next (`target` as an environment name, or `parameters.environment`).
   */
  private async resolve(): Promise<
    { kind: 'event'; event: RpmEvent } | { kind: 'none-ahead'; about: string }
  > {
    const parameters = BmcRpmParametersSchema.parse(this.deployment.parameters)
    const given = this.deployment.operation === 'await' ? this.deployment.taskId : this.deployment.target
    const environment = parameters.environment ?? (given && !EVENT_ID.test(given) ? given : undefined)
    if (environment === undefined) return { kind: 'event', event: await this.readEvent(given ?? '') }
    const found = await findEnvironmentWindow(
      { environment, series: parameters.series },
      {
        http: this.context.http,
        now: () => this.context.clock.now(),
        readEvent: id => this.fetchEvent(id, false)
      }
    )
    const about = `environment '${found.environment.name ?? environment}', series '${found.series.name ?? found.series.id}'`
    if (found.kind === 'none-ahead') return { kind: 'none-ahead', about }
    this.context.log.info(`Deployment window event ${found.event.id} is the one of ${about} open now or next`)
    this.remember(found.event)
    return { kind: 'event', event: found.event }
  }

  private noneAheadStatus(about: string): RemoteStatus {
    return {
      state: 'succeeded',
      code: 'none',
      label: 'open for deployment',
      message: `No prevent window of ${about} is in force now or ahead: deployment is allowed`
    }
  }

  /** Reads the event (the one to change, or the window to check) and says what the window is now; changes nothing. */
  dryRun(): Promise<DryRunCheck[]> {
    return runDryRunLookups([
      {
        check: 'event found',
        run: async () => {
          const found = await this.resolve()
          if (found.kind === 'none-ahead') return this.noneAheadStatus(found.about).message ?? ''
          return `deployment window event ${found.event.id}: ${this.windowStatus(found.event).message}`
        }
      }
    ])
  }

  /** `operation: await` watches the window again, as wait-for-window does. */
  resume(taskId: string): TaskRef {
    return { id: taskId }
  }

  async status(task: TaskRef): Promise<RemoteStatus> {
    return this.windowStatus(await this.readEvent(task.id))
  }

  /**
   * Reads the event. Once its series is known, only the event itself is asked for (`filters[alone]=true`,
   * RPM 5.0.03.004 and later): the series and environment do not change while we wait. Older versions
   * ignore the filter and send everything, which reads the same.
   */
  private async readEvent(id: string): Promise<RpmEvent> {
    const event = await this.fetchEvent(id, this.series !== undefined)
    this.remember(event)
    return event
  }

  private remember(event: RpmEvent): void {
    if (event.series) this.series = event.series
    if (event.environment !== undefined) this.environment = event.environment
  }

  private fetchEvent(id: string, alone: boolean): Promise<RpmEvent> {
    const request: HttpRequest = {
      method: 'GET',
      path: `${EVENTS}/${encodeURIComponent(id)}`,
      query: alone ? { 'filters[alone]': 'true' } : undefined
    }
    return this.sendForEvent(request, id)
  }

  /** GET or PUT of one event. Any 2xx is an answer: RPM's source renders updates 200, BMC's notes say 202. */
  private async sendForEvent(request: HttpRequest, id: string): Promise<RpmEvent> {
    const { http } = this.context
    const describe = http.describe(request)
    const response = await http.send(request)
    if (response.status < 200 || response.status >= 300) throw rpmError(response, describe, id)
    const event = decode(EventSchema, response.body, `RPM ${describe}`)
    assertWellFormed(String(event.id), event.start_at, event.finish_at)
    return event
  }

  private windowStatus(event: RpmEvent): RemoteStatus {
    const series = event.series ?? this.series
    if (!series) {
      throw new ActionError(
        `RPM's answer for deployment window event ${event.id} has no series, so whether it allows or prevents deployment is unknown`,
        {
          hint: 'A proxy or an RPM customization may strip associations; the event must come with its series.'
        }
      )
    }
    const now = this.context.clock.now()
    const decision = decideWindow(
      {
        id: String(event.id),
        state: event.state,
        reason: event.reason,
        start: event.start_at,
        finish: event.finish_at,
        behavior: series.behavior,
        about: this.about(series)
      },
      now
    )
    const details = { ...event, series, environment: event.environment ?? this.environment }
    const { verdict } = decision
    const waits = ['wait-for-window', 'await'].includes(this.deployment.operation)
    if (
      waits &&
      !verdict.open &&
      !('passed' in verdict) &&
      verdict.opensAt &&
      verdict.opensAt.ms >= this.deadline
    ) {
      return {
        state: 'timed-out',
        code: event.state,
        label: labelOf(decision),
        message: `${decision.message}. That is after this step's deadline (${new Date(this.deadline).toISOString()}, timeout ${formatDuration(this.deployment.timeoutMs)}): not waiting for it`,
        details: plainDetails(details)
      }
    }
    return {
      state: verdict.open ? 'succeeded' : 'passed' in verdict ? 'failed' : 'running',
      code: event.state,
      label: labelOf(decision),
      message: decision.message,
      details: plainDetails(details),
      nextReadInMs: verdict.open
        ? undefined
        : nextReadDelay(verdict, now, this.deployment.pollIntervalMs, this.deployment.maxPollIntervalMs)
    }
  }

  private about(series: Series): string {
    const environment = this.environment?.name
    const seriesName = series.name ? `series '${series.name}'` : 'series'
    return `${seriesName}, ${series.behavior}${environment ? `, environment '${environment}'` : ''}`
  }

  /** suspend, resume, move: one PUT that sets the new state, with the reason RPM requires. */
  private async changeState(id: string, operation: string): Promise<RemoteStatus> {
    const state = TARGET_STATE[operation]
    if (!state) throw new ActionError(`bmc-rpm has no operation ${operation}`)
    const parameters = BmcRpmParametersSchema.parse(this.deployment.parameters)
    if (operation === 'move') await this.checkMove(id, parameters)
    const request: HttpRequest = {
      method: 'PUT',
      path: `${EVENTS}/${encodeURIComponent(id)}`,
      json: {
        deployment_window_event: {
          state,
          reason: parameters.reason,
          ...(operation === 'move' ? { start_at: parameters.start_at, finish_at: parameters.finish_at } : {})
        }
      },
      // The PUT sets an absolute state, not a change: sent twice it leaves the event as sent once. The
      // only trace of a repeat is RPM notifying the requests of a suspended event again.
      idempotent: true
    }
    const event = await this.sendForEvent(request, id)
    const changed = event.state === state
    const times = operation === 'move' ? ` to ${event.start_at.text} until ${event.finish_at.text}` : ''
    const reason = event.reason ?? parameters.reason
    const status: RemoteStatus = {
      state: 'succeeded',
      code: event.state,
      label: state,
      message: `Deployment window event ${event.id} ${state}${times}${reason ? ` (reason: ${reason})` : ''}`,
      details: plainDetails(event)
    }
    if (!changed) {
      status.warning = `RPM accepted the update of deployment window event ${event.id} but reports state '${event.state}', not '${state}'`
    }
    return status
  }

  /**
   * The move rules that depend on the event and on the time, checked before anything is sent (REST
   * deployment window events page, "To move the deployment window event"; RPM model
   * `DeploymentWindow::Event`: check_suspend, check_start_in_past, check_finish_in_past,
   * not_change_start_if_in_progress). Occurrence and series bounds are left to RPM's own 422.
   */
  private async checkMove(id: string, parameters: BmcRpmParameters): Promise<void> {
    const start = parseRpmTime(parameters.start_at ?? '') as RpmTime
    const finish = parseRpmTime(parameters.finish_at ?? '') as RpmTime
    const event = await this.readEvent(id)
    const now = this.context.clock.now()
    const problems: string[] = []
    if (event.state === 'suspended') {
      problems.push(
        'it is suspended, and RPM does not move a suspended event: resume it first (operation: resume)'
      )
    }
    const startChanges = start.ms !== event.start_at.ms
    if (startChanges && event.start_at.ms <= now && now < event.finish_at.ms) {
      problems.push(
        `its window is in progress (since ${event.start_at.text}), so its start cannot change; keep start_at: ${event.start_at.text}`
      )
    } else if (startChanges && start.ms <= now) {
      problems.push(`start_at ${start.text} is not after the current time`)
    }
    if (finish.ms !== event.finish_at.ms && finish.ms <= now) {
      problems.push(`finish_at ${finish.text} is not after the current time`)
    }
    if (problems.length === 0) return
    throw new ActionError(
      `Deployment window event ${id} cannot be moved: ${problems.join('; ')}. Nothing was changed.`,
      {
        hint: 'RPM moves an event only to a time after now, inside its occurrence, with start before finish.'
      }
    )
  }
}

function labelOf(decision: WindowDecision): string {
  const { verdict } = decision
  if (verdict.open) return 'open for deployment'
  if ('passed' in verdict) return 'passed'
  if (verdict.suspended) return 'suspended'
  if (verdict.unknownState) return `unknown state '${verdict.unknownState}'`
  return 'closed for deployment'
}

/** The event as JSON would carry it: times back to RPM's text. */
function plainDetails(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, inner: unknown) =>
      inner && typeof inner === 'object' && 'text' in inner && 'ms' in inner ? (inner as RpmTime).text : inner
    )
  )
}
