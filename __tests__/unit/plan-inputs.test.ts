import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { getPlan, type PlanOptions } from '../../src/inputs/plan.js'
import type { InputName } from '../../src/inputs/schema.js'
import { tempDirSync } from '../fixtures/temp.js'

const workspace = tempDirSync('ed-plan-inputs-')
const ENV = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: '/tmp/rt', EPM_TOKEN: 'tok-from-env-123' }

const valid: Partial<Record<InputName, string>> = {
  platform: 'epmware',
  'base-url': 'https://epm.example.com',
  token: 'tok-123456',
  target: 'ASOALL'
}

function planOf(
  inputs: Partial<Record<InputName, string>>,
  env: NodeJS.ProcessEnv = ENV,
  options: PlanOptions = {}
) {
  return getPlan(name => inputs[name], env, options)
}

/** Each problem line of the error, without the heading. */
function problemsOf(inputs: Partial<Record<InputName, string>>, env: NodeJS.ProcessEnv = ENV): string[] {
  try {
    planOf(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    const [, ...lines] = (error as ActionError).message.split('\n')
    return lines.map(line => line.replace(/^ {2}- /, ''))
  }
  throw new Error('expected the inputs to be refused')
}

const EPM = (name: string, extra = '') =>
  `  - name: ${name}\n    platform: epmware\n    base-url: https://epm.example.com\n    token: \${{ env.EPM_TOKEN }}\n    target: ${name.toUpperCase()}\n${extra}`

function withFile(text: string, inputs: Partial<Record<InputName, string>> = {}) {
  writeFileSync(path.join(workspace, 'deploy.yml'), text)
  return { config: 'deploy.yml', ...inputs }
}

describe('getPlan: one deployment from the inputs', () => {
  it('names the deployment after its target, else its platform', () => {
    expect(planOf(valid).deployments[0]?.name).toBe('ASOALL')
    expect(
      planOf({ ...valid, operation: 'await', 'task-id': '5', target: undefined }).deployments[0]?.name
    ).toBe('epmware')
  })

  it('keeps the step settings, the workspace and the temp folder from the environment', () => {
    const plan = planOf({
      ...valid,
      'log-lines': '0',
      summary: 'false',
      'max-parallel': '7',
      'fail-on-error': 'false'
    })
    expect(plan.settings).toEqual({
      failOnError: false,
      logLines: 0,
      summary: false,
      maxParallel: 7,
      environment: undefined,
      githubToken: undefined,
      githubDeployment: false,
      config: undefined,
      workspace,
      tempDir: '/tmp/rt'
    })
    expect(plan.fleet).toBeUndefined()
    expect(plan.notes).toEqual([])
  })

  it('reads an empty input as one not given', () => {
    const plan = planOf({ ...valid, config: '', deployments: '', environment: '' })
    expect(plan.deployments.map(deployment => deployment.name)).toEqual(['ASOALL'])
    expect([plan.fleet, plan.settings.config, plan.settings.environment]).toEqual([
      undefined,
      undefined,
      undefined
    ])
  })

  it('falls back to the working folder and the system temp folder', () => {
    const plan = planOf(valid, { GITHUB_WORKSPACE: '', RUNNER_TEMP: '' })
    expect([plan.settings.workspace, plan.settings.tempDir]).toEqual([process.cwd(), os.tmpdir()])
  })

  it('applies action.yml’s defaults to absent inputs, and shortens only those to a short timeout', () => {
    expect(planOf({ ...valid, timeout: '1s' }).deployments[0]).toMatchObject({
      pollIntervalMs: 1000,
      maxPollIntervalMs: 1000
    })
    expect(
      problemsOf({ ...valid, timeout: '1s', 'poll-interval': '2s', 'max-poll-interval': '30s' })
    ).toEqual([
      "input 'poll-interval' '2s': must not be longer than timeout (1s): use at most 1s",
      "input 'max-poll-interval' '30s': must not be longer than timeout (1s): use at most 1s"
    ])
  })

  it('hands every credential to onCredentials before anything else can print', () => {
    const seen: unknown[] = []
    planOf(
      {
        ...valid,
        platform: 'flexdeploy',
        token: undefined,
        username: 'fd',
        password: 'pw',
        parameters: 'environmentId: 1'
      },
      ENV,
      {
        onCredentials: credentials => seen.push(credentials)
      }
    )
    expect(seen).toEqual([{ token: undefined, username: 'fd', password: 'pw' }])
  })

  it('gives the one deployment no needs', () => {
    expect(planOf(valid).deployments[0]?.needs).toEqual([])
  })

  it('asks for a platform unless config is given', () => {
    expect(problemsOf({ 'base-url': 'https://h' })).toEqual([
      "input 'platform': is required (one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy) unless config is given"
    ])
  })

  it('hands no credentials on when there is no deployment', () => {
    const seen: unknown[] = []
    const onCredentials = (credentials: unknown) => seen.push(credentials)
    expect(() => planOf({ 'base-url': 'https://h' }, ENV, { onCredentials })).toThrow(ActionError)
    expect(() => planOf({ config: 'missing.yml' }, ENV, { onCredentials })).toThrow(ActionError)
    expect(seen).toHaveLength(0)
  })

  it('refuses the deployments input without config', () => {
    expect(problemsOf({ ...valid, deployments: 'a, b' })).toEqual([
      "input 'deployments' 'a, b': is only used with config: it names deployments of the config file"
    ])
  })

  it('asks github-deployment for an environment and a token, and only it', () => {
    expect(problemsOf({ ...valid, 'github-deployment': 'true' })).toEqual(
      [
        "input 'environment': is required with github-deployment: true: the GitHub environment the deployment is for",
        "input 'github-token' (value hidden): is required with github-deployment: true (the default is ${{ github.token }})"
      ].map(line => line.replace(' (value hidden)', ''))
    )
    expect(problemsOf({ ...valid, 'github-deployment': 'true', environment: 'prod' })).toEqual([
      "input 'github-token': is required with github-deployment: true (the default is ${{ github.token }})"
    ])
    expect(planOf({ ...valid, 'github-deployment': 'false' }).settings.githubDeployment).toBe(false)
  })
})

describe('getPlan: deployments from a config file', () => {
  it('plans the file’s deployments with the step’s settings and the whole fleet', () => {
    const plan = planOf(
      withFile(`deployments:\n${EPM('a')}${EPM('b', '    needs: [a]\n')}`, { 'max-parallel': '2' })
    )
    expect(plan.deployments.map(deployment => deployment.name)).toEqual(['a', 'b'])
    expect(plan.settings).toMatchObject({ config: 'deploy.yml', maxParallel: 2 })
    expect(plan.fleet).toEqual([
      { name: 'a', platform: 'epmware', target: 'A', needs: [] },
      { name: 'b', platform: 'epmware', target: 'B', needs: ['a'] }
    ])
  })

  it('passes the step’s defaulted inputs under the file, but not one it refused', () => {
    const plan = planOf(
      withFile(`defaults: { timeout: 5m }\ndeployments:\n${EPM('a', '    wait: true\n')}`, {
        wait: 'false',
        'if-busy': 'await',
        timeout: '2m'
      })
    )
    expect(plan.deployments[0]).toMatchObject({ wait: true, ifBusy: 'await', timeoutMs: 300_000 })
    expect(
      planOf(withFile(`deployments:\n${EPM('a')}`, { 'cancel-on-abort': 'false' })).deployments[0]
        ?.cancelOnAbort
    ).toBe(false)
    expect(problemsOf(withFile(`deployments:\n${EPM('a')}`, { timeout: 'soon' }))).toEqual([
      "input 'timeout' 'soon': use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes"
    ])
  })

  it('refuses each deployment input that has no default, saying where it belongs', () => {
    expect(
      problemsOf(
        withFile(`deployments:\n${EPM('a')}`, {
          operation: 'run',
          target: 'X',
          password: 'pw-secret',
          artifacts: 'a.war'
        })
      )
    ).toEqual([
      "input 'operation' 'run': with config, only operation: await is an input (with task-id); write the others in the config file",
      "input 'target' 'X': is not used with config: write it in the config file (credentials as ${{ env.NAME }})",
      "input 'password' (value hidden): is not used with config: write it in the config file (credentials as ${{ env.NAME }})",
      "input 'artifacts' 'a.war': is not used with config: write it in the config file (credentials as ${{ env.NAME }})"
    ])
  })

  it('takes operation await and task-id beside config', () => {
    const plan = planOf(
      withFile(`deployments:\n${EPM('a')}${EPM('b')}`, { operation: 'await', 'task-id': 'a=17' })
    )
    expect(plan.deployments).toHaveLength(1)
    expect(plan.deployments[0]).toMatchObject({ name: 'a', operation: 'await', taskId: '17' })
    expect(plan.notes).toEqual(['b: not awaited, the task-id input names no job for it'])
    expect(problemsOf(withFile(`deployments:\n${EPM('a')}`, { 'task-id': 'a=17' }))).toEqual([
      "input 'task-id' 'a=17': is not used with config: write it in the config file (credentials as ${{ env.NAME }})"
    ])
  })

  it('refuses the other deployment inputs beside config with operation await too', () => {
    expect(
      problemsOf(withFile(`deployments:\n${EPM('a')}`, { operation: 'await', 'task-id': 'a=1', target: 'X' }))
    ).toEqual([
      "input 'target' 'X': is not used with config: write it in the config file (credentials as ${{ env.NAME }})"
    ])
  })

  it('asks await beside config for the jobs to follow', () => {
    expect(problemsOf(withFile(`deployments:\n${EPM('a')}`, { operation: 'await' }))).toEqual([
      "input 'task-id': is required with operation: await: the results output of the step that started the jobs, or name=id pairs"
    ])
    expect(
      problemsOf(withFile(`deployments:\n${EPM('a')}`, { operation: 'await', 'task-id': '17' }))
    ).toEqual([
      "input 'task-id' '17': '17' is not name=id; with config, give the results output of the step that started the jobs, or name=id pairs"
    ])
  })

  it('names a config file that cannot be read, and runs nothing', () => {
    expect(problemsOf({ config: 'missing.yml' })).toEqual([
      `input 'config' 'missing.yml': cannot read ${path.join(workspace, 'missing.yml')}; the path is relative to the workspace (GITHUB_WORKSPACE) — check out the repository first`
    ])
  })

  it('runs only the deployments the input names', () => {
    const plan = planOf(withFile(`deployments:\n${EPM('a')}${EPM('b')}`, { deployments: 'b' }))
    expect(plan.deployments.map(deployment => deployment.name)).toEqual(['b'])
    expect(plan.fleet?.map(entry => entry.name)).toEqual(['a', 'b'])
  })

  it('gives each deployment the step’s dry-run', () => {
    expect(planOf(withFile(`deployments:\n${EPM('a')}`, { 'dry-run': 'true' })).deployments[0]?.dryRun).toBe(
      true
    )
  })
})
