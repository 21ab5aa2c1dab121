import { describe, expect, it } from '@jest/globals'
import * as z from '../../src/zod.js'
import { definitionOf } from '../../src/drivers/index.js'
import { buildDeployment, parameterProblems, type DeploymentExtras } from '../../src/inputs/deployment.js'
import type { InputProblem } from '../../src/inputs/problems.js'
import type { DeploymentInputs } from '../../src/inputs/schema.js'

type Inputs = Omit<DeploymentInputs, 'parameters'>

/** EPMware's inputs as the schema parses them: what buildDeployment receives. */
const epmware: Inputs = {
  platform: 'epmware',
  'base-url': 'https://epm.example.com',
  operation: undefined,
  target: 'ASOALL',
  token: 'tok-1',
  username: undefined,
  password: undefined,
  artifacts: undefined,
  timeout: 60_000,
  'poll-interval': 2000,
  'max-poll-interval': 30_000,
  wait: true,
  'task-id': undefined,
  'cancel-on-timeout': true,
  'cancel-on-abort': true,
  'fail-on-noop': false,
  'if-busy': 'fail',
  'ca-certificate': undefined,
  'insecure-skip-tls-verify': false
}

const basic: Inputs = {
  ...epmware,
  platform: 'flexdeploy',
  target: '10001',
  token: undefined,
  username: 'fd',
  password: 'pw-1'
}

const extras: DeploymentExtras = { name: 'a', needs: [], dryRun: false, fromConfig: false }

function build(
  inputs: Inputs,
  more: Partial<DeploymentExtras> = {},
  parameters: Record<string, unknown> = inputs.platform === 'flexdeploy' && inputs.operation !== 'await'
    ? { environmentId: 11210 }
    : {},
  earlier: InputProblem[] = []
) {
  const problems = [...earlier]
  const deployment = buildDeployment(inputs, parameters, { ...extras, ...more }, problems)
  return { deployment, problems: problems.slice(earlier.length) }
}

describe('buildDeployment', () => {
  it('carries every field of the inputs into the deployment', () => {
    const { deployment, problems } = build(
      {
        ...epmware,
        operation: 'run',
        target: 'ASOALL_Account',
        artifacts: ['data/accounts.csv'],
        timeout: 600_000,
        'poll-interval': 5000,
        'max-poll-interval': 60_000,
        wait: false,
        'cancel-on-timeout': false,
        'cancel-on-abort': false,
        'fail-on-noop': true,
        'if-busy': 'await',
        'ca-certificate': 'PEM',
        'insecure-skip-tls-verify': true
      },
      { name: 'import', needs: ['b'], dryRun: true },
      { rollback: 'BACKOUT' }
    )
    expect(problems).toEqual([])
    expect(deployment).toEqual({
      name: 'import',
      platform: 'epmware',
      baseUrl: 'https://epm.example.com',
      operation: 'run',
      target: 'ASOALL_Account',
      parameters: { rollback: 'BACKOUT' },
      credentials: { token: 'tok-1', username: undefined, password: undefined },
      artifacts: ['data/accounts.csv'],
      taskId: undefined,
      timeoutMs: 600_000,
      pollIntervalMs: 5000,
      maxPollIntervalMs: 60_000,
      wait: false,
      cancelOnTimeout: false,
      cancelOnAbort: false,
      failOnNoop: true,
      ifBusy: 'await',
      dryRun: true,
      tls: { caCertificate: 'PEM', insecureSkipTlsVerify: true },
      needs: ['b']
    })
    const awaited = build({ ...basic, operation: 'await', 'task-id': '42' })
    expect(awaited.problems).toEqual([])
    expect(awaited.deployment).toMatchObject({
      operation: 'await',
      taskId: '42',
      artifacts: [],
      credentials: { token: undefined, username: 'fd', password: 'pw-1' }
    })
  })

  it('runs the platform’s default operation when none is given', () => {
    expect(build(epmware).deployment?.operation).toBe('run')
    expect(build(basic).deployment?.operation).toBe('deploy')
  })

  it('requires a platform and a base-url, naming the platforms and an example', () => {
    const none = build({ ...epmware, platform: undefined, 'base-url': undefined })
    expect(none).toEqual({
      deployment: undefined,
      problems: [
        {
          input: 'platform',
          problem:
            'is required (one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy) unless config is given'
        },
        { input: 'base-url', problem: "is required: the server's root, e.g. https://demo.epmwarecloud.com" }
      ]
    })
    expect(build({ ...epmware, platform: undefined }, { fromConfig: true }).problems).toEqual([
      {
        input: 'platform',
        problem: 'is required (one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy)'
      }
    ])
    const noUrl = build({ ...epmware, 'base-url': undefined })
    expect(noUrl.deployment?.baseUrl).toBe('')
    expect(noUrl.problems.map(problem => problem.input)).toEqual(['base-url'])
  })

  it('does not ask again for a field whose value was already refused', () => {
    const refused = [
      { input: 'platform', value: 'jenkins', problem: 'use one of …' },
      { input: 'base-url', value: 'ftp://h', problem: 'use an http:// or https:// URL' }
    ]
    expect(build({ ...epmware, platform: undefined, 'base-url': undefined }, {}, {}, refused)).toEqual({
      deployment: undefined,
      problems: []
    })
  })

  it('names the valid operations of the platform, await included', () => {
    expect(build({ ...epmware, operation: 'deploy' }).problems).toEqual([
      {
        input: 'operation',
        value: 'deploy',
        problem: 'is not an operation of epmware; use one of run, status, erp-import, export, await'
      }
    ])
    expect(build({ ...epmware, operation: 'status' }).problems).toEqual([])
  })

  it('asks a token platform for a token and refuses a username or password', () => {
    expect(build({ ...epmware, token: undefined, username: 'u', password: 'p' }).problems).toEqual([
      { input: 'token', problem: 'is required: EPMware authenticates with an API token' },
      { input: 'username', problem: 'is not used by epmware, which authenticates with token' },
      { input: 'password', problem: 'is not used by epmware, which authenticates with token' }
    ])
    expect(build({ ...epmware, password: 'p' }).problems).toEqual([
      { input: 'password', problem: 'is not used by epmware, which authenticates with token' }
    ])
  })

  it('asks a Basic platform for username and password and refuses a token', () => {
    expect(build({ ...basic, username: undefined, password: undefined, token: 't' }).problems).toEqual([
      { input: 'username', problem: 'is required: FlexDeploy uses HTTP Basic authentication' },
      { input: 'password', problem: 'is required: FlexDeploy uses HTTP Basic authentication' },
      {
        input: 'token',
        problem: 'is not used by flexdeploy, which authenticates with username and password'
      }
    ])
    expect(build({ ...basic, username: undefined }).problems).toEqual([
      { input: 'username', problem: 'is required: FlexDeploy uses HTTP Basic authentication' }
    ])
  })

  it('asks await for a task-id and refuses one without await', () => {
    expect(build({ ...basic, operation: 'await' }).problems).toEqual([
      {
        input: 'task-id',
        problem: 'is required with operation: await (the task-id output of the step that started the job)'
      }
    ])
    expect(build({ ...basic, 'task-id': '7' }).problems).toEqual([
      { input: 'task-id', value: '7', problem: 'is only used with operation: await' }
    ])
  })

  it('refuses a line break in operation, target and task-id, naming the value', () => {
    const { problems } = build({ ...basic, operation: 'await\r', target: 'a\nb', 'task-id': '1\n2' })
    const oneLine = 'must be one line but holds a line break (CR or LF)'
    expect(problems.slice(0, 3)).toEqual([
      { input: 'operation', value: 'await\r', problem: oneLine },
      { input: 'target', value: 'a\nb', problem: oneLine },
      { input: 'task-id', value: '1\n2', problem: oneLine }
    ])
  })

  it('ends with the platform’s own checks', () => {
    expect(build({ ...epmware, target: undefined }).problems).toEqual([
      {
        input: 'target',
        problem: 'is required for epmware run: the deployment configuration name, e.g. ASOALL'
      }
    ])
  })
})

describe('poll intervals against the timeout', () => {
  const timed = (timeout: number, poll: number, max: number): Inputs => ({
    ...epmware,
    timeout,
    'poll-interval': poll,
    'max-poll-interval': max
  })
  const intervals = (result: ReturnType<typeof build>) => [
    result.deployment?.pollIntervalMs,
    result.deployment?.maxPollIntervalMs
  ]

  it('takes intervals as long as the timeout', () => {
    const result = build(timed(10_000, 10_000, 10_000))
    expect(result.problems).toEqual([])
    expect(intervals(result)).toEqual([10_000, 10_000])
  })

  it('shortens a defaulted interval to a shorter timeout', () => {
    const both = build(timed(1000, 2000, 30_000), {
      defaulted: new Set(['poll-interval', 'max-poll-interval'])
    })
    expect(both.problems).toEqual([])
    expect(intervals(both)).toEqual([1000, 1000])
    const max = build(timed(5000, 2000, 30_000), { defaulted: new Set(['max-poll-interval']) })
    expect(max.problems).toEqual([])
    expect(intervals(max)).toEqual([2000, 5000])
  })

  it('refuses an interval the user wrote longer than the timeout, naming what would fit', () => {
    const result = build(timed(10_000, 20_000, 60_000), { defaulted: new Set(['poll-interval']) })
    expect(result.problems).toEqual([
      {
        input: 'max-poll-interval',
        value: '1m',
        problem: 'must not be longer than timeout (10s): use at most 10s'
      }
    ])
    expect(intervals(result)).toEqual([10_000, 60_000])
    expect(build(timed(10_000, 90_000, 60_000)).problems.map(problem => problem.input)).toEqual([
      'poll-interval',
      'max-poll-interval',
      'poll-interval'
    ])
  })

  it('refuses a first interval longer than the longest', () => {
    expect(build(timed(600_000, 30_001, 30_000)).problems).toEqual([
      {
        input: 'poll-interval',
        value: '30s',
        problem: 'must not be longer than max-poll-interval (30s)'
      }
    ])
    expect(build(timed(600_000, 90_000, 60_000)).problems).toEqual([
      {
        input: 'poll-interval',
        value: '1m30s',
        problem: 'must not be longer than max-poll-interval (1m)'
      }
    ])
  })
})

describe('parameterProblems', () => {
  const definition = definitionOf('epmware')

  it('gives back the parsed parameters when they are valid', () => {
    expect(parameterProblems(definition, { rollback: '  BACKOUT ' })).toEqual({
      value: { rollback: 'BACKOUT' },
      problems: []
    })
  })

  it('names each unknown key with the valid ones, and a bad value with its key', () => {
    const value = { rolback: 'X', other: 1, delimiter_char: ';;' }
    expect(parameterProblems(definition, value)).toEqual({
      value,
      problems: [
        {
          input: 'parameters',
          key: 'rolback',
          problem:
            "unknown key 'rolback' for epmware; valid keys: rollback, delimiter_char, enclosing_char, book_name"
        },
        {
          input: 'parameters',
          key: 'other',
          problem:
            "unknown key 'other' for epmware; valid keys: rollback, delimiter_char, enclosing_char, book_name"
        },
        {
          input: 'parameters',
          key: 'delimiter_char',
          value: 'delimiter_char: ";;"',
          problem: 'delimiter_char must be exactly one character, e.g. ","'
        }
      ].sort((a, b) => (a.key === 'delimiter_char' ? -1 : b.key === 'delimiter_char' ? 1 : 0))
    })
  })

  it('says a platform without parameters takes none', () => {
    const none = { ...definition, platform: 'epmware' as const, parameters: z.strictObject({}) }
    expect(parameterProblems(none, { x: 1 }).problems).toEqual([
      {
        input: 'parameters',
        key: 'x',
        problem: "unknown key 'x' for epmware; valid keys: none (epmware takes no parameters)"
      }
    ])
  })

  it('shows a nested value by its whole path, and a problem of the whole by no key', () => {
    const nested = {
      ...definition,
      parameters: z.strictObject({ outer: z.strictObject({ inner: z.number() }) })
    }
    expect(parameterProblems(nested, { outer: { inner: 'x' } }).problems).toEqual([
      {
        input: 'parameters',
        key: 'outer',
        value: 'outer.inner: "x"',
        problem: 'Invalid input: expected number, received string'
      }
    ])
    const whole = {
      ...definition,
      parameters: z
        .strictObject({ a: z.optional(z.string()) })
        .check(z.refine(() => false, { error: 'not this set' }))
    } as unknown as typeof definition
    expect(parameterProblems(whole, { a: 'x' }).problems).toEqual([
      { input: 'parameters', key: undefined, value: undefined, problem: 'not this set' }
    ])
  })
})
