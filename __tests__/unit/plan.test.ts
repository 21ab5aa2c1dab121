import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { getPlan } from '../../src/inputs/plan.js'
import type { InputName } from '../../src/inputs/schema.js'

const valid: Partial<Record<InputName, string>> = {
  platform: 'epmware',
  'base-url': 'https://demo.epmwarecloud.com/',
  token: 'tok-123456',
  target: 'ASOALL'
}

function planOf(inputs: Partial<Record<InputName, string>>) {
  return getPlan(name => inputs[name], { RUNNER_TEMP: '/tmp/rt', GITHUB_WORKSPACE: '/ws' })
}

function problemsOf(inputs: Partial<Record<InputName, string>>): string {
  try {
    planOf(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    return (error as ActionError).message
  }
  throw new Error('expected the inputs to be refused')
}

describe('getPlan', () => {
  it('turns valid inputs into one deployment with the defaults applied', () => {
    const plan = planOf(valid)
    expect(plan.deployments).toHaveLength(1)
    const [deployment] = plan.deployments
    expect(deployment).toMatchObject({
      platform: 'epmware',
      baseUrl: 'https://demo.epmwarecloud.com',
      operation: 'run',
      target: 'ASOALL',
      timeoutMs: 3_600_000,
      pollIntervalMs: 2000,
      maxPollIntervalMs: 30_000,
      wait: true,
      cancelOnTimeout: true,
      failOnNoop: false,
      ifBusy: 'fail'
    })
    expect(plan.settings).toMatchObject({
      failOnError: true,
      logLines: 50,
      summary: true,
      tempDir: '/tmp/rt',
      workspace: '/ws'
    })
  })

  it('reports every problem at once, each naming the input, the value and what is valid', () => {
    const message = problemsOf({
      ...valid,
      timeout: '5x',
      wait: 'maybe',
      'log-lines': '-3',
      'base-url': 'ftp://host',
      parameters: 'nope: ['
    })
    expect(message).toMatch(/5 problems/)
    expect(message).toContain("input 'timeout' '5x': use a duration such as 90s, 30m, 2h, 1h30m")
    expect(message).toContain("input 'wait' 'maybe': use true or false")
    expect(message).toContain("input 'log-lines' '-3': use a whole number from 0 to 1000")
    expect(message).toContain("input 'base-url' 'ftp://host': use an http:// or https:// URL")
    expect(message).toMatch(/input 'parameters' 'nope: \[' \(line 1, column 8\): is not valid YAML or JSON/)
  })

  it('lists the valid operations and parameter keys of the platform', () => {
    const message = problemsOf({ ...valid, operation: 'deploy', parameters: 'rolback: X' })
    expect(message).toContain(
      "input 'operation' 'deploy': is not an operation of epmware; use one of run, status, erp-import, export, await"
    )
    expect(message).toContain(
      "unknown key 'rolback' for epmware; valid keys: rollback, delimiter_char, enclosing_char, book_name"
    )
  })

  it('requires platform, base-url, token and target', () => {
    const message = problemsOf({})
    expect(message).toContain("input 'platform': is required")
    expect(message).toContain("input 'base-url': is required")
    const epmware = problemsOf({ platform: 'epmware', 'base-url': 'https://h' })
    expect(epmware).toContain("input 'token': is required")
    expect(epmware).toContain("input 'target': is required")
  })

  it('never shows a secret value in a problem', () => {
    const message = problemsOf({ ...valid, username: 'bob', password: 'hunter2-secret' })
    expect(message).toContain("input 'password': is not used by epmware")
    expect(message).not.toContain('hunter2-secret')
  })

  it('refuses a base-url with user info naming only its scheme and host', () => {
    const message = problemsOf({ ...valid, 'base-url': 'https://user:Pa55word@host.example:8443/epm?x=1' })
    expect(message).toContain("input 'base-url' 'https://host.example:8443'")
    expect(message).not.toMatch(/Pa55word|user:/)
  })

  it('shows a refused value that holds a known credential as ***', () => {
    let message = ''
    try {
      getPlan(
        name => ({ ...valid, target: 'x', timeout: 'tok-123456-later' })[name],
        {},
        {
          conceals: value => value.includes('tok-123456')
        }
      )
    } catch (error) {
      message = (error as ActionError).message
    }
    expect(message).toContain("input 'timeout' '***'")
    expect(message).not.toContain('later')
  })

  it('checks await against task-id', () => {
    expect(problemsOf({ ...valid, operation: 'await' })).toContain(
      "input 'task-id': is required with operation: await"
    )
    expect(problemsOf({ ...valid, 'task-id': '12' })).toContain(
      "input 'task-id' '12': is only used with operation: await"
    )
    expect(
      planOf({ ...valid, operation: 'await', 'task-id': '12', target: undefined }).deployments[0]?.taskId
    ).toBe('12')
  })

  it('refuses a poll interval longer than its maximum', () => {
    expect(problemsOf({ ...valid, 'poll-interval': '1m', 'max-poll-interval': '30s' })).toContain(
      'must not be longer than max-poll-interval'
    )
  })

  it('refuses a timeout above 6 days, naming the value and the longest one', () => {
    for (const timeout of ['99999999h', '145h', '8641m', '9'.repeat(400)]) {
      const message = problemsOf({ ...valid, timeout })
      expect(message).toContain('The inputs have 1 problem:')
      expect(message).toContain(
        `input 'timeout' '${timeout.slice(0, 80)}${timeout.length > 80 ? '…' : ''}': must be at most 144h (6 days, longer than GitHub lets any job run); use e.g. 30m, 2h or 144h`
      )
    }
    expect(planOf({ ...valid, timeout: '144h' }).deployments[0]?.timeoutMs).toBe(6 * 24 * 3_600_000)
  })

  it('refuses poll intervals longer than the timeout, all at once, and fits the defaults to a short one', () => {
    const message = problemsOf({
      ...valid,
      timeout: '10s',
      'poll-interval': '20s',
      'max-poll-interval': '1m',
      'log-lines': 'many'
    })
    expect(message).toContain('The inputs have 3 problems:')
    expect(message).toContain(
      "input 'poll-interval' '20s': must not be longer than timeout (10s): use at most 10s"
    )
    expect(message).toContain(
      "input 'max-poll-interval' '1m': must not be longer than timeout (10s): use at most 10s"
    )
    expect(message).toContain("input 'log-lines' 'many'")
    expect(problemsOf({ ...valid, timeout: '10s', 'max-poll-interval': '30s' })).toContain(
      "input 'max-poll-interval' '30s': must not be longer than timeout (10s)"
    )
    const short = planOf({ ...valid, timeout: '1s' }).deployments[0]
    expect([short?.timeoutMs, short?.pollIntervalMs, short?.maxPollIntervalMs]).toEqual([1000, 1000, 1000])
  })

  it('refuses a line break inside a single-line input, but trims one at the end', () => {
    const message = problemsOf({
      ...valid,
      target: 'ASOALL\nOTHER',
      'base-url': 'https://demo.epmwarecloud.com\n.evil.example'
    })
    expect(message).toContain('The inputs have 2 problems:')
    expect(message).toContain(
      "input 'target' 'ASOALL OTHER': must be one line but holds a line break (CR or LF)"
    )
    expect(message).toContain(
      "input 'base-url' 'https://demo.epmwarecloud.com .evil.example': must be one line but holds a line break (CR or LF)"
    )
    expect(problemsOf({ ...valid, operation: 'await', target: undefined, 'task-id': '12\r\n13' })).toContain(
      "input 'task-id' '12 13': must be one line but holds a line break (CR or LF)"
    )
    expect(planOf({ ...valid, target: 'ASOALL\n' }).deployments[0]?.target).toBe('ASOALL')
  })

  it('marks a dry run, and asks github-deployment for an environment and a token', () => {
    expect(planOf({ ...valid, 'dry-run': 'true' }).deployments[0]?.dryRun).toBe(true)
    const message = problemsOf({ ...valid, 'github-deployment': 'true' })
    expect(message).toContain("input 'environment': is required with github-deployment: true")
    expect(message).toContain("input 'github-token': is required with github-deployment: true")
    const plan = planOf({ ...valid, 'github-deployment': 'true', environment: 'prod', 'github-token': 'ght' })
    expect(plan.settings).toMatchObject({ githubDeployment: true, environment: 'prod', githubToken: 'ght' })
  })

  it('refuses a ca-certificate or config path that is not a regular file, without reading it', () => {
    expect(problemsOf({ ...valid, 'ca-certificate': '/dev/zero' })).toContain(
      '/dev/zero is not a regular file'
    )
    expect(problemsOf({ config: '/dev/zero' })).toContain('/dev/zero is not a regular file')
  })

  it('reads ca-certificate as PEM text or as a file path', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    expect(planOf({ ...valid, 'ca-certificate': pem }).deployments[0]?.tls.caCertificate).toBe(pem)
    expect(problemsOf({ ...valid, 'ca-certificate': 'certs/missing.pem' })).toContain(
      "input 'ca-certificate' 'certs/missing.pem': is neither PEM text nor the path of a readable PEM file"
    )
  })

  it('refuses credentials in the URL and rollback to the same deployment', () => {
    expect(problemsOf({ ...valid, 'base-url': 'https://u:p@host' })).toContain(
      'put credentials in username/password'
    )
    expect(problemsOf({ ...valid, parameters: 'rollback: ASOALL' })).toContain(
      'rollback must name a different deployment'
    )
  })
})
