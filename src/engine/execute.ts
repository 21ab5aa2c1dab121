import path from 'node:path'
import { definitionOf } from '../drivers/index.js'
import type { Driver, DriverDefinition, FinalStatus, RemoteStatus, TaskRef } from '../drivers/driver.js'
import { toActionError } from '../errors.js'
import { HttpClient, type HttpClientOptions } from '../http/client.js'
import { formatDuration } from '../inputs/duration.js'
import type { Deployment, Settings } from '../inputs/schema.js'
import { saveRemoteLog } from '../report/logfile.js'
import { ProgressNarrator } from '../report/progress.js'
import type { Redactor } from '../secrets.js'
import { authFor } from './auth.js'
import { ABORT_CANCEL_BUDGET_MS, requestRemoteCancel, TIMEOUT_CANCEL_BUDGET_MS } from './cancel.js'
import type { Clock } from './clock.js'
import { dryRunDeployment } from './dry-run.js'
import { pollUntilDone, type PollResult } from './poll.js'
import type { DeploymentResult } from './result.js'

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
}

export interface EngineLog {
  info(message: string): void
  warning(message: string): void
}

const OUTCOME_OF_STATE: Record<Exclude<RemoteStatus['state'], 'running'>, FinalStatus> = {
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  skipped: 'skipped'
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
  const driver = definition.create({
    deployment,
    http,
    log: env.log,
    clock: env.clock,
    tempDir: env.settings.tempDir
  })
  if (deployment.dryRun) {
    await dryRunDeployment(driver, env.signal, result)
    return finish()
  }
  const run = new DeploymentRun(deployment, definition, driver, env, result, startedAt, deadline)
  try {
    await run.execute()
  } catch (error) {
    const failure = toActionError(error)
    if (env.signal.aborted) {
      result.status = 'canceled'
      result.message = result.message || 'The workflow run was cancelled before the platform answered'
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
        if (started.task && started.status.state !== 'running') await this.fetchLog(started.task)
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
    await this.conclude(task, polled)
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

  private async conclude(task: TaskRef, polled: PollResult): Promise<void> {
    const { result, deployment, env } = this
    if (polled.kind === 'ended') {
      result.status = this.finalOutcome(polled.status)
      result.message ||= `Task ${task.id} ended: ${polled.status.label ?? polled.status.code}`
      await this.fetchLog(task)
      if (result.status === 'failed') await this.runFollowUp()
      return
    }
    if (polled.kind === 'timed-out') {
      result.status = 'timed-out'
      const waited = formatDuration(deployment.timeoutMs)
      const last = polled.last ? ` (last status: ${polled.last.label ?? polled.last.code})` : ''
      const cancel = await requestRemoteCancel(this.driver, task, TIMEOUT_CANCEL_BUDGET_MS, this.definition, {
        enabled: deployment.cancelOnTimeout,
        input: 'cancel-on-timeout'
      })
      result.message = `Task ${task.id} did not finish within the timeout of ${waited}${last}; ${cancel}`
      env.log.warning(result.message)
      await this.fetchLog(task)
      return
    }
    result.status = 'canceled'
    const cancel = await requestRemoteCancel(this.driver, task, ABORT_CANCEL_BUDGET_MS, this.definition, {
      enabled: deployment.cancelOnAbort,
      input: 'cancel-on-abort'
    })
    result.message = `The workflow run was cancelled; ${cancel}`
    env.log.warning(result.message)
  }

  /** Saves the remote log; a log that cannot be read is a warning, never the step's outcome. */
  private async fetchLog(task: TaskRef): Promise<void> {
    if (!this.driver.log) return
    const { env, result } = this
    try {
      const stream = await this.driver.log(task, env.signal)
      if (!stream) return
      const directory = path.join(env.settings.tempDir, 'enterprise-deploy')
      const saved = await saveRemoteLog(
        stream,
        directory,
        `${result.name}-${task.id}.log`,
        env.redactor,
        env.settings.logLines
      )
      result.logFile = saved.file
      result.logTail = saved.tail
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
