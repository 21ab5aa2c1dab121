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
const REQUEST_TIMEOUT_MS = 15_000

export interface GitHubLog {
  info(message: string): void
  warning(message: string): void
}

type Octokit = ReturnType<typeof getOctokit>

/**
 * A GitHub deployment for the step's environment. Every API failure becomes a warning: the Environments
 * page is a view of the deployment, never a reason to fail one.
 */
export class GitHubDeployment {
  private constructor(
    private readonly octokit: Octokit,
    private readonly context: GitHubRunContext,
    private readonly environment: string,
    readonly id: number,
    private readonly log: GitHubLog
  ) {}

  /** Creates the deployment and marks it in_progress; undefined (after a warning) when GitHub refuses. */
  static async start(
    token: string,
    environment: string,
    context: GitHubRunContext,
    log: GitHubLog
  ): Promise<GitHubDeployment | undefined> {
    try {
      // Loaded only when asked for: octokit would otherwise slow every step's start.
      const { getOctokit } = await import('@actions/github')
      const octokit = getOctokit(token, { baseUrl: context.apiUrl })
      const created = await octokit.rest.repos.createDeployment({
        owner: context.owner,
        repo: context.repo,
        ref: context.ref,
        environment,
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        description: `Enterprise Deploy to ${environment}`,
        request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }
      })
      if (!('id' in created.data)) {
        log.warning(
          `GitHub did not create a deployment for ${environment}: ${created.data.message ?? `HTTP ${created.status}`}`
        )
        return undefined
      }
      const deployment = new GitHubDeployment(octokit, context, environment, created.data.id, log)
      log.info(`GitHub deployment ${deployment.id} created for environment ${environment}`)
      await deployment.setStatus('in_progress', `Deploying to ${environment}`)
      return deployment
    } catch (error) {
      log.warning(`Could not create a GitHub deployment for ${environment}: ${describeFailure(error)}`)
      return undefined
    }
  }

  /** Sets the final state from the step's outcome, with the platform's link where there is one. */
  async finish(status: FinalStatus, description: string, environmentUrl?: string): Promise<void> {
    const state = STATE_OF[status]
    if (!state) {
      this.log.info(`GitHub deployment ${this.id} stays in_progress: the jobs were started without waiting`)
      return
    }
    await this.setStatus(state, description, environmentUrl)
  }

  private async setStatus(
    state: DeploymentState,
    description: string,
    environmentUrl?: string
  ): Promise<void> {
    try {
      await this.octokit.rest.repos.createDeploymentStatus({
        owner: this.context.owner,
        repo: this.context.repo,
        deployment_id: this.id,
        state,
        log_url: this.context.runUrl,
        ...(environmentUrl ? { environment_url: environmentUrl } : {}),
        description: oneLine(description),
        request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }
      })
      this.log.info(`GitHub deployment ${this.id} (${this.environment}): ${state}`)
    } catch (error) {
      this.log.warning(`Could not set GitHub deployment ${this.id} to ${state}: ${describeFailure(error)}`)
    }
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > DESCRIPTION_LIMIT ? `${line.slice(0, DESCRIPTION_LIMIT - 1)}…` : line
}

function describeFailure(error: unknown): string {
  const status = (error as { status?: unknown })?.status
  const { message } = errorFields(error)
  if (status === 403 || status === 404) {
    return `${message} (HTTP ${status}); the job needs \`permissions: deployments: write\` and a github-token that may use it`
  }
  return message
}
