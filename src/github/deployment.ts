import type { getOctokit } from '@actions/github'
import type { FinalStatus } from '../drivers/driver.js'
import { errorFields } from '../errors.js'
import type { GitHubRunContext } from './context.js'

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error'

/** How the step's overall outcome shows on the Environments page; `started` stays in_progress (nobody waited). */
export const STATE_OF: Record<FinalStatus, DeploymentState | undefined> = {
  succeeded: 'success',
  skipped: 'success',
  failed: 'failure',
  'timed-out': 'failure',
  canceled: 'error',
  started: undefined
}

/** GitHub cuts a status description at 140 characters. */
const DESCRIPTION_LIMIT = 140
/** Creating the deployment (and marking it in_progress) may take this long; the trigger never waits for it. */
export const START_BUDGET_MS = 5_000
/** The final status without a caller's deadline. */
const FINISH_TIMEOUT_MS = 5_000
/** How much of an answer a message quotes. */
const QUOTED_BYTES = 120

export interface GitHubLog {
  info(message: string): void
  warning(message: string): void
}

/** How long a GitHub call may take: at most `timeoutMs` from now, and no longer than `signal` lasts. */
export interface GitHubBudget {
  /** Ends the call early (the run's cancellation while the deployment is being created). */
  signal?: AbortSignal
  /** The call ends by then, answered or not; its own limit applies too (whichever is shorter). */
  timeoutMs?: number
}

/** The runner sends SIGKILL this long after SIGINT/SIGTERM (7.5 s); the report needs the last second. */
export const RUNNER_GRACE_MS = 7_500
const REPORT_RESERVE_MS = 1_000

/**
 * What the final status may take: after a signal, what is left of the runner's grace period (less a second
 * for the report); otherwise its own few seconds, never ending later than a few seconds past the step's
 * deadline (at least a second, so a run that used all of its time still tries once).
 */
export function finishBudgetMs(times: { now: number; stepDeadline: number; signalledAt?: number }): number {
  if (times.signalledAt !== undefined)
    return Math.max(0, times.signalledAt + RUNNER_GRACE_MS - REPORT_RESERVE_MS - times.now)
  return Math.min(FINISH_TIMEOUT_MS, Math.max(1_000, times.stepDeadline + FINISH_TIMEOUT_MS - times.now))
}

type Octokit = ReturnType<typeof getOctokit>

interface OctokitAnswer {
  status: number
  headers: Record<string, string | number | undefined>
  data: unknown
}

/**
 * A GitHub deployment for the step's environment. Every API failure becomes a warning: the Environments
 * page is a view of the deployment, never a reason to fail one. Every call is bounded: by its own budget,
 * the caller's deadline and the caller's signal.
 */
export class GitHubDeployment {
  private constructor(
    private readonly octokit: Octokit,
    private readonly context: GitHubRunContext,
    private readonly environment: string,
    readonly id: number,
    private readonly log: GitHubLog
  ) {}

  /**
   * Creates the deployment and marks it in_progress, both within START_BUDGET_MS (or the budget given);
   * undefined (after a warning) when GitHub refuses, answers something else than JSON, or does not answer.
   */
  static async start(
    token: string,
    environment: string,
    context: GitHubRunContext,
    log: GitHubLog,
    budget: GitHubBudget = {}
  ): Promise<GitHubDeployment | undefined> {
    const bound = boundOf(budget, START_BUDGET_MS)
    try {
      // Loaded only when asked for: octokit would otherwise slow every step's start.
      const { getOctokit } = await import('@actions/github')
      const octokit = getOctokit(token, { baseUrl: context.apiUrl })
      const created = (await octokit.rest.repos.createDeployment({
        owner: context.owner,
        repo: context.repo,
        ref: context.ref,
        environment,
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        description: `Enterprise Deploy to ${environment}`,
        request: { signal: bound.signal }
      })) as OctokitAnswer
      const data = jsonObject(created)
      if (typeof data.id !== 'number') {
        const said = typeof data.message === 'string' ? data.message : `HTTP ${created.status} without an id`
        log.warning(`GitHub did not create a deployment for ${environment}: ${said}`)
        return undefined
      }
      const deployment = new GitHubDeployment(octokit, context, environment, data.id, log)
      log.info(`GitHub deployment ${deployment.id} created for environment ${environment}`)
      await deployment.setStatus('in_progress', `Deploying to ${environment}`, undefined, bound)
      return deployment
    } catch (error) {
      log.warning(`Could not create a GitHub deployment for ${environment}: ${bound.why(error)}`)
      return undefined
    } finally {
      bound.dispose()
    }
  }

  /**
   * Sets the final state from the step's outcome, with the platform's link where there is one, within the
   * budget (the step's deadline, or what is left of the runner's grace period after a signal). When it
   * cannot be sent, a warning says the deployment is left in_progress and why.
   */
  async finish(
    status: FinalStatus,
    description: string,
    environmentUrl?: string,
    budget: GitHubBudget = {}
  ): Promise<void> {
    const state = STATE_OF[status]
    if (!state) {
      this.log.info(`GitHub deployment ${this.id} stays in_progress: the jobs were started without waiting`)
      return
    }
    const bound = boundOf(budget, FINISH_TIMEOUT_MS)
    try {
      await this.setStatus(state, description, environmentUrl, bound)
    } finally {
      bound.dispose()
    }
  }

  private async setStatus(
    state: DeploymentState,
    description: string,
    environmentUrl: string | undefined,
    bound: Bound
  ): Promise<void> {
    const leftAs = state === 'in_progress' ? 'is not marked in_progress' : 'is left in_progress'
    if (bound.signal.aborted) {
      this.log.warning(
        `GitHub deployment ${this.id} ${leftAs}: ${state} was not sent, ${bound.why(bound.signal.reason)}`
      )
      return
    }
    try {
      const answer = (await this.octokit.rest.repos.createDeploymentStatus({
        owner: this.context.owner,
        repo: this.context.repo,
        deployment_id: this.id,
        state,
        log_url: this.context.runUrl,
        ...(environmentUrl ? { environment_url: environmentUrl } : {}),
        description: oneLine(description),
        request: { signal: bound.signal }
      })) as OctokitAnswer
      jsonObject(answer)
      this.log.info(`GitHub deployment ${this.id} (${this.environment}): ${state}`)
    } catch (error) {
      this.log.warning(
        `GitHub deployment ${this.id} ${leftAs}: setting it to ${state} failed: ${bound.why(error)}`
      )
    }
  }
}

/** One call's signal: the caller's, its deadline and the call's own timeout, whichever ends first. */
interface Bound {
  signal: AbortSignal
  /** Why a call failed, in words: the bound that ended it, or GitHub's answer. */
  why(error: unknown): string
  dispose(): void
}

function boundOf(budget: GitHubBudget, ownMs: number): Bound {
  const ms = Math.max(0, Math.min(ownMs, budget.timeoutMs ?? Infinity))
  const timer = new AbortController()
  const handle = setTimeout(() => timer.abort(new Error('timeout')), ms)
  if (ms <= 0) timer.abort(new Error('timeout'))
  const signal = budget.signal ? AbortSignal.any([budget.signal, timer.signal]) : timer.signal
  return {
    signal,
    why(error) {
      if (budget.signal?.aborted) return 'the run was cancelled before GitHub answered'
      if (timer.signal.aborted) {
        if (ms <= 0) return 'no time was left for it (the step’s deadline or the runner’s grace period)'
        return ms < ownMs
          ? `GitHub did not answer within the ${seconds(ms)} left (the step’s deadline or the runner’s grace period)`
          : `GitHub did not answer within ${seconds(ms)}`
      }
      return describeFailure(error)
    },
    dispose: () => clearTimeout(handle)
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

/** The answer's JSON object; anything else (a proxy's HTML page) is an error quoting its first bytes. */
function jsonObject(answer: OctokitAnswer): Record<string, unknown> {
  const type = String(answer.headers['content-type'] ?? '')
  if (/^application\/(.+\+)?json/i.test(type) && answer.data && typeof answer.data === 'object')
    return answer.data as Record<string, unknown>
  throw new GitHubAnswerError(answer.status, type, answer.data)
}

class GitHubAnswerError extends Error {
  constructor(status: number, type: string, data: unknown) {
    super(`GitHub answered HTTP ${status} ${mediaType(type)}: ${quote(data)}`)
  }
}

function mediaType(type: string): string {
  return type.split(';')[0]?.trim() || 'without a content type'
}

function quote(data: unknown): string {
  const text =
    typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString('utf8')
        : (JSON.stringify(data) ?? '')
  const line = text.replace(/\s+/g, ' ').trim()
  if (!line) return '(empty)'
  return line.length > QUOTED_BYTES ? `${line.slice(0, QUOTED_BYTES)}…` : line
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > DESCRIPTION_LIMIT ? `${line.slice(0, DESCRIPTION_LIMIT - 1)}…` : line
}

function describeFailure(error: unknown): string {
  if (error instanceof GitHubAnswerError) return error.message
  const status = (error as { status?: unknown })?.status
  const response = (error as { response?: Partial<OctokitAnswer> })?.response
  const headers = response?.headers ?? {}
  const { message } = errorFields(error)
  const limit = rateLimit(status, headers, message)
  if (limit) return limit
  const type = String(headers['content-type'] ?? '')
  if (typeof status === 'number' && response && !/json/i.test(type))
    return new GitHubAnswerError(status, type, response.data).message
  if (status === 403 || status === 404) {
    return `${message} (HTTP ${status}); the job needs \`permissions: deployments: write\` and a github-token that may use it`
  }
  return typeof status === 'number' ? `${message} (HTTP ${status})` : message
}

/** A 403 or 429 that GitHub's headers (or words) say is a rate limit, named as one, with when it lifts. */
function rateLimit(
  status: unknown,
  headers: Record<string, string | number | undefined>,
  message: string
): string | undefined {
  if (status !== 403 && status !== 429) return undefined
  const remaining = headers['x-ratelimit-remaining']
  const retryAfter = headers['retry-after']
  const limited =
    String(remaining) === '0' || retryAfter !== undefined || /rate limit/i.test(message) || status === 429
  if (!limited) return undefined
  const facts: string[] = [`HTTP ${status}`]
  if (remaining !== undefined) facts.push(`x-ratelimit-remaining: ${remaining}`)
  const reset = Number(headers['x-ratelimit-reset'])
  if (Number.isFinite(reset) && reset > 0)
    facts.push(`it resets at ${new Date(reset * 1000).toISOString().slice(11, 19)} UTC`)
  if (retryAfter !== undefined) facts.push(`retry-after: ${retryAfter} s`)
  return `GitHub's API rate limit for this token is used up (${facts.join('; ')}), not a missing permission`
}
