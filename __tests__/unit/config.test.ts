import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { substituteEnv } from '../../src/inputs/env-references.js'
import { getPlan } from '../../src/inputs/plan.js'
import type { InputName } from '../../src/inputs/schema.js'
import { parseTaskIds } from '../../src/inputs/task-ids.js'
import { tempDirSync } from '../fixtures/temp.js'

const workspace = tempDirSync('ed-config-unit-')
const ENV = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: '/tmp/rt', EPM_TOKEN: 'tok-from-env-123' }

function planFor(
  text: string,
  inputs: Partial<Record<InputName, string>> = {},
  env: NodeJS.ProcessEnv = ENV
) {
  writeFileSync(path.join(workspace, 'deployments.yml'), text)
  const all: Partial<Record<InputName, string>> = { config: 'deployments.yml', ...inputs }
  return getPlan(name => all[name], env)
}

function problemsFor(
  text: string,
  inputs: Partial<Record<InputName, string>> = {},
  env: NodeJS.ProcessEnv = ENV
): string {
  try {
    planFor(text, inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    return (error as ActionError).message
  }
  throw new Error('expected the config to be refused')
}

const EPM = (name: string, extra = '') =>
  `  - name: ${name}\n    platform: epmware\n    base-url: https://epm.example.com\n    token: \${{ env.EPM_TOKEN }}\n    target: ${name.toUpperCase()}\n${extra}`

describe('config file', () => {
  it('turns entries into deployments through the same checks as the inputs', () => {
    const plan = planFor(
      `deployments:\n${EPM('a')}${EPM('b', '    needs: [a]\n    wait: false\n    timeout: 90\n')}`
    )
    expect(
      plan.deployments.map(deployment => [deployment.name, deployment.target, deployment.needs])
    ).toEqual([
      ['a', 'A', []],
      ['b', 'B', ['a']]
    ])
    expect(plan.deployments[1]).toMatchObject({
      platform: 'epmware',
      baseUrl: 'https://epm.example.com',
      operation: 'run',
      wait: false,
      timeoutMs: 90 * 60_000,
      credentials: { token: 'tok-from-env-123' }
    })
    expect(plan.settings.config).toBe('deployments.yml')
  })

  it('merges step inputs, then defaults, then the entry, then its environment', () => {
    const plan = planFor(
      [
        'defaults: { timeout: 45m, poll-interval: 5s, parameters: { rollback: SHARED_BACKOUT } }',
        'deployments:',
        EPM(
          'a',
          '    timeout: 10m\n    environments:\n      dev: {}\n      prod: { target: A_PROD, timeout: 2h, rollback: A_BACKOUT }\n'
        ),
        EPM('b', '    environments: [dev]\n'),
        EPM('c')
      ].join('\n'),
      { environment: 'prod', 'max-poll-interval': '1m' }
    )
    expect(plan.deployments.map(deployment => deployment.name)).toEqual(['a', 'c'])
    expect(plan.deployments[0]).toMatchObject({
      target: 'A_PROD',
      timeoutMs: 2 * 3_600_000,
      pollIntervalMs: 5000,
      maxPollIntervalMs: 60_000,
      parameters: { rollback: 'A_BACKOUT' }
    })
    expect(plan.deployments[1]).toMatchObject({
      target: 'C',
      timeoutMs: 45 * 60_000,
      parameters: { rollback: 'SHARED_BACKOUT' }
    })
  })

  it('names the file, line and column of every problem at once', () => {
    const message = problemsFor(
      [
        'deployments:',
        EPM('a', '    timeout: soon\n    parameters: { rolback: X }\n'),
        '  - name: b',
        '    platform: epmwar',
        '    colour: blue'
      ].join('\n')
    )
    expect(message).toContain(
      "deployments[1] 'b' field 'platform' 'epmwar' (deployments.yml:11:15): use one of epmware"
    )
    expect(message).toContain(
      "deployments[1] 'b' field 'colour' (deployments.yml:12:5): unknown field 'colour'; valid fields: name,"
    )
  })

  it('reports problems of the resolved entries with where they were written', () => {
    const message = problemsFor(
      [
        'defaults:',
        '  timeout: soon',
        'deployments:',
        EPM('a', '    parameters: { rolback: X }\n    environments: { prod: { colour: 1 } }\n')
      ].join('\n'),
      { environment: 'prod' }
    )
    expect(message).toContain(
      "deployments[0] 'a' field 'timeout' 'soon' (deployments.yml:2:12): use a duration"
    )
    expect(message).toContain(
      "deployments[0] 'a' field 'parameters' (deployments.yml:9:19): unknown key 'rolback' for epmware"
    )
    expect(message).toMatch(
      /deployments\[0\] 'a' field 'environments\.prod\.colour' \(deployments\.yml:10:29\): is neither a field of a deployment .* nor a parameter of epmware \(rollback, delimiter_char, enclosing_char, book_name\)/
    )
  })

  it('names a YAML syntax error and a duplicate key by line and column', () => {
    expect(problemsFor('deployments:\n  - name: a\n    target: [x\n')).toMatch(
      /input 'config' \(deployments\.yml:\d+:\d+\): is not valid YAML/
    )
    expect(problemsFor(`deployments:\n${EPM('a')}    target: again\n`)).toMatch(
      /input 'config' \(deployments\.yml:7:5\): is not valid YAML: Map keys must be unique/
    )
  })

  it('names nesting too deep, an alias bomb and an alias to nothing by line and column, with the others', () => {
    const deep = problemsFor(
      `deployments:\n${EPM('a', `    parameters:\n      rollback: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)}`
    )
    expect(deep).toMatch(
      /^The inputs have 1 problem:\n {2}- input 'config' \(deployments\.yml:8:\d+\): is not valid YAML: nests collections more than 64 levels deep$/
    )
    const bomb = problemsFor(
      [
        'x: &a [x, x, x, x, x, x, x, x, x, x]',
        'y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'z: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        `deployments:\n${EPM('a')}`
      ].join('\n'),
      { timeout: 'soon' }
    )
    expect(bomb).toContain('The inputs have 2 problems:')
    expect(bomb).toContain("input 'timeout' 'soon': use a duration")
    expect(bomb).toContain(
      `input 'config' (deployments.yml:3:5): is not valid YAML: its aliases expand to more than 100 copies (a "billion laughs"?)`
    )
    expect(problemsFor(`deployments:\n${EPM('a')}    parameters: *gone\n`)).toMatch(
      /input 'config' \(deployments\.yml:7:17\): is not valid YAML: Unresolved alias.*gone/
    )
    const shared = planFor(`defaults: { max-poll-interval: &t 5m, timeout: *t }\ndeployments:\n${EPM('a')}`)
    expect(shared.deployments[0]?.timeoutMs).toBe(300_000)
  })

  it('refuses a single-line field that holds a line break once ${{ env.NAME }} is read', () => {
    const message = problemsFor(
      `deployments:\n${EPM('a').replace('target: A', 'target: ${{ env.TARGET }}').replace('base-url: https://epm.example.com', 'base-url: ${{ env.URL }}')}    operation: \${{ env.OP }}\n`,
      {},
      { ...ENV, TARGET: 'ASOALL\nrm -rf', URL: 'https://epm.example.com\r\n.evil', OP: 'run' }
    )
    expect(message).toContain('The inputs have 2 problems:')
    expect(message).toContain(
      "deployments[0] 'a' field 'base-url' 'https://epm.example.com .evil' (deployments.yml:4:15): must be one line but holds a line break (CR or LF) — from ${{ env.URL }}, a variable that holds more than one line"
    )
    expect(message).toContain(
      "deployments[0] 'a' field 'target' 'ASOALL rm -rf' (deployments.yml:6:13): must be one line but holds a line break (CR or LF) — from ${{ env.TARGET }}, a variable that holds more than one line"
    )
    expect(planFor(`deployments:\n${EPM('a')}`, {}, { ...ENV, EPM_TOKEN: 'tok\n' }).deployments).toHaveLength(
      1
    )
  })

  it('bounds timeout and the poll intervals in the file like the inputs', () => {
    const message = problemsFor(
      `defaults: { timeout: 10s, max-poll-interval: 1m }\ndeployments:\n${EPM('a', '    timeout: 200h\n')}${EPM('b', '    poll-interval: 20s\n')}`
    )
    expect(message).toContain('The inputs have 3 problems:')
    expect(message).toContain(
      "deployments[0] 'a' field 'timeout' '200h' (deployments.yml:8:14): must be at most 144h (6 days, longer than GitHub lets any job run)"
    )
    expect(message).toContain(
      "deployments[1] 'b' field 'poll-interval' '20s' (deployments.yml:14:20): must not be longer than timeout (10s): use at most 10s"
    )
    expect(message).toContain(
      "deployments[1] 'b' field 'max-poll-interval' '1m' (deployments.yml:1:46): must not be longer than timeout (10s)"
    )
    const short = planFor(`defaults: { timeout: 10s }\ndeployments:\n${EPM('a')}`).deployments[0]
    expect([short?.pollIntervalMs, short?.maxPollIntervalMs]).toEqual([2000, 10_000])
  })

  it('refuses literal credentials and credentials in defaults, and names a missing variable', () => {
    const literal = problemsFor(
      'deployments:\n  - name: a\n    platform: epmware\n    token: hunter2-secret\n'
    )
    expect(literal).toContain(
      "deployments[0] 'a' field 'token' (value hidden) (deployments.yml:4:12): credentials are never written"
    )
    expect(literal).not.toContain('hunter2-secret')
    expect(problemsFor(`defaults: { password: x }\ndeployments:\n${EPM('a')}`)).toContain(
      "defaults field 'password' (deployments.yml:1:13): credentials are not defaults"
    )
    const missing = problemsFor(`deployments:\n${EPM('a')}`, {}, { GITHUB_WORKSPACE: workspace })
    expect(missing).toContain(
      "deployments[0] 'a' field 'token' (deployments.yml:5:12): environment variable EPM_TOKEN is not set"
    )
    expect(missing).toMatch(/1 problem:/)
  })

  it('registers every credential it reads from the environment', () => {
    writeFileSync(path.join(workspace, 'deployments.yml'), `deployments:\n${EPM('a')}`)
    const seen: unknown[] = []
    getPlan(name => ({ config: 'deployments.yml' })[name as string], ENV, {
      onCredentials: c => seen.push(c)
    })
    expect(seen).toEqual([{ token: 'tok-from-env-123', username: undefined, password: undefined }])
  })

  it('asks for an environment when entries list some, and refuses one they do not list', () => {
    const file = `deployments:\n${EPM('a', '    environments: [dev, prod]\n')}${EPM('b')}`
    expect(problemsFor(file)).toContain(
      "input 'environment': is required: deployments.yml lists environments (dev, prod)"
    )
    expect(problemsFor(file, { environment: 'prd' })).toContain(
      "input 'environment' 'prd': is not an environment of deployments.yml; its environments: dev, prod"
    )
    expect(planFor(`deployments:\n${EPM('a')}`, { environment: 'anything' }).deployments).toHaveLength(1)
  })

  it('refuses deployment inputs given beside config, and duplicate names', () => {
    const message = problemsFor(`deployments:\n${EPM('a')}${EPM('a')}`, {
      platform: 'epmware',
      token: 'x-secret'
    })
    expect(message).toContain("input 'platform' 'epmware': is not used with config")
    expect(message).toContain("input 'token' (value hidden): is not used with config")
    expect(message).toContain(
      "deployments[1] 'a' field 'name' (deployments.yml:7:11): is also the name of deployments[0]"
    )
  })

  it('checks needs: unknown names and cycles, ignoring entries of other environments', () => {
    const message = problemsFor(
      `deployments:\n${EPM('a', '    needs: [c]\n')}${EPM('b', '    needs: [a, nope]\n')}${EPM('c', '    needs: [b]\n')}`
    )
    expect(message).toContain(
      "deployments[1] 'b' field 'needs' (deployments.yml:13:16): needs 'nope', which is not a deployment of this file"
    )
    expect(message).toContain(
      "deployments[0] 'a' field 'needs' (deployments.yml:7:12): needs form a cycle: a → c → b → a"
    )
    const plan = planFor(
      `deployments:\n${EPM('a', '    environments: [dev]\n')}${EPM('b', '    needs: [a]\n')}${EPM('c', '    environments: [prod]\n')}`,
      { environment: 'prod' }
    )
    expect(plan.deployments.map(deployment => deployment.name)).toEqual(['b', 'c'])
  })

  it('awaits the jobs named by task-id, and only those', () => {
    const ids = JSON.stringify([
      { name: 'a', 'task-id': '11' },
      { name: 'b', 'task-id': '' }
    ])
    const plan = planFor(`deployments:\n${EPM('a')}${EPM('b', '    needs: [a]\n')}`, {
      operation: 'await',
      'task-id': ids
    })
    expect(plan.deployments).toHaveLength(1)
    expect(plan.deployments[0]).toMatchObject({ name: 'a', operation: 'await', taskId: '11', needs: [] })
    expect(plan.notes).toEqual(['b: not awaited, the task-id input names no job for it'])
  })
})

describe('substituteEnv', () => {
  it('reads ${{ env.NAME }} anywhere in a value and names what is missing or not allowed', () => {
    expect(substituteEnv('https://${{ env.HOST }}/x', { HOST: 'h' }).value).toBe('https://h/x')
    expect(substituteEnv('${{env.A}}', {}).problems).toEqual([
      'environment variable A is not set; set it in the step’s env:, e.g. A: ${{ secrets.A }}'
    ])
    expect(substituteEnv('${{ env.A }}', { A: '' }).problems[0]).toMatch(/A is empty/)
    expect(substituteEnv('${{ secrets.TOKEN }}', {}).problems[0]).toMatch(
      /only \$\{\{ env\.NAME \}\} is read/
    )
  })
})

describe('parseTaskIds', () => {
  it('reads the results output or name=id pairs', () => {
    expect(parseTaskIds('[{"name":"a","task-id":"1"},{"name":"b","task-id":2}]').ids).toEqual(
      new Map([
        ['a', '1'],
        ['b', '2']
      ])
    )
    expect(parseTaskIds('a=1, b = 2\nc=3').ids.get('b')).toBe('2')
    expect(parseTaskIds('12345').problem).toMatch(/'12345' is not name=id/)
    expect(parseTaskIds('[{"x":1}]').problem).toMatch(/must be the results output/)
  })
})
