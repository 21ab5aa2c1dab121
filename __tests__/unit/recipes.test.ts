import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'yaml'
import { planOutput } from '../../src/report/plan-output.js'
import { Redactor } from '../../src/secrets.js'

/**
 * The recipes are complete workflows: parsed here, every use of the action checked against action.yml (each
 * `with:` key an input, each output read an output), every `needs.<job>.outputs.<x>` a declared job output.
 */
const root = new URL('../../', import.meta.url)
const read = (file: string) => readFileSync(new URL(file, root), 'utf8')
const action = parse(read('action.yml')) as {
  inputs: Record<string, { required?: boolean }>
  outputs: Record<string, unknown>
}
const repository = (JSON.parse(read('package.json')) as { repository: { url: string } }).repository.url
const owner = /github\.com\/([^/]+\/[^/.]+)/.exec(repository)?.[1] ?? ''

interface Step {
  id?: string
  name?: string
  uses?: string
  with?: Record<string, unknown>
  run?: string
  env?: Record<string, string>
  if?: string
}
interface Job {
  needs?: string | string[]
  environment?: string
  concurrency?: { group: string; 'cancel-in-progress': boolean | string }
  outputs?: Record<string, string>
  steps?: Step[]
  uses?: string
  with?: Record<string, unknown>
  strategy?: { matrix: unknown; 'max-parallel'?: unknown; 'fail-fast'?: boolean }
}
interface Workflow {
  name: string
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, Job>
}

const RECIPES = readdirSync(new URL('docs/recipes/', root)).filter(file => file.endsWith('.yml'))
const WORKFLOWS = [
  ...RECIPES.map(file => `docs/recipes/${file}`),
  '.github/workflows/fleet.yml',
  '.github/workflows/ci.yml'
]
const workflow = (file: string) => parse(read(file)) as Workflow
const isOurs = (uses = '') => uses === './' || uses.startsWith(`${owner}@`)

/** Every problem of one workflow with the action's uses, the outputs it reads and the job outputs. */
function problemsOf(file: string): string[] {
  const flow = workflow(file)
  const problems: string[] = []
  if (!flow.on || !flow.jobs || !flow.permissions) problems.push(`${file}: needs on:, permissions: and jobs:`)
  for (const [jobName, job] of Object.entries(flow.jobs)) {
    const ours = new Set<string>()
    for (const step of job.steps ?? []) {
      if (!isOurs(step.uses)) continue
      if (step.id) ours.add(step.id)
      const keys = Object.keys(step.with ?? {})
      for (const key of keys)
        if (!(key in action.inputs))
          problems.push(`${file} ${jobName}: with: ${key} is no input of action.yml`)
      if (!keys.includes('platform') && !keys.includes('config'))
        problems.push(`${file} ${jobName}: the action needs platform or config`)
      for (const [name, input] of Object.entries(action.inputs))
        if (input.required && !keys.includes(name)) problems.push(`${file} ${jobName}: ${name} is required`)
    }
    const text = JSON.stringify(job)
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (ours.has(id as string) && !((output as string) in action.outputs))
        problems.push(`${file} ${jobName}: steps.${id}.outputs.${output} is no output of action.yml`)
    }
    for (const [, need, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const needs = [job.needs ?? []].flat()
      const other = flow.jobs[need as string]
      if (!needs.includes(need as string)) problems.push(`${file} ${jobName}: reads ${need} without needs:`)
      const declared = other?.outputs ?? (other?.uses ? { plan: '' } : {})
      if (!((output as string) in declared))
        problems.push(`${file} ${jobName}: needs.${need}.outputs.${output} is not an output of job ${need}`)
    }
  }
  return problems
}

describe('recipes', () => {
  it('names the owner once: package.json repository', () => {
    expect(owner).toMatch(/^[\w-]+\/enterprise-deploy$/)
  })

  it.each(WORKFLOWS)('%s parses and uses the action as action.yml declares it', file => {
    expect(problemsOf(file)).toEqual([])
  })

  it('the checker finds a wrong input, a wrong output and an undeclared job output', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ed-recipes-'))
    try {
      const bad = path.join(dir, 'bad.yml')
      writeFileSync(
        bad,
        [
          'name: bad',
          'on: push',
          'permissions: {}',
          'jobs:',
          '  a:',
          '    outputs: { s: "${{ steps.d.outputs.statuss }}" }',
          '    steps:',
          `      - { id: d, uses: ${owner}@v1, with: { platfrom: epmware } }`,
          '  b:',
          '    needs: a',
          '    steps: [{ run: "echo ${{ needs.a.outputs.t }}" }]'
        ].join('\n')
      )
      expect(problemsOf(path.relative(new URL(root).pathname, bad))).toEqual([
        expect.stringContaining('with: platfrom is no input'),
        expect.stringContaining('needs platform or config'),
        expect.stringContaining('steps.d.outputs.statuss is no output'),
        expect.stringContaining('needs.a.outputs.t is not an output of job a')
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('the pull request gate: a dry run on pull_request, a deployment on merge_group and push', () => {
    const flow = workflow('docs/recipes/pull-request-gate.yml')
    expect(Object.keys(flow.on).sort()).toEqual(['merge_group', 'pull_request', 'push'])
    const step = flow.jobs.gate?.steps?.find(one => isOurs(one.uses))
    expect(step?.with?.['dry-run']).toBe("${{ github.event_name == 'pull_request' }}")
  })

  it("CI runs the gate's steps against the simulator, the action as ./ and the simulator's token", () => {
    const recipe = workflow('docs/recipes/pull-request-gate.yml').jobs.gate?.steps ?? []
    const ci = workflow('.github/workflows/ci.yml').jobs.recipe
    const steps = ci?.steps ?? []
    expect(steps.some(step => /npm run -s simulator -- epmware/.test(step.run ?? ''))).toBe(true)
    const start = steps.findIndex(step => step.id === 'deploy')
    const mirrored = recipe
      .slice(1)
      .map(step =>
        isOurs(step.uses)
          ? { ...step, uses: './', with: { ...step.with, token: '15388ad5-c9af-4cf3-af47-8021c1ab3fb7' } }
          : step
      )
    expect(steps.slice(start, start + mirrored.length)).toEqual(mirrored)
    expect(ci?.steps?.[start]?.uses).toBe('./')
  })

  it('promotion: dev → test → prod, each a GitHub environment, queued per environment, one version', () => {
    const flow = workflow('docs/recipes/promotion.yml')
    expect(flow.permissions).toEqual({ contents: 'read', deployments: 'write' })
    const chain = ['dev', 'test', 'prod']
    chain.forEach((env, index) => {
      const job = flow.jobs[env] as Job
      expect(job.environment).toBe(env)
      expect(job.concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false })
      const previous = index === 0 ? 'build' : (chain[index - 1] as string)
      expect(job.needs).toBe(previous)
      const step = job.steps?.find(one => isOurs(one.uses)) as Step
      expect(step.uses).toMatch(new RegExp(`^${owner}@[0-9a-f]{40}$`))
      expect(String((step.with as Record<string, string>).parameters)).toContain(
        `version: \${{ needs.${previous}.outputs.version }}`
      )
      expect(step.with?.['github-deployment']).toBe(true)
      expect(job.outputs?.version).toBe(`\${{ needs.${previous}.outputs.version }}`)
      const upload = job.steps?.find(one => one.uses?.startsWith('actions/upload-artifact@'))
      expect(upload?.with?.path).toBe('${{ steps.deploy.outputs.log-file }}')
    })
    expect(read('docs/recipes/promotion.yml')).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+/)
  })

  it('the fleet: plan (a dry run) → five wave jobs, each a matrix of the plan, after the one before → summary', () => {
    const flow = workflow('.github/workflows/fleet.yml')
    expect(Object.keys(flow.on)).toEqual(['workflow_call'])
    const plan = flow.jobs.plan as Job
    expect(plan.steps?.find(step => step.id === 'plan')?.with).toMatchObject({ 'dry-run': true })
    for (let wave = 1; wave <= 5; wave++) {
      const job = flow.jobs[`wave-${wave}`] as Job
      expect(job.strategy?.matrix).toBe(`\${{ fromJSON(needs.plan.outputs.wave-${wave}) }}`)
      expect(job.needs).toEqual(wave === 1 ? 'plan' : ['plan', `wave-${wave - 1}`])
      expect(job.steps?.find(step => step.id === 'deploy')?.with?.deployments).toBe(
        '${{ matrix.deployment }}'
      )
    }
    expect([flow.jobs.summary?.needs].flat()).toEqual([
      'plan',
      'wave-1',
      'wave-2',
      'wave-3',
      'wave-4',
      'wave-5'
    ])
    expect(workflow('docs/recipes/fleet.yml').jobs.fleet?.uses).toBe(
      `${owner}/.github/workflows/fleet.yml@v1`
    )
  })
})

describe("the fleet workflow's scripts", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ed-fleet-scripts-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const plan = workflow('.github/workflows/fleet.yml').jobs.plan as Job
  const script = (name: string) => plan.steps?.find(step => step.id === name || step.name === name)?.run ?? ''

  function runScript(run: string, env: Record<string, string>): { code: number | null; stdout: string } {
    const result = spawnSync('bash', ['-c', run], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8'
    })
    return { code: result.status, stdout: result.stdout }
  }

  it('splits the plan output into one matrix output per wave', () => {
    const output = path.join(dir, 'output')
    writeFileSync(output, '')
    const fleet = [
      { name: 'a', platform: 'epmware' as const, target: 'A', needs: [] },
      { name: 'b', platform: 'epmware' as const, target: 'B', needs: ['a'] },
      { name: 'c', platform: 'epmware' as const, target: 'C', needs: [] }
    ]
    const ran = runScript(script('waves'), { PLAN: planOutput(fleet, new Redactor()), GITHUB_OUTPUT: output })
    expect(ran.code).toBe(0)
    const lines = readFileSync(output, 'utf8').trim().split('\n')
    expect(lines[0]).toBe('waves=2')
    expect(JSON.parse(lines[1]?.replace(/^wave-1=/, '') ?? '')).toEqual({
      include: [
        { deployment: 'a', platform: 'epmware', target: 'A', needs: [] },
        { deployment: 'c', platform: 'epmware', target: 'C', needs: [] }
      ]
    })
    expect(lines[2]).toMatch(/^wave-2=\{"include":\[\{"deployment":"b"/)
  })

  it('refuses more than five waves, naming why', () => {
    const chain = Array.from({ length: 6 }, (_, index) => ({
      name: `d${index}`,
      platform: 'epmware' as const,
      needs: index ? [`d${index - 1}`] : []
    }))
    const output = path.join(dir, 'output6')
    writeFileSync(output, '')
    const ran = runScript(script('waves'), { PLAN: planOutput(chain, new Redactor()), GITHUB_OUTPUT: output })
    expect(ran.code).toBe(1)
    expect(ran.stdout).toMatch(/^::error::6 waves: this workflow runs at most 5/m)
    expect(readFileSync(output, 'utf8')).toBe('')
  })

  it('the summary job: one row per wave with its result; fails when a wave failed', () => {
    const summary = workflow('.github/workflows/fleet.yml').jobs.summary?.steps?.[0]?.run ?? ''
    const file = path.join(dir, 'summary')
    const fleet = [
      { name: 'a', platform: 'epmware' as const, needs: [] },
      { name: 'b', platform: 'epmware' as const, needs: ['a'] }
    ]
    const needs = (second: string) =>
      JSON.stringify({
        plan: { result: 'success' },
        'wave-1': { result: 'success' },
        'wave-2': { result: second },
        'wave-3': { result: 'skipped' },
        'wave-4': { result: 'skipped' },
        'wave-5': { result: 'skipped' }
      })
    const env = { PLAN: planOutput(fleet, new Redactor()), ENVIRONMENT: 'prod', GITHUB_STEP_SUMMARY: file }
    writeFileSync(file, '')
    expect(runScript(summary, { ...env, NEEDS: needs('success') }).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain('## Fleet prod: succeeded')
    expect(readFileSync(file, 'utf8')).toContain('| 2 | success | 1 | b |')
    writeFileSync(file, '')
    expect(runScript(summary, { ...env, NEEDS: needs('failure') }).code).toBe(1)
    expect(readFileSync(file, 'utf8')).toContain('## Fleet prod: failed')
    expect(readFileSync(file, 'utf8')).toContain('| 2 | failure | 1 | b |')
  })

  it('exposes exactly the named secrets, multi-line ones too, and names one not passed', () => {
    const env = path.join(dir, 'env')
    writeFileSync(env, '')
    const secrets = JSON.stringify({ EPM_TOKEN: 'tok-1', PEM: 'line 1\nline 2', OTHER: 'not-me' })
    const ran = runScript(script('Expose the named secrets as environment variables'), {
      SECRETS: secrets,
      NAMES: 'EPM_TOKEN, PEM',
      GITHUB_ENV: env
    })
    expect(ran.code).toBe(0)
    const written = readFileSync(env, 'utf8')
    expect(written).toMatch(/^EPM_TOKEN<<(EOF_[\w-]+)\ntok-1\n\1\nPEM<<(EOF_[\w-]+)\nline 1\nline 2\n\2\n$/)
    expect(written).not.toContain('not-me')
    const missing = runScript(script('Expose the named secrets as environment variables'), {
      SECRETS: secrets,
      NAMES: 'NOPE',
      GITHUB_ENV: env
    })
    expect(missing.code).toBe(1)
    expect(missing.stdout).toContain('::error::secret NOPE was not passed')
  })
})
