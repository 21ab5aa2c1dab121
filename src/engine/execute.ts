import type { Readable } from 'node:stream'
import { definitionOf } from '../drivers/index.js'
import type {
  Driver,
  DriverDefinition,
  FileSink,
  FinalStatus,
  RemoteStatus,
  TaskRef
} from '../drivers/driver.js'
import { toActionError } from '../errors.js'
import { HttpClient, type HttpClientOptions } from '../http/client.js'
import { formatDuration } from '../text/duration.js'
import type { Deployment, Settings } from '../inputs/schema.js'
import { ProgressNarrator } from '../report/progress.js'
import type { Redactor } from '../secrets.js'
import { authFor } from './auth.js'
import { requestRemoteCancel } from './cancel.js'
import type { Clock } from './clock.js'
import { dryRunDeployment } from './dry-run.js'
import { pollUntilDone, type PollResult } from './poll.js'
import type { DeploymentResult, SavedLog } from './result.js'
import { SIGNAL_WIND_DOWN_MS, TIMEOUT_WIND_DOWN_MS, windDownDeadlines } from './wind-down.js'

/** What the engine needs from the outside world: time, cancellation, secrets, and where to say things. */
export interface EngineEnvironment {
  clock: Clock
  /** Aborted when the workflow run is cancelled (SIGINT/SIGTERM). */
  signal: AbortSignal
  redactor: Redactor
  settings: Settings
  log: EngineLog
  /** Called the moment the platform accepts the trigger, before any polling. */
  onAccepted(deployment: Deployment, task: TaskRef): void
  /** Test and bench knobs for the HTTP client (request timeout, retry pacing). */
  http?: Partial<Pick<HttpClientOptions, 'requestTimeoutMs' | 'retry'>>
  /** Where a remote log goes: report/ writes the file; the engine only hands it the stream and a bound. */
  saveLog: LogSink
  /** Where other files a job produces go (an EPMware export), written by report/ too. */
  saveFile?: FileSink
  /** Wind-down budgets, shorter in tests. */
  windDown?: { afterSignalMs?: number; afterTimeoutMs?: number }
}

/** Writes a remote log (`fileName` under the run's folder), stopping when `signal` aborts and keeping what came. */
export type LogSink = (stream: Readable, fileName: string, signal: AbortSignal) => Promise<SavedLog>

export interface EngineLog {
  info(message: string): void
  warning(message: string): void
}

const OUTCOME_OF_STATE: Record<Exclude<RemoteStatus['state'], 'running'>, FinalStatus> = {
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  skipped: 'skipped',
  'timed-out': 'timed-out'
}

/** Runs one deployment from trigger to outcome. Never throws: every end becomes a result. */
export async function executeDeployment(
  deployment: Deployment,
  env: EngineEnvironment
): Promise<DeploymentResult> {
  const definition = definitionOf(deployment.platform)
  const startedAt = env.clock.now()
  const result: DeploymentResult = {
    name: deployment.name,
    platform: deployment.platform,
    operation: deployment.operation,
    target: deployment.target,
    status: 'failed',
    message: '',
    durationSeconds: 0,
    logTail: [],
    warnings: [],
    followUps: []
  }
  const finish = () => {
    result.durationSeconds = Math.round((env.clock.now() - startedAt) / 1000)
    result.message = env.redactor.scrub(result.message)
    result.details = env.redactor.scrubValue(result.details)
    return result
  }
  const deadline = startedAt + deployment.timeoutMs
  const http = new HttpClient({
    baseUrl: deployment.baseUrl,
    auth: authFor(definition, deployment),
    redactor: env.redactor,
    clock: env.clock,
    signal: env.signal,
    deadline,
    tls: deployment.tls,
    onRetry: message => env.log.info(message),
    ...env.http
  })
  const driver = await definition.create({
    deployment,
    http,
    log: env.log,
    clock: env.clock,
    deadline,
    files: env.saveFile
  })
  if (env.signal.aborted) {
    result.status = 'canceled'
    result.message = 'The workflow run was cancelled before anything was sent to the server'
    return finish()
  }
  if (deployment.dryRun) {
    await dryRunDeployment(driver, env.signal, result)
    return finish()
  }
  const run = new DeploymentRun(deployment, definition, driver, http, env, result, startedAt, deadline)
  try {
    await run.execute()
  } catch (error) {
    const failure = toActionError(error)
    if (env.signal.aborted) {
      result.status = 'canceled'
      result.message ||= http.sentUnrepeatable
        ? 'The workflow run was cancelled while the trigger was being sent: the server may have received it and started the job; check the platform before running the step again'
        : 'The workflow run was cancelled before the trigger was sent: nothing was started'
    } else {
      result.status = 'failed'
      result.message = failure.message
      result.hint = failure.hint
    }
  }
  return finish()
}

class DeploymentRun {
  constructor(
    private readonly deployment: Deployment,
    private readonly definition: DriverDefinition,
    private readonly driver: Driver,
    private readonly http: HttpClient,
    private readonly env: EngineEnvironment,
    private readonly result: DeploymentResult,
    private readonly startedAt: number,
    private readonly deadline: number
  ) {}

  async execute(): Promise<void> {
    const { deployment, driver, env } = this
    let task: TaskRef
    if (deployment.operation === 'await') {
      task = driver.resume(deployment.taskId ?? '')
      env.log.info(`Watching task ${task.id} started earlier`)
    } else {
      const started = await driver.start(env.signal)
      if (started.kind === 'final') {
        if (started.task) this.accept(started.task)
        this.applyStatus(started.status)
        this.result.status = this.finalOutcome(started.status)
        if (started.task && started.status.state !== 'running') await this.fetchLogAfterEnd(started.task)
        return
      }
      task = started.task
      if (started.message) env.log.info(started.message)
    }
    this.accept(task)
    if (!deployment.wait && deployment.operation !== 'await') {
      this.result.status = 'started'
      this.result.message = `Task ${task.id} accepted; not waiting for it (wait: false)`
      return
    }
    const narrator = new ProgressNarrator(
      line => env.log.info(line),
      () => env.clock.now(),
      this.startedAt
    )
    const polled = await pollUntilDone({
      clock: env.clock,
      signal: env.signal,
      deadline: this.deadline,
      startedAt: this.startedAt,
      minIntervalMs: deployment.pollIntervalMs,
      maxIntervalMs: deployment.maxPollIntervalMs,
      read: signal => driver.status(task, signal),
      onStatus: status => {
        this.applyStatus(status)
        narrator.observe(status)
      },
      onTransientError: error => env.log.warning(`Status read failed, will try again: ${error.message}`)
    })
    if (polled.kind === 'ended') return this.concludeEnded(task, polled.status)
    await this.windDown(task, polled)
  }

  private accept(task: TaskRef): void {
    this.result.taskId = task.id
    this.result.url = task.url ?? this.result.url
    this.env.onAccepted(this.deployment, task)
  }

  private applyStatus(status: RemoteStatus): void {
    const { result } = this
    result.remoteCode = status.code
    result.remoteLabel = status.label
    result.percent = status.percent ?? result.percent
    result.message = status.message ?? result.message
    result.details = status.details ?? result.details
    result.url = status.url ?? result.url
    result.exportFile = status.exportFile ?? result.exportFile
    if (status.warning && !result.warnings.includes(status.warning)) result.warnings.push(status.warning)
  }

  private finalOutcome(status: RemoteStatus): FinalStatus {
    if (status.state === 'running') return 'started'
    if (status.state === 'skipped' && this.deployment.failOnNoop) {
      this.result.message = `${status.message ?? 'The platform did nothing'} (a failure because fail-on-noop is true)`
      return 'failed'
    }
    return OUTCOME_OF_STATE[status.state]
  }

  private async concludeEnded(task: TaskRef, status: RemoteStatus): Promise<void> {
    const { result } = this
    result.status = this.finalOutcome(status)
    result.message ||= `Task ${task.id} ended: ${status.label ?? status.code}`
    await this.fetchLogAfterEnd(task)
    if (result.status === 'failed') await this.runFollowUp()
  }

  /**
   * The deadline passed or the run was cancelled: a last read (a job that ended counts as ended), the cancel
   * where the platform has one, the log — each inside the wind-down's own budget — then the report.
   */
  private async windDown(task: TaskRef, polled: Exclude<PollResult, { kind: 'ended' }>): Promise<void> {
    const { result, deployment, env, http } = this
    const aborted = polled.kind === 'aborted'
    const budget = aborted
      ? (env.windDown?.afterSignalMs ?? SIGNAL_WIND_DOWN_MS)
      : (env.windDown?.afterTimeoutMs ?? TIMEOUT_WIND_DOWN_MS)
    const until = windDownDeadlines(env.clock.now(), budget)

    const signalUntil = (at: number) => AbortSignal.timeout(Math.max(1, at - env.clock.now()))
    http.enterPhase(until['last read'])
    let last = polled.last
    try {
      last = await this.driver.status(task, signalUntil(until['last read']))
      this.applyStatus(last)
    } catch (error) {
      env.log.info(`The last status read of task ${task.id} failed: ${toActionError(error).message}`)
    }
    if (last && last.state !== 'running') {
      env.log.info(
        `Task ${task.id} had ended by the ${aborted ? 'cancellation' : 'deadline'}: ${last.label ?? last.code}`
      )
      result.status = this.finalOutcome(last)
      result.message ||= `Task ${task.id} ended: ${last.label ?? last.code}`
      http.enterPhase(until.log)
      await this.fetchLog(task, signalUntil(until.log))
      return
    }

    http.enterPhase(until.cancel)
    const cancel = await requestRemoteCancel(
      this.driver,
      task,
      signalUntil(until.cancel),
      this.definition,
      aborted
        ? { enabled: deployment.cancelOnAbort, input: 'cancel-on-abort' }
        : { enabled: deployment.cancelOnTimeout, input: 'cancel-on-timeout' }
    )
    if (cancel.stillRunning) env.log.warning(cancel.stillRunning)
    else env.log.info(cancel.said)
    const lastSeen = last ? ` (last status: ${last.label ?? last.code})` : ''
    if (aborted) {
      result.status = 'canceled'
      result.message = `The workflow run was cancelled while task ${task.id} ran${lastSeen}. ${cancel.said}`
    } else {
      // A failure the driver already knew (RemoteStatus.failure, e.g. one FlexDeploy request of several was
      // rejected while another still ran) is not hidden by the timeout.
      const failure = last?.state === 'running' ? last.failure : undefined
      const waited = formatDuration(deployment.timeoutMs)
      result.status = failure ? 'failed' : 'timed-out'
      result.message = failure
        ? `${failure} within the timeout of ${waited}. ${cancel.said}`
        : `Task ${task.id} did not finish within the timeout of ${waited}${lastSeen}. ${cancel.said}`
    }

    http.enterPhase(until.log)
    await this.fetchLog(task, signalUntil(until.log))
  }

  /** After a normal end the log may take the rest of the timeout and the wind-down's few seconds past it. */
  private async fetchLogAfterEnd(task: TaskRef): Promise<void> {
    const { env } = this
    const until =
      Math.max(this.deadline, env.clock.now()) + (env.windDown?.afterTimeoutMs ?? TIMEOUT_WIND_DOWN_MS)
    this.http.enterPhase(until, { followRunSignal: true })
    const bound = AbortSignal.any([env.signal, AbortSignal.timeout(Math.max(1, until - env.clock.now()))])
    await this.fetchLog(task, bound)
  }

  /** Saves the remote log; a log that cannot be read is a warning, never the step's outcome. */
  private async fetchLog(task: TaskRef, signal: AbortSignal): Promise<void> {
    if (!this.driver.log) return
    const { env, result } = this
    try {
      const stream = await this.driver.log(task, signal)
      if (!stream) return
      const saved = await env.saveLog(stream, `${result.name}-${task.id}.log`, signal)
      result.logFile = saved.file
      result.logTail = saved.tail
      if (saved.cut) env.log.warning(`The remote log of task ${task.id} is incomplete: ${saved.cut}`)
    } catch (error) {
      env.log.warning(`Could not read the remote log of task ${task.id}: ${toActionError(error).message}`)
    }
  }

  private async runFollowUp(): Promise<void> {
    const followUp = this.driver.followUpOnFailure?.()
    if (!followUp) return
    this.env.log.info(`Running ${followUp.name} because ${this.deployment.name} failed`)
    const remaining = this.deadline - this.env.clock.now()
    if (remaining <= 0) {
      this.result.message += `; ${followUp.name} was not started: the timeout ran out`
      return
    }
    const followed = await executeDeployment({ ...followUp, timeoutMs: remaining }, this.env)
    this.result.followUps.push(followed)
    this.result.message += `; ${followed.name} ${followed.status}`
  }
}
