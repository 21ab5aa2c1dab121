/** What a GitHub deployment needs to know about the run, read from the runner's environment. */
export interface GitHubRunContext {
  apiUrl: string
  owner: string
  repo: string
  /** The commit (GITHUB_SHA), or the ref when there is no sha. */
  ref: string
  /** The run's page: the deployment's `log_url`. */
  runUrl: string
}

/** The run's context, or why there is none (the step then warns and deploys without a GitHub deployment). */
export function githubRunContext(env: NodeJS.ProcessEnv): { context?: GitHubRunContext; missing?: string } {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo) return { missing: 'GITHUB_REPOSITORY is not set' }
  const ref = env.GITHUB_SHA || env.GITHUB_REF
  if (!ref) return { missing: 'neither GITHUB_SHA nor GITHUB_REF is set' }
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const runUrl = `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  return { context: { apiUrl, owner, repo, ref, runUrl } }
}
