import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  sendJson,
  startEpmwareSimulator,
  startHttpServer,
  type EpmwareSimulator,
  type RunningServer
} from '../../simulator/index.js'
import { workflowCommands } from '../hardening/support/workflow-commands.js'
import { runAction, type ActionRun } from './run-action.js'
import { tempDir } from '../fixtures/temp.js'

/**
 * Several deployments in one step, through the bundle. Every "server" is an EPMware simulator for now; when
 * the other drivers land, an entry per platform joins SERVERS and the graph test without changing its shape.
 */
const SERVERS = {
  planning: { token: 'planning-token-5b1d', env: 'PLANNING_TOKEN' },
  consolidation: { token: 'consolidation-token-9e2f', env: 'CONSOLIDATION_TOKEN' },
  reporting: { token: 'reporting-token-3c7a', env: 'REPORTING_TOKEN' }
} as const
type Server = keyof typeof SERVERS

const sims = {} as Record<Server, EpmwareSimulator>
let workspace: string
let github: RunningServer
let githubFails = false

beforeAll(async () => {
  workspace = await tempDir('ed-config-')
  sims.planning = await startEpmwareSimulator({
    token: SERVERS.planning.token,
    deployments: {
      METADATA: { durationMs: 600 },
      METADATA_DEV: { durationMs: 300 },
      METADATA_PROD: { durationMs: 300 },
      PAR1: { durationMs: 2000, logLines: 3 },
      PAR2: { durationMs: 2000, logLines: 3 },
      PAR3: { durationMs: 2000, logLines: 3 },
      PAR4: { durationMs: 2000, logLines: 3 },
      DETACH_A: { durationMs: 1200 },
      DETACH_B: { durationMs: 1200 }
    }
  })
  sims.consolidation = await startEpmwareSimulator({
    token: SERVERS.consolidation.token,
    deployments: { HFM_PROD: { durationMs: 500, outcome: 'E' }, HFM_OK: { durationMs: 300 } }
  })
  sims.reporting = await startEpmwareSimulator({
    token: SERVERS.reporting.token,
    deployments: { REPORTS: { durationMs: 300 }, DASHBOARDS: { durationMs: 900 } }
  })
  const stand = await startHttpServer((request, response) => {
    if (githubFails) return sendJson(response, 500, { message: 'GitHub is having a bad day' })
    if (request.method === 'POST' && /^\/repos\/acme\/app\/deployments$/.test(request.path))
      return sendJson(response, 201, { id: 4242, environment: 'prod' })
    if (request.method === 'POST' && /^\/repos\/acme\/app\/deployments\/4242\/statuses$/.test(request.path))
      return sendJson(response, 201, { id: 1, state: JSON.parse(request.body).state })
    sendJson(response, 404, { message: 'Not Found' })
  })
  github = stand
})

afterAll(async () => {
  await Promise.all([...Object.values(sims).map(sim => sim.close()), github.close()])
})

beforeEach(() => {
  for (const sim of Object.values(sims)) sim.requests.length = 0
  github.requests.length = 0
  githubFails = false
})

const TOKENS: Record<string, string> = Object.fromEntries(
  Object.values(SERVERS).map(server => [server.env, server.token])
)

/** An EPMware entry on one of the servers, its token read from the environment as the file must. */
function entry(name: string, server: Server, target: string, extra = ''): string {
  return [
    `  - name: ${name}`,
    `    platform: epmware`,
    `    base-url: ${sims[server].url}`,
    `    token: \${{ env.${SERVERS[server].env} }}`,
    `    target: ${target}`,
    ...(extra ? extra.split('\n').map(line => `    ${line}`) : [])
  ].join('\n')
}

async function config(file: string, text: string): Promise<string> {
  await writeFile(path.join(workspace, file), text)
  return file
}

const FAST = 'defaults: { poll-interval: 100ms, max-poll-interval: 300ms, timeout: 20s }\n'

function runConfig(
  file: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = TOKENS
): Promise<ActionRun> {
  return runAction({ config: file, ...inputs }, { env: { GITHUB_WORKSPACE: workspace, ...env } })
}

function resultsOf(run: ActionRun): { name: string; status: string; 'task-id': string; message: string }[] {
  return JSON.parse(run.outputs.results ?? '[]')
}

/** What a person or a later step reads: the log (mask commands aside), outputs and summary. */
function written(run: ActionRun): string {
  const log = run.stdout
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return [log, run.stderr, JSON.stringify(run.outputs), run.summary].join('\n')
}

const posts = (server: Server) => sims[server].requests.filter(request => request.method === 'POST')
const allPosts = () => (Object.keys(sims) as Server[]).flatMap(posts)

describe('config file end to end', () => {
  it('runs a graph across servers: a failure skips what needs it, the rest finish', async () => {
    const file = await config(
      'graph.yml',
      `${FAST}deployments:\n${[
        entry('metadata', 'planning', 'METADATA'),
        entry('consolidation', 'consolidation', 'HFM_PROD', 'needs: [metadata]'),
        entry('reports', 'reporting', 'REPORTS', 'needs: [consolidation]'),
        entry('dashboards', 'reporting', 'DASHBOARDS')
      ].join('\n')}\n`
    )
    const run = await runConfig(file)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(resultsOf(run).map(result => [result.name, result.status])).toEqual([
      ['metadata', 'succeeded'],
      ['consolidation', 'failed'],
      ['reports', 'skipped'],
      ['dashboards', 'succeeded']
    ])
    expect(resultsOf(run)[2]?.message).toBe('not run: it needs consolidation, which failed')
    expect(run.outputs.message).toMatch(
      /^4 deployments: 2 succeeded, 1 failed, 1 skipped — consolidation failed: Deployment failed/
    )
    const ids = resultsOf(run)
      .map(result => result['task-id'])
      .filter(Boolean)
    expect(ids).toHaveLength(3)
    expect(run.outputs['task-id']).toBe(ids.join(','))
    expect(posts('reporting').map(request => JSON.parse(request.body).name)).toEqual(['DASHBOARDS'])
    expect(run.stdout).toMatch(/^\[consolidation\] .*running \(R\)/m)
    expect(run.stdout).toMatch(/^\[dashboards\] Task id: \d+/m)
    expect(run.summary).toMatch(/^## ❌ 1 of 4 failed, 1 skipped\n/)
    for (const name of ['metadata', 'consolidation', 'reports', 'dashboards'])
      expect(run.summary).toContain(`| **${name}** | EPMware · `)
    expect(run.summary).toMatch(/<summary>consolidation: last \d+ lines of the remote log/)
    expect(run.stdout).toMatch(/::error::4 deployments: .*consolidation failed/)
    for (const server of Object.values(SERVERS)) expect(written(run)).not.toContain(server.token)
  })

  it('runs independent deployments in parallel, at most max-parallel at once', async () => {
    const file = await config(
      'parallel.yml',
      `${FAST}deployments:\n${[1, 2, 3, 4].map(n => entry(`par${n}`, 'planning', `PAR${n}`)).join('\n')}\n`
    )
    const run = await runConfig(file)
    expect(run.outputs.status).toBe('succeeded')
    // 4 × 2 s one after the other would take 8 s; in parallel it is one job's time plus start-up.
    expect(run.elapsedMs).toBeLessThan(5500)
    const starts = posts('planning').map(request => request.at)
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(1500)

    sims.planning.requests.length = 0
    const paired = await runConfig(file, { 'max-parallel': '2' })
    expect(paired.outputs.status).toBe('succeeded')
    const [first, second, third, fourth] = posts('planning').map(request => request.at) as number[]
    expect(Math.max(first ?? 0, second ?? 0)).toBeLessThan(Math.min(third ?? 0, fourth ?? 0) - 1500)
  })

  it('refuses a cycle before anything runs', async () => {
    const file = await config(
      'cycle.yml',
      `deployments:\n${[
        entry('a', 'planning', 'METADATA', 'needs: [c]'),
        entry('b', 'planning', 'METADATA_DEV', 'needs: [a]'),
        entry('c', 'planning', 'METADATA_PROD', 'needs: [b]')
      ].join('\n')}\n`
    )
    const run = await runConfig(file)
    expect(run.code).toBe(1)
    expect(run.outputs.message).toContain(
      "deployments[0] 'a' field 'needs' (cycle.yml:7:12): needs form a cycle: a → c → b → a"
    )
    expect(run.summary).toContain('The inputs are not valid · nothing was sent')
    expect(sims.planning.requests).toHaveLength(0)
  })

  it.each([
    [
      'broken YAML',
      () => 'deployments:\n  - name: a\n    target: [unclosed\n',
      /\(bad\.yml:\d+:\d+\): is not valid YAML/
    ],
    [
      'an unknown field',
      () => `deployments:\n${entry('a', 'planning', 'METADATA', 'timout: 5m')}\n`,
      /deployments\[0\] 'a' field 'timout' \(bad\.yml:7:5\): unknown field 'timout'; valid fields: name, platform, base-url/
    ],
    [
      'a bad value',
      () => `deployments:\n${entry('a', 'planning', 'METADATA', 'timeout: soon')}\n`,
      /deployments\[0\] 'a' field 'timeout' 'soon' \(bad\.yml:7:14\): use a duration such as 90s/
    ],
    [
      'a literal token',
      () =>
        'deployments:\n  - name: a\n    platform: epmware\n    base-url: http://h\n    token: abc-literal-123\n    target: X\n',
      /deployments\[0\] 'a' field 'token' \(value hidden\) \(bad\.yml:5:12\): credentials are never written in the file/
    ],
    [
      'a step input in defaults',
      () => `defaults: { fail-on-error: false }\ndeployments:\n${entry('a', 'planning', 'METADATA')}\n`,
      /defaults field 'fail-on-error' \(bad\.yml:1:13\): 'fail-on-error' is an input of the whole step/
    ],
    [
      'nesting too deep',
      () =>
        `deployments:\n${entry('a', 'planning', 'METADATA', `parameters: { rollback: ${'['.repeat(20_000)}${']'.repeat(20_000)} }`)}\n`,
      /^The inputs have 1 problem:\n {2}- input 'config' \(bad\.yml:7:\d+\): is not valid YAML: nests collections more than 64 levels deep\nHint: Nothing was sent/
    ],
    [
      'an alias bomb',
      () =>
        [
          'defaults:',
          '  parameters:',
          '    a: &a [x, x, x, x, x, x, x, x, x, x]',
          '    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
          '    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
          '    d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
          `deployments:\n${entry('a', 'planning', 'METADATA')}\n`
        ].join('\n'),
      /^The inputs have 1 problem:\n {2}- input 'config' \(bad\.yml:5:12\): is not valid YAML: its aliases expand to more than 100 copies/
    ],
    [
      'a timeout above 6 days',
      () => `deployments:\n${entry('a', 'planning', 'METADATA', 'timeout: 99999999h')}\n`,
      /deployments\[0\] 'a' field 'timeout' '99999999h' \(bad\.yml:7:14\): must be at most 144h \(6 days, longer than GitHub lets any job run\)/
    ]
  ])('names the file, line and column for %s', async (_what, text, message) => {
    const file = await config('bad.yml', text())
    const run = await runConfig(file)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/^The inputs have \d+ problems?:\n/)
    expect(run.outputs.message).toMatch(message)
    expect(run.outputs.message).not.toContain('abc-literal-123')
    expect(allPosts()).toHaveLength(0)
  })

  it('names a missing environment variable', async () => {
    const file = await config('env.yml', `deployments:\n${entry('a', 'planning', 'METADATA')}\n`)
    const run = await runConfig(file, {}, {})
    expect(run.outputs.message).toContain(
      "deployments[0] 'a' field 'token' (env.yml:5:12): environment variable PLANNING_TOKEN is not set"
    )
  })

  it('refuses a step timeout above 6 days and intervals longer than it, before sending anything', async () => {
    const run = await runAction({
      platform: 'epmware',
      'base-url': sims.planning.url,
      token: SERVERS.planning.token,
      target: 'METADATA',
      timeout: '99999999h',
      'poll-interval': '10s',
      'max-poll-interval': '5s'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toBe(
      [
        'The inputs have 2 problems:',
        "  - input 'timeout' '99999999h': must be at most 144h (6 days, longer than GitHub lets any job run); use e.g. 30m, 2h or 144h",
        "  - input 'poll-interval' '10s': must not be longer than max-poll-interval (5s)",
        'Hint: Nothing was sent to any server. See the README (and docs/config.md for config files) for every input and its valid values.'
      ].join('\n')
    )
    expect(posts('planning')).toHaveLength(0)
  })

  it('refuses a target whose environment variable holds a line break', async () => {
    const file = await config('newline.yml', `deployments:\n${entry('a', 'planning', '${{ env.TARGET }}')}\n`)
    const run = await runConfig(file, {}, { ...TOKENS, TARGET: 'METADATA\nDELETE_ALL' })
    expect(run.code).toBe(1)
    expect(run.outputs.message).toContain(
      "deployments[0] 'a' field 'target' 'METADATA DELETE_ALL' (newline.yml:6:13): must be one line but holds a line break (CR or LF) — from ${{ env.TARGET }}, a variable that holds more than one line"
    )
    expect(allPosts()).toHaveLength(0)
  })

  it('picks the entries of the environment and applies its overrides', async () => {
    const file = await config(
      'environments.yml',
      `${FAST}deployments:\n${[
        entry(
          'metadata',
          'planning',
          'METADATA',
          'environments:\n  dev: { target: METADATA_DEV }\n  prod: { target: METADATA_PROD, timeout: 10m }'
        ),
        entry('consolidation', 'consolidation', 'HFM_OK', 'environments: [prod]'),
        entry('reports', 'reporting', 'REPORTS', 'environments: [dev]'),
        entry('dashboards', 'reporting', 'DASHBOARDS')
      ].join('\n')}\n`
    )
    const prod = await runConfig(file, { environment: 'prod' })
    expect(prod.outputs.status).toBe('succeeded')
    expect(resultsOf(prod).map(result => result.name)).toEqual(['metadata', 'consolidation', 'dashboards'])
    expect(posts('planning').map(request => JSON.parse(request.body))).toEqual([
      { name: 'METADATA_PROD', timeout_min: 10 }
    ])
    expect(prod.summary).toMatch(/^## ✅ 3 of 3 succeeded · prod\n/)

    const missing = await runConfig(file)
    expect(missing.outputs.message).toContain(
      "input 'environment': is required: environments.yml lists environments (dev, prod)"
    )
    const unknown = await runConfig(file, { environment: 'qa' })
    expect(unknown.outputs.message).toContain(
      "input 'environment' 'qa': is not an environment of environments.yml; its environments: dev, prod"
    )
  })

  it('reports a GitHub deployment: in_progress, then success, with a link to the run', async () => {
    const file = await config(
      'github.yml',
      `${FAST}deployments:\n${entry('metadata', 'planning', 'METADATA', 'environments: [prod]')}\n`
    )
    const run = await runConfig(
      file,
      { environment: 'prod', 'github-deployment': 'true', 'github-token': 'ghs_standin_token_123' },
      { ...TOKENS, ...githubEnv() }
    )
    expect(run.outputs.status).toBe('succeeded')
    const [create, started, ended] = github.requests
    expect(github.requests).toHaveLength(3)
    expect(create?.path).toBe('/repos/acme/app/deployments')
    expect(create?.headers.authorization).toBe('token ghs_standin_token_123')
    expect(JSON.parse(create?.body ?? '')).toMatchObject({
      ref: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe',
      environment: 'prod',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false
    })
    expect(started?.path).toBe('/repos/acme/app/deployments/4242/statuses')
    expect(JSON.parse(started?.body ?? '')).toMatchObject({
      state: 'in_progress',
      log_url: 'https://github.example/acme/app/actions/runs/777'
    })
    expect(JSON.parse(ended?.body ?? '')).toMatchObject({
      state: 'success',
      log_url: 'https://github.example/acme/app/actions/runs/777'
    })
    expect(written(run)).not.toContain('ghs_standin_token_123')
  })

  it('sets failure on GitHub when a deployment fails', async () => {
    const file = await config(
      'github-fail.yml',
      `${FAST}deployments:\n${[entry('hfm', 'consolidation', 'HFM_PROD'), entry('reports', 'reporting', 'REPORTS')].join('\n')}\n`
    )
    const run = await runConfig(
      file,
      { environment: 'prod', 'github-deployment': 'true', 'github-token': 'ghs_x_123' },
      { ...TOKENS, ...githubEnv() }
    )
    expect(run.outputs.status).toBe('failed')
    expect(github.requests.map(request => JSON.parse(request.body).state)).toEqual([
      undefined,
      'in_progress',
      'failure'
    ])
  })

  it('only warns when the GitHub API fails, and the deployment still succeeds', async () => {
    githubFails = true
    const run = await runAction(
      {
        platform: 'epmware',
        'base-url': sims.planning.url,
        token: SERVERS.planning.token,
        target: 'METADATA',
        'poll-interval': '100ms',
        environment: 'prod',
        'github-deployment': 'true',
        'github-token': 'ghs_y_123'
      },
      { env: githubEnv() }
    )
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.stdout).toMatch(
      /::warning title=enterprise-deploy::Could not create a GitHub deployment for prod: .*bad day/
    )
    expect(posts('planning')).toHaveLength(1)
  })

  it('checks every server, token and target in a dry run, and triggers nothing', async () => {
    const file = await config(
      'dry.yml',
      `${FAST}deployments:\n${[
        entry('metadata', 'planning', 'METADATA'),
        entry('consolidation', 'consolidation', 'NO_SUCH_APP'),
        entry('reports', 'reporting', 'REPORTS')
      ].join('\n')}\n`
    )
    const run = await runConfig(
      file,
      { 'dry-run': 'true' },
      { ...TOKENS, REPORTING_TOKEN: 'wrong-token-000' }
    )
    expect(run.code).toBe(1)
    expect(resultsOf(run).map(result => [result.name, result.status])).toEqual([
      ['metadata', 'succeeded'],
      ['consolidation', 'failed'],
      ['reports', 'failed']
    ])
    expect(resultsOf(run)[0]?.message).toBe(
      'Dry run, nothing triggered: ✓ inputs valid; ✓ server reachable; ✓ credentials accepted; ✓ target resolved'
    )
    expect(resultsOf(run)[1]?.message).toMatch(
      /✗ target resolved \(EPMware knows no deployment configuration NO_SUCH_APP/
    )
    expect(resultsOf(run)[2]?.message).toMatch(/✗ credentials accepted \(the token was refused \(HTTP 401/)
    expect(run.summary).toContain('Dry run · nothing was deployed')
    expect(run.summary).toMatch(/<summary>metadata: \d+ dry run checks, all passed \(nothing was triggered\)/)
    expect(run.summary).toMatch(/\| target resolved \| ✅ passed \| deployment configuration METADATA exists/)
    expect(allPosts()).toHaveLength(0)
  })

  it('dry-runs a single deployment too', async () => {
    const run = await runAction({
      platform: 'epmware',
      'base-url': sims.planning.url,
      token: SERVERS.planning.token,
      target: 'METADATA',
      'dry-run': 'true'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.summary).toContain('## ✅ Dry run · nothing was deployed · EPMware run METADATA checked')
    expect(posts('planning')).toHaveLength(0)
  })

  it('starts without waiting, and a later step awaits every job by the results output', async () => {
    const file = await config(
      'detach.yml',
      `${FAST}deployments:\n${[
        entry('a', 'planning', 'DETACH_A', 'wait: false'),
        entry('b', 'planning', 'DETACH_B', 'wait: false'),
        entry('c', 'reporting', 'REPORTS')
      ].join('\n')}\n`
    )
    const started = await runConfig(file)
    expect(started.code).toBe(0)
    expect(started.outputs.status).toBe('started')
    expect(resultsOf(started).map(result => result.status)).toEqual(['started', 'started', 'succeeded'])
    const awaited = await runConfig(file, { operation: 'await', 'task-id': started.outputs.results ?? '' })
    expect(awaited.code).toBe(0)
    expect(awaited.outputs.status).toBe('succeeded')
    expect(resultsOf(awaited).map(result => [result.name, result.status, result['task-id']])).toEqual([
      ['a', 'succeeded', resultsOf(started)[0]?.['task-id']],
      ['b', 'succeeded', resultsOf(started)[1]?.['task-id']],
      ['c', 'succeeded', resultsOf(started)[2]?.['task-id']]
    ])
    expect(posts('planning')).toHaveLength(2)
    expect(posts('reporting')).toHaveLength(1)
  })
})

function githubEnv(): Record<string, string> {
  return {
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SHA: 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe',
    GITHUB_RUN_ID: '777'
  }
}

/** The annotations of a run, read the way the runner reads stdout, their properties decoded. */
function annotations(run: ActionRun, kind: 'error' | 'warning') {
  const decode = (text: string) =>
    text
      .replace(/%0D/g, '\r')
      .replace(/%0A/g, '\n')
      .replace(/%3A/g, ':')
      .replace(/%2C/g, ',')
      .replace(/%25/g, '%')
  return workflowCommands(run.stdout)
    .filter(command => command.name === kind && !command.legacy)
    .map(command => ({
      properties: Object.fromEntries(
        command.properties
          .split(',')
          .filter(Boolean)
          .map(pair => [pair.slice(0, pair.indexOf('=')), decode(pair.slice(pair.indexOf('=') + 1))])
      ) as Record<string, string>,
      data: decode(command.data)
    }))
}

describe('annotations, read from stdout the way the runner reads it', () => {
  it('annotates each failed deployment with an error titled with its name, and the step once', async () => {
    const file = await config(
      'two-fail.yml',
      `${FAST}deployments:\n${[
        entry('metadata', 'planning', 'METADATA'),
        entry('hfm', 'consolidation', 'HFM_PROD'),
        entry('hfm-eu', 'consolidation', 'HFM_PROD'),
        entry('reports', 'reporting', 'REPORTS', 'needs: [hfm]')
      ].join('\n')}\n`
    )
    const run = await runConfig(file)
    expect(run.code).toBe(1)
    const errors = annotations(run, 'error')
    const titled = errors.filter(error => error.properties.title)
    expect(titled.map(error => error.properties.title).sort()).toEqual(['hfm', 'hfm-eu'])
    for (const error of titled) expect(error.data).toMatch(new RegExp(`^${error.properties.title} failed: `))
    // The step's own failure line: the overview, untitled, last.
    expect(errors.at(-1)).toEqual({
      properties: {},
      data: expect.stringMatching(/^4 deployments: 1 succeeded, 2 failed, 1 skipped — hfm failed/)
    })
    expect(errors).toHaveLength(3)
    // The summary says the same at a glance: both reasons before the table, their rows first.
    expect(run.summary).toMatch(/^## ❌ 2 of 4 failed, 1 skipped\n/)
    const reasons = run.summary.indexOf('- ❌ **hfm** failed')
    expect(reasons).toBeGreaterThan(0)
    expect(run.summary.indexOf('- ❌ **hfm-eu** failed')).toBeGreaterThan(reasons)
    expect(run.summary.indexOf('| Deployment |')).toBeGreaterThan(
      run.summary.indexOf('- ❌ **hfm-eu** failed')
    )
    expect(run.summary.indexOf('| **hfm-eu** |')).toBeLessThan(run.summary.indexOf('| **metadata** |'))
  })

  it('annotates each config file problem at its file, line and column; the step fails once more', async () => {
    const file = await config(
      'two-problems.yml',
      `deployments:\n${entry('a', 'planning', 'METADATA', 'timout: 5m')}\n${entry('b', 'planning', 'METADATA', 'wiat: true')}\n`
    )
    const run = await runConfig(file)
    expect(run.code).toBe(1)
    const errors = annotations(run, 'error')
    const located = errors.filter(error => error.properties.file)
    expect(located.map(error => error.properties)).toEqual([
      { title: 'enterprise-deploy: config file problem', file: 'two-problems.yml', line: '7', col: '5' },
      { title: 'enterprise-deploy: config file problem', file: 'two-problems.yml', line: '13', col: '5' }
    ])
    expect(located[0]?.data).toMatch(
      /^deployments\[0\] 'a' field 'timout' \(two-problems\.yml:7:5\): unknown field/
    )
    expect(located[1]?.data).toMatch(
      /^deployments\[1\] 'b' field 'wiat' \(two-problems\.yml:13:5\): unknown field/
    )
    expect(errors.at(-1)?.data).toMatch(/^The inputs have 2 problems:\n/)
    expect(errors).toHaveLength(3)
    expect(run.summary).toMatch(/<li>deployments\[0\] 'a' field 'timout' \(two-problems\.yml:7:5\)/)
    expect(allPosts()).toHaveLength(0)
  })

  it('titles every warning with its deployment', async () => {
    const file = await config(
      'warn.yml',
      `${FAST}deployments:\n${[entry('metadata', 'planning', 'METADATA'), entry('ok', 'consolidation', 'HFM_OK')].join('\n')}\n`
    )
    const run = await runConfig(file, { 'insecure-skip-tls-verify': 'true' })
    const warnings = annotations(run, 'warning')
    expect(warnings.length).toBeGreaterThan(0)
    for (const warning of warnings) expect(warning.properties.title).toBeTruthy()
  })
})

describe('a dry run with dependents', () => {
  it('checks every deployment, those that need a failed check too, and triggers nothing', async () => {
    const file = await config(
      'dry-needs.yml',
      `${FAST}deployments:\n${[
        entry('metadata', 'planning', 'METADATA'),
        entry('consolidation', 'consolidation', 'HFM_PROD', 'needs: [metadata]'),
        entry('reports', 'reporting', 'REPORTS', 'needs: [consolidation]')
      ].join('\n')}\n`
    )
    const run = await runConfig(
      file,
      { 'dry-run': 'true', environment: 'prod' },
      { ...TOKENS, PLANNING_TOKEN: 'wrong-token-000' }
    )
    expect(run.code).toBe(1)
    expect(resultsOf(run).map(result => [result.name, result.status])).toEqual([
      ['metadata', 'failed'],
      ['consolidation', 'succeeded'],
      ['reports', 'succeeded']
    ])
    expect(resultsOf(run)[0]?.message).toMatch(/✗ credentials accepted/)
    for (const result of resultsOf(run).slice(1))
      expect(result.message).toMatch(/✓ credentials accepted; ✓ target resolved/)
    // Each server was asked (read-only), none triggered.
    for (const server of ['planning', 'consolidation', 'reporting'] as const)
      expect(sims[server].requests.length).toBeGreaterThan(0)
    expect(allPosts()).toHaveLength(0)
    expect(run.summary).toMatch(/^## ❌ Dry run · nothing was deployed · 1 of 3 failed their checks · prod\n/)
    expect(
      annotations(run, 'error')
        .filter(error => error.properties.title)
        .map(e => e.properties.title)
    ).toEqual(['metadata'])
  })
})
