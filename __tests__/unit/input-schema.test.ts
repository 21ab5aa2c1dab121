import { describe, expect, it } from '@jest/globals'
import {
  ActionInputsSchema,
  CREDENTIAL_INPUTS,
  DEPLOYMENT_INPUTS,
  DeploymentSchema,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  MAX_TIMEOUT_MS,
  PLATFORMS,
  PlanSchema,
  PlatformSchema,
  SettingsSchema
} from '../../src/inputs/schema.js'

type Shape = typeof ActionInputsSchema.shape

/** One input parsed from its string form: the value, or the messages of its problems. */
function parse(name: keyof Shape, text: string | undefined): { value?: unknown; problems?: string[] } {
  const result = ActionInputsSchema.shape[name].safeParse(text)
  return result.success
    ? { value: result.data }
    : { problems: result.error.issues.map(issue => issue.message) }
}

const DURATION_EXAMPLES = 'use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes'

describe('the action inputs schema', () => {
  it('knows the five platforms, in the contract’s order, whatever their case and spaces', () => {
    expect(PLATFORMS).toEqual(['epmware', 'mule-mmc', 'bmc-rpm', 'mobilefirst', 'flexdeploy'])
    expect(PlatformSchema.options).toEqual([...PLATFORMS])
    for (const platform of PLATFORMS)
      expect(parse('platform', ` ${platform.toUpperCase()} `)).toEqual({ value: platform })
    expect(parse('platform', 'jenkins')).toEqual({
      problems: ['use one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy']
    })
    expect(parse('platform', undefined)).toEqual({ value: undefined })
  })

  it('holds the defaults action.yml declares, by value', () => {
    expect(INPUT_DEFAULTS).toEqual({
      timeout: '60m',
      'poll-interval': '2s',
      'max-poll-interval': '30s',
      wait: 'true',
      'cancel-on-timeout': 'true',
      'cancel-on-abort': 'true',
      'fail-on-noop': 'false',
      'if-busy': 'fail',
      'fail-on-error': 'true',
      'log-lines': '50',
      summary: 'true',
      'insecure-skip-tls-verify': 'false',
      'dry-run': 'false',
      'max-parallel': '4',
      'github-deployment': 'false'
    })
  })

  it('lists every input, the deployment inputs and the credentials by name', () => {
    expect(INPUT_NAMES).toEqual([
      'platform',
      'base-url',
      'operation',
      'target',
      'parameters',
      'token',
      'username',
      'password',
      'artifacts',
      'timeout',
      'poll-interval',
      'max-poll-interval',
      'wait',
      'task-id',
      'cancel-on-timeout',
      'cancel-on-abort',
      'fail-on-noop',
      'if-busy',
      'fail-on-error',
      'log-lines',
      'summary',
      'ca-certificate',
      'insecure-skip-tls-verify',
      'dry-run',
      'config',
      'environment',
      'max-parallel',
      'deployments',
      'github-token',
      'github-deployment'
    ])
    expect(DEPLOYMENT_INPUTS).toEqual([
      'platform',
      'base-url',
      'operation',
      'target',
      'parameters',
      'token',
      'username',
      'password',
      'artifacts',
      'timeout',
      'poll-interval',
      'max-poll-interval',
      'wait',
      'task-id',
      'cancel-on-timeout',
      'cancel-on-abort',
      'fail-on-noop',
      'if-busy',
      'ca-certificate',
      'insecure-skip-tls-verify'
    ])
    expect(CREDENTIAL_INPUTS).toEqual(['token', 'username', 'password'])
  })

  it('reads true and false in any case, with spaces around, and nothing else', () => {
    for (const name of [
      'wait',
      'cancel-on-timeout',
      'cancel-on-abort',
      'fail-on-noop',
      'fail-on-error',
      'summary',
      'insecure-skip-tls-verify',
      'dry-run',
      'github-deployment'
    ] as const) {
      expect(parse(name, ' TRUE ')).toEqual({ value: true })
      expect(parse(name, 'False\n')).toEqual({ value: false })
      for (const bad of ['yes', '1', '', 'constructor', 'toString'])
        expect(parse(name, bad)).toEqual({ problems: ['use true or false'] })
    }
  })

  it('reads durations; the timeout at most 6 days, the intervals any finite length', () => {
    expect(MAX_TIMEOUT_MS).toBe(518_400_000)
    expect(parse('timeout', ' 90S ')).toEqual({ value: 90_000 })
    expect(parse('timeout', '144h')).toEqual({ value: MAX_TIMEOUT_MS })
    expect(parse('timeout', '1ms')).toEqual({ value: 1 })
    const tooLong = [
      'must be at most 144h (6 days, longer than GitHub lets any job run); use e.g. 30m, 2h or 144h'
    ]
    expect(parse('timeout', '518400001ms')).toEqual({ problems: tooLong })
    expect(parse('timeout', '9'.repeat(400))).toEqual({ problems: tooLong })
    for (const bad of ['0', '0s', 'soon', '', '-5m'])
      expect(parse('timeout', bad)).toEqual({ problems: [DURATION_EXAMPLES] })
    for (const name of ['poll-interval', 'max-poll-interval'] as const) {
      expect(parse(name, '200h')).toEqual({ value: 720_000_000 })
      expect(parse(name, '1ms')).toEqual({ value: 1 })
      expect(parse(name, '9'.repeat(400))).toEqual({ problems: [DURATION_EXAMPLES] })
      expect(parse(name, '0')).toEqual({ problems: [DURATION_EXAMPLES] })
    }
  })

  it('reads whole numbers within their bounds, each bound included', () => {
    expect(parse('log-lines', ' 0 ')).toEqual({ value: 0 })
    expect(parse('log-lines', '1000')).toEqual({ value: 1000 })
    for (const bad of ['1001', '-1', '1.5', '1e3', 'ten', '', '0x10'])
      expect(parse('log-lines', bad)).toEqual({ problems: ['use a whole number from 0 to 1000'] })
    expect(parse('max-parallel', '1')).toEqual({ value: 1 })
    expect(parse('max-parallel', '64')).toEqual({ value: 64 })
    for (const bad of ['0', '65'])
      expect(parse('max-parallel', bad)).toEqual({ problems: ['use a whole number from 1 to 64'] })
  })

  it('reads base-url as an http(s) server root without trailing slashes', () => {
    expect(parse('base-url', ' https://h.example:8443/ctx/// ')).toEqual({
      value: 'https://h.example:8443/ctx'
    })
    expect(parse('base-url', 'http://h.example')).toEqual({ value: 'http://h.example' })
    expect(parse('base-url', 'https://h/a\nb')).toEqual({
      problems: ['must be one line but holds a line break (CR or LF)']
    })
    expect(parse('base-url', 'https://h/a\rb')).toEqual({
      problems: ['must be one line but holds a line break (CR or LF)']
    })
    expect(parse('base-url', 'https://h/\n')).toEqual({ value: 'https://h' })
    // trim() takes what the URL parser keeps: a no-break space pasted around the address
    expect(parse('base-url', '\u00a0https://h.example/ctx\u2003')).toEqual({ value: 'https://h.example/ctx' })
    expect(parse('base-url', 'h.example/ctx')).toEqual({
      problems: ['use an absolute http:// or https:// URL, e.g. https://host/context']
    })
    expect(parse('base-url', 'ftp://h.example')).toEqual({ problems: ['use an http:// or https:// URL'] })
    const credentials = ['put credentials in username/password or token, not in the URL']
    expect(parse('base-url', 'https://user@h.example')).toEqual({ problems: credentials })
    expect(parse('base-url', 'https://:pw@h.example')).toEqual({ problems: credentials })
    const query = ['use the server root without a query string or fragment']
    expect(parse('base-url', 'https://h.example/?a=1')).toEqual({ problems: query })
    expect(parse('base-url', 'https://h.example/#top')).toEqual({ problems: query })
  })

  it('reads lists split on commas and line breaks, trimmed, without empty items', () => {
    expect(parse('artifacts', ' a.war, b/*.jar\n\n c.apk ,')).toEqual({
      value: ['a.war', 'b/*.jar', 'c.apk']
    })
    expect(parse('deployments', 'x;y')).toEqual({ value: ['x;y'] })
  })

  it('trims the text inputs, and keeps credentials and parameters as written', () => {
    for (const name of ['operation', 'target', 'task-id', 'config', 'environment'] as const)
      expect(parse(name, '  x y \n')).toEqual({ value: 'x y' })
    for (const name of [
      'parameters',
      'token',
      'username',
      'password',
      'ca-certificate',
      'github-token'
    ] as const)
      expect(parse(name, ' x \n')).toEqual({ value: ' x \n' })
  })

  it('reads if-busy as fail or await in any case', () => {
    expect(parse('if-busy', ' AWAIT ')).toEqual({ value: 'await' })
    expect(parse('if-busy', 'Fail')).toEqual({ value: 'fail' })
    expect(parse('if-busy', 'wait')).toEqual({ problems: ['use fail or await'] })
  })
})

describe('the plan schema', () => {
  const deployment = {
    name: 'a',
    platform: 'epmware',
    baseUrl: 'https://h',
    operation: 'run',
    parameters: {},
    credentials: { token: 't' },
    artifacts: [],
    timeoutMs: 1000,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 1000,
    wait: true,
    cancelOnTimeout: true,
    cancelOnAbort: true,
    failOnNoop: false,
    ifBusy: 'fail',
    dryRun: false,
    tls: { insecureSkipTlsVerify: false },
    needs: []
  }
  const settings = {
    failOnError: true,
    logLines: 0,
    summary: true,
    maxParallel: 1,
    githubDeployment: false,
    workspace: '/ws',
    tempDir: '/tmp'
  }

  it('keeps every field of a deployment and the settings', () => {
    const full = {
      ...deployment,
      target: 'T',
      taskId: '7',
      credentials: { token: 't', username: 'u', password: 'p' },
      tls: { caCertificate: 'PEM', insecureSkipTlsVerify: true },
      ifBusy: 'await'
    }
    expect(DeploymentSchema.parse(full)).toEqual(full)
    const allSettings = { ...settings, environment: 'prod', githubToken: 'g', config: 'c.yml' }
    expect(SettingsSchema.parse(allSettings)).toEqual(allSettings)
    const fleet = [{ name: 'a', platform: 'epmware', target: 'T', needs: ['b'] }]
    expect(PlanSchema.parse({ deployments: [deployment], settings, fleet })).toEqual({
      deployments: [deployment],
      settings,
      fleet
    })
  })

  it('refuses a plan without deployments and times that are not positive whole numbers', () => {
    expect(PlanSchema.safeParse({ deployments: [], settings }).success).toBe(false)
    for (const field of ['timeoutMs', 'pollIntervalMs', 'maxPollIntervalMs'])
      for (const bad of [0, -1, 1.5])
        expect(DeploymentSchema.safeParse({ ...deployment, [field]: bad }).success).toBe(false)
    expect(DeploymentSchema.safeParse({ ...deployment, ifBusy: 'retry' }).success).toBe(false)
    expect(SettingsSchema.safeParse({ ...settings, logLines: -1 }).success).toBe(false)
    expect(SettingsSchema.safeParse({ ...settings, maxParallel: 0 }).success).toBe(false)
  })
})
