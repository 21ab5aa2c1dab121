import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { sendJson, startHttpServer, type RunningServer } from '../../simulator/index.js'
import { githubRunContext } from '../../src/github/context.js'
import { GitHubDeployment } from '../../src/github/deployment.js'

let server: RunningServer
let answer: { create: number; status: number } = { create: 201, status: 201 }

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
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
})
