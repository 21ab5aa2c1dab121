import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type http from 'node:http'
import { sendJson, sendText, startHttpServer, type RunningServer } from '../../simulator/index.js'
import { githubRunContext } from '../../src/github/context.js'
import { finishBudgetMs, GitHubDeployment, RUNNER_GRACE_MS } from '../../src/github/deployment.js'

let server: RunningServer
let answer: { create: number; status: number } = { create: 201, status: 201 }
/** Answers the stand-in gives instead of the usual ones: hang (never answer) or a custom reply. */
type Special = 'hang' | ((response: http.ServerResponse) => void)
let special: { create?: Special; progress?: Special; final?: Special } = {}

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    const isStatus = request.path === '/repos/acme/app/deployments/9/statuses'
    const which =
      request.path === '/repos/acme/app/deployments'
        ? special.create
        : isStatus && /"in_progress"/.test(request.body)
          ? special.progress
          : isStatus
            ? special.final
            : undefined
    if (which === 'hang') return
    if (which) return which(response)
    if (request.path === '/repos/acme/app/deployments')
      return sendJson(
        response,
        answer.create,
        answer.create < 300 ? { id: 9 } : { message: 'Resource not accessible by integration' }
      )
    if (request.path === '/repos/acme/app/deployments/9/statuses')
      return sendJson(response, answer.status, answer.status < 300 ? { id: 1 } : { message: 'Server Error' })
    sendJson(response, 404, { message: 'Not Found' })
  })
})

afterAll(() => server.close())

beforeEach(() => {
  server.requests.length = 0
  answer = { create: 201, status: 201 }
  special = {}
})

function context() {
  const { context: found } = githubRunContext({
    GITHUB_API_URL: `${server.url}/`,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '12',
    GITHUB_SERVER_URL: 'https://ghe.example'
  })
  if (!found) throw new Error('no context')
  return found
}

function recorder() {
  const lines: string[] = []
  return {
    lines,
    log: {
      info: (line: string) => lines.push(`info ${line}`),
      warning: (line: string) => lines.push(`warning ${line}`)
    }
  }
}

const bodies = () => server.requests.map(request => JSON.parse(request.body) as Record<string, unknown>)

describe('GitHub deployment statuses', () => {
  it('creates the deployment, sets in_progress, then the final state with the links', async () => {
    const { log } = recorder()
    const deployment = await GitHubDeployment.start('tok-1', 'prod', context(), log)
    expect(deployment?.id).toBe(9)
    await deployment?.finish(
      'succeeded',
      'EPMware run ASOALL: Deployment completed',
      'https://epm.example/task/1'
    )
    expect(server.requests.map(request => `${request.method} ${request.path}`)).toEqual([
      'POST /repos/acme/app/deployments',
      'POST /repos/acme/app/deployments/9/statuses',
      'POST /repos/acme/app/deployments/9/statuses'
    ])
    expect(server.requests[0]?.headers.authorization).toBe('token tok-1')
    const [create, progress, final] = bodies()
    expect(create).toMatchObject({
      ref: 'refs/heads/main',
      environment: 'prod',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false
    })
    expect(progress).toMatchObject({
      state: 'in_progress',
      log_url: 'https://ghe.example/acme/app/actions/runs/12'
    })
    expect(final).toMatchObject({
      state: 'success',
      log_url: 'https://ghe.example/acme/app/actions/runs/12',
      environment_url: 'https://epm.example/task/1',
      description: 'EPMware run ASOALL: Deployment completed'
    })
  })

  it.each([
    ['failed', 'failure'],
    ['timed-out', 'failure'],
    ['canceled', 'error'],
    ['skipped', 'success']
  ] as const)('maps %s to %s, and leaves a started job in_progress', async (status, state) => {
    const deployment = await GitHubDeployment.start('tok', 'prod', context(), recorder().log)
    await deployment?.finish(status, 'x'.repeat(300))
    const final = bodies()[2]
    expect(final?.state).toBe(state)
    expect(String(final?.description)).toHaveLength(140)
    server.requests.length = 0
    await deployment?.finish('started', 'detached')
    expect(server.requests).toHaveLength(0)
  })

  it('only warns when GitHub refuses, saying which permission the job needs', async () => {
    answer.create = 403
    const { lines, log } = recorder()
    expect(await GitHubDeployment.start('tok', 'prod', context(), log)).toBeUndefined()
    expect(lines.join('\n')).toMatch(
      /^warning Could not create a GitHub deployment for prod: .*permissions: deployments: write/m
    )
    answer = { create: 201, status: 500 }
    const second = recorder()
    const deployment = await GitHubDeployment.start('tok', 'prod', context(), second.log)
    await deployment?.finish('succeeded', 'done')
    expect(second.lines.filter(line => line.startsWith('warning'))).toHaveLength(2)
  })

  it('has no context without a repository', () => {
    expect(githubRunContext({ GITHUB_SHA: 'abc' }).missing).toBe('GITHUB_REPOSITORY is not set')
  })

  it('gives up creating a deployment that hangs within its budget, and says so', async () => {
    special.create = 'hang'
    const { lines, log } = recorder()
    const started = Date.now()
    expect(await GitHubDeployment.start('tok', 'prod', context(), log, { timeoutMs: 300 })).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(lines).toEqual([
      'warning Could not create a GitHub deployment for prod: GitHub did not answer within the 0.3 s left (the step’s deadline or the runner’s grace period)'
    ])
  })

  it('ends the create at once when the run is cancelled', async () => {
    special.create = 'hang'
    const abort = new AbortController()
    const { lines, log } = recorder()
    const starting = GitHubDeployment.start('tok', 'prod', context(), log, { signal: abort.signal })
    setTimeout(() => abort.abort(new Error('SIGINT')), 100)
    const started = Date.now()
    expect(await starting).toBeUndefined()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(lines).toEqual([
      'warning Could not create a GitHub deployment for prod: the run was cancelled before GitHub answered'
    ])
  })

  it('leaves the deployment in_progress, saying why, when the final status hangs past its budget', async () => {
    special.final = 'hang'
    const { lines, log } = recorder()
    const deployment = await GitHubDeployment.start('tok', 'prod', context(), log)
    const started = Date.now()
    await deployment?.finish('failed', 'boom', undefined, { timeoutMs: 400 })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(lines.at(-1)).toBe(
      'warning GitHub deployment 9 is left in_progress: setting it to failure failed: GitHub did not answer within the 0.4 s left (the step’s deadline or the runner’s grace period)'
    )
    lines.length = 0
    await deployment?.finish('canceled', 'SIGINT', undefined, { timeoutMs: 0 })
    expect(lines).toEqual([
      'warning GitHub deployment 9 is left in_progress: error was not sent, no time was left for it (the step’s deadline or the runner’s grace period)'
    ])
  })

  it.each([
    [403, { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1764586800' }],
    [429, { 'retry-after': '60' }],
    [403, { 'retry-after': '30' }]
  ] as [number, Record<string, string>][])(
    'names HTTP %d with %j a rate limit, not a missing permission',
    async (status, headers) => {
      special.create = response =>
        sendJson(response, status, { message: 'API rate limit exceeded for installation ID 1.' }, headers)
      const { lines, log } = recorder()
      expect(await GitHubDeployment.start('tok', 'prod', context(), log)).toBeUndefined()
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(
        /^warning Could not create a GitHub deployment for prod: GitHub's API rate limit for this token is used up \(HTTP (403|429)[;)].*, not a missing permission$/
      )
      expect(lines[0]).not.toContain('permissions: deployments: write')
      if (headers['x-ratelimit-reset'])
        expect(lines[0]).toContain('x-ratelimit-remaining: 0; it resets at 11:00:00 UTC')
      if (headers['retry-after']) expect(lines[0]).toContain(`retry-after: ${headers['retry-after']} s`)
    }
  )

  it('quotes a non-JSON answer instead of failing on its shape', async () => {
    const page = '<html><head><title>Proxy login</title></head><body>Sign in to continue</body></html>'
    special.create = response => sendText(response, 200, page, 'text/html; charset=utf-8')
    const { lines, log } = recorder()
    expect(await GitHubDeployment.start('tok', 'prod', context(), log)).toBeUndefined()
    expect(lines).toEqual([
      `warning Could not create a GitHub deployment for prod: GitHub answered HTTP 200 text/html: ${page}`
    ])
    special = {
      final: response => sendText(response, 502, `<h1>Bad gateway</h1>${'x'.repeat(500)}`, 'text/html')
    }
    const second = recorder()
    const deployment = await GitHubDeployment.start('tok', 'prod', context(), second.log)
    await deployment?.finish('succeeded', 'done')
    expect(second.lines.at(-1)).toBe(
      `warning GitHub deployment 9 is left in_progress: setting it to success failed: GitHub answered HTTP 502 text/html: <h1>Bad gateway</h1>${'x'.repeat(100)}…`
    )
  })

  it('gives the final status what is left of the grace period after a signal, else a few seconds past the deadline', () => {
    expect(finishBudgetMs({ now: 10_000, stepDeadline: 60_000, signalledAt: 9_000 })).toBe(
      RUNNER_GRACE_MS - 1_000 - 1_000
    )
    expect(finishBudgetMs({ now: 20_000, stepDeadline: 60_000, signalledAt: 9_000 })).toBe(0)
    expect(finishBudgetMs({ now: 10_000, stepDeadline: 60_000 })).toBe(5_000)
    expect(finishBudgetMs({ now: 63_000, stepDeadline: 60_000 })).toBe(2_000)
    expect(finishBudgetMs({ now: 90_000, stepDeadline: 60_000 })).toBe(1_000)
  })
})
