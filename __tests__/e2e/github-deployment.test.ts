import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  sendJson,
  startEpmwareSimulator,
  startHttpServer,
  type EpmwareSimulator,
  type RunningServer
} from '../../simulator/index.js'
import { runAction, type RunOptions } from './run-action.js'

/**
 * A slow GitHub never stretches the step: a loopback stand-in for the GitHub API (GITHUB_API_URL) that
 * hangs on the create, on the final status, or while the run is being cancelled.
 */
const TOKEN = 'epm-token-for-github-tests-7f3a'
let epmware: EpmwareSimulator
let github: RunningServer
/** Which GitHub calls never get an answer. */
let hang: { create?: boolean; progress?: boolean; final?: boolean } = {}

beforeAll(async () => {
  epmware = await startEpmwareSimulator({
    token: TOKEN,
    // Each endless test has its own: EPMware answers 409 while the same deployment still runs.
    deployments: {
      QUICK: { durationMs: 600 },
      ENDLESS: { durationMs: 600_000 },
      ENDLESS_SIGINT: { durationMs: 600_000 }
    }
  })
  github = await startHttpServer((request, response) => {
    if (request.method === 'POST' && request.path === '/repos/acme/app/deployments') {
      if (hang.create) return
      return sendJson(response, 201, { id: 77 })
    }
    if (request.method === 'POST' && request.path === '/repos/acme/app/deployments/77/statuses') {
      const state = JSON.parse(request.body).state
      if (state === 'in_progress' ? hang.progress : hang.final) return
      return sendJson(response, 201, { id: 1, state })
    }
    sendJson(response, 404, { message: 'Not Found' })
  })
})

afterAll(async () => {
  await Promise.all([epmware.close(), github.close()])
})

beforeEach(() => {
  epmware.requests.length = 0
  github.requests.length = 0
  hang = {}
})

function deploy(target: string, inputs: Record<string, string> = {}, options: RunOptions = {}) {
  return runAction(
    {
      platform: 'epmware',
      'base-url': epmware.url,
      token: TOKEN,
      target,
      'poll-interval': '100ms',
      'max-poll-interval': '300ms',
      environment: 'prod',
      'github-deployment': 'true',
      'github-token': 'ghs_standin_slow_456',
      ...inputs
    },
    {
      killAfterMs: 40_000,
      ...options,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_SHA: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe',
        GITHUB_RUN_ID: '778',
        ...options.env
      }
    }
  )
}

const BOTH = /Task id: [\s\S]*\(prod\): in_progress|\(prod\): in_progress[\s\S]*Task id: /
const trigger = () => epmware.requests.find(request => request.method === 'POST')
const states = () =>
  github.requests
    .filter(request => request.path.endsWith('/statuses'))
    .map(request => JSON.parse(request.body).state as string)

describe('GitHub deployment with a slow GitHub', () => {
  it('a create that hangs does not delay the trigger, and the step says there is no GitHub deployment', async () => {
    hang.create = true
    const spawned = Date.now()
    const run = await deploy('QUICK', { timeout: '20s' })
    expect(run.outputs.status).toBe('succeeded')
    // The trigger arrives as soon as the step has started, not after GitHub's 5 s (or octokit's ~15 s).
    expect((trigger()?.at ?? Infinity) - spawned).toBeLessThan(3_500)
    expect(run.stdout).toContain(
      '::warning title=enterprise-deploy::Could not create a GitHub deployment for prod: GitHub did not answer within 5 s'
    )
    expect(run.elapsedMs).toBeLessThan(12_000)
    expect(states()).toEqual([])
  })

  it('a final status that hangs keeps the step no longer than its timeout and a few seconds', async () => {
    hang.final = true
    const run = await deploy('ENDLESS', { timeout: '3s' })
    expect(run.outputs.status).toBe('timed-out')
    expect(states()).toEqual(['in_progress', 'failure'])
    expect(run.stdout).toContain(
      '::warning title=enterprise-deploy::GitHub deployment 77 is left in_progress: setting it to failure failed: GitHub did not answer within'
    )
    expect(run.elapsedMs).toBeLessThan(3_000 + 9_000)
  })

  it('after SIGINT, GitHub that hangs gets only what is left of the 7.5 s grace period', async () => {
    hang.final = true
    let signalledAt = 0
    let seen = ''
    const run = await deploy(
      'ENDLESS_SIGINT',
      { timeout: '5m' },
      {
        // Once the job runs and GitHub shows it in_progress: the final status is the one that hangs.
        interrupt: { signal: 'SIGINT', when: BOTH },
        onStdout: text => {
          seen += text
          if (!signalledAt && BOTH.test(seen)) signalledAt = Date.now()
        }
      }
    )
    // The whole log in the message when it fails: the status alone does not say why.
    expect({ status: run.outputs.status, log: run.stdout }).toEqual({
      status: 'canceled',
      log: expect.any(String)
    })
    expect(states()).toEqual(['in_progress', 'error'])
    expect(run.stdout).toMatch(
      /::warning title=enterprise-deploy::GitHub deployment 77 is left in_progress: (setting it to error failed: GitHub did not answer within (the )?[\d.]+ s|error was not sent, no time was left)/
    )
    expect(run.summary).toContain('canceled')
    expect(Date.now() - signalledAt).toBeLessThan(7_500)
  })
})
