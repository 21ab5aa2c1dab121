import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { XMLParser } from 'fast-xml-parser'
import { startEpmwareSimulator, type EpmwareSimulator } from '../../simulator/index.js'
import { INPUT_NAMES } from '../../src/inputs/schema.js'
import { runCli, workflowCommandLines, type CliRun } from './run-cli.js'

// Every outcome of the command line, outside GitHub Actions, against the EPMware simulator.
const TOKEN = 'cli-outcome-token-93c1e7a0d5'
const TOKEN_BASE64 = Buffer.from(TOKEN).toString('base64')
let sim: EpmwareSimulator

beforeAll(async () => {
  sim = await startEpmwareSimulator({
    token: TOKEN,
    deployments: {
      ASOALL: { durationMs: 300 },
      HFM_PROD: {
        durationMs: 300,
        outcome: 'E',
        logLine: `connecting with Token ${TOKEN} (${TOKEN_BASE64})`
      },
      // One per test: EPMware cannot cancel a task, so a second trigger of the same one would be refused as busy.
      LONG_TIMEOUT: { durationMs: 60 * 60_000 },
      LONG_SIGINT: { durationMs: 60 * 60_000 },
      LONG_SIGTERM: { durationMs: 60 * 60_000 }
    }
  })
})

afterAll(() => sim.close())

beforeEach(() => {
  sim.requests.length = 0
})

const env = { ENTERPRISE_DEPLOY_TOKEN: TOKEN }
const base = () => [
  '--platform',
  'epmware',
  '--base-url',
  sim.url,
  '--poll-interval',
  '100ms',
  '--max-poll-interval',
  '300ms'
]
const files = [
  '--output-file',
  'out/outputs.json',
  '--junit',
  'out/junit.xml',
  '--summary-file',
  'out/summary.md'
]

/** No workflow command, and no secret in stdout, stderr or any file it wrote (`given` are the test's own). */
function expectPlainAndClean(run: CliRun, given: string[] = []): void {
  expect(workflowCommandLines(run.stdout)).toEqual([])
  expect(workflowCommandLines(run.stderr)).toEqual([])
  const wrote = Object.entries(run.files).filter(([name]) => !given.includes(name))
  expect(wrote.length).toBeGreaterThan(0)
  const written = [run.stdout, run.stderr, ...wrote.map(([, text]) => text)].join('\n')
  expect(written).not.toContain(TOKEN)
  expect(written).not.toContain(TOKEN_BASE64)
}

function outputsOf(run: CliRun): Record<string, string> {
  return JSON.parse(run.files['out/outputs.json'] ?? '{}') as Record<string, string>
}

function junitCase(run: CliRun): Record<string, unknown> {
  const junit = new XMLParser({ ignoreAttributes: false }).parse(run.files['out/junit.xml'] ?? '')
  return junit.testsuites.testsuite.testcase as Record<string, unknown>
}

describe('enterprise-deploy outcomes and exit codes', () => {
  it('exits 1 on a failed deployment, prints the scrubbed log tail, reports a JUnit failure', async () => {
    const run = await runCli([...base(), '--target', 'HFM_PROD', '--timeout', '20s', ...files], { env })
    expect(run.code).toBe(1)
    expect(outputsOf(run).status).toBe('failed')
    expect(run.stderr).toMatch(/^error: /m)
    expect(run.stderr).toContain('connecting with Token ***')
    expect(junitCase(run)).toMatchObject({ '@_name': 'HFM_PROD', failure: { '@_type': 'failed' } })
    expect(run.files['out/summary.md']).toMatch(/failed/)
    expectPlainAndClean(run)
  })

  it('exits 0 on a failure with fail-on-error false: the outputs say failed', async () => {
    const run = await runCli(
      [...base(), '--target', 'HFM_PROD', '--fail-on-error', 'false', '--output', 'json'],
      {
        env
      }
    )
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).status).toBe('failed')
    expectPlainAndClean(run)
  })

  it('exits 3 on a timeout, having asked the platform to cancel', async () => {
    const run = await runCli([...base(), '--target', 'LONG_TIMEOUT', '--timeout', '2s', ...files], { env })
    expect(run.code).toBe(3)
    expect(outputsOf(run).status).toBe('timed-out')
    expect(junitCase(run)).toMatchObject({ failure: { '@_type': 'timed-out' } })
    expectPlainAndClean(run)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)('exits 4 on %s with every output written', async signal => {
    const run = await runCli([...base(), '--target', `LONG_${signal}`, '--timeout', '20s', ...files], {
      env,
      interrupt: { signal, when: /Task id: \d+/ }
    })
    expect(run.signal).toBeNull()
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(`Received ${signal}`)
    const outputs = outputsOf(run)
    expect(outputs.status).toBe('canceled')
    expect(outputs['task-id']).toMatch(/^\d+$/)
    expect(junitCase(run)).toMatchObject({ failure: { '@_type': 'canceled' } })
    expectPlainAndClean(run)
  })

  it('exits 2 on bad inputs, naming each, sending nothing, still writing the outputs', async () => {
    const run = await runCli(
      [...base(), '--target', 'ASOALL', '--timeout', 'soon', '--if-busy', 'queue', ...files],
      {
        env
      }
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/timeout/)
    expect(run.stderr).toMatch(/soon/)
    expect(run.stderr).toMatch(/if-busy/)
    expect(run.stderr).toMatch(/^Each input 'x' is the flag --x or the variable ENTERPRISE_DEPLOY_X/m)
    expect(sim.requests).toEqual([])
    expect(outputsOf(run).status).toBe('failed')
    expect(junitCase(run)).toMatchObject({ failure: { '@_type': 'failed' } })
    expectPlainAndClean(run)
  })

  it.each([['--token', TOKEN], [`--token=${TOKEN}`], ['--password', TOKEN], ['--github-token', TOKEN]])(
    'refuses the secret flag %s, says why, sends nothing, shows no value',
    async (...flag) => {
      const run = await runCli([...base(), '--target', 'ASOALL', ...flag, ...files])
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/is refused: a secret on the command line can be read by every user/)
      expect(run.stderr).toMatch(/ENTERPRISE_DEPLOY_(TOKEN|PASSWORD|GITHUB_TOKEN)/)
      expect(sim.requests).toEqual([])
      expect(outputsOf(run).status).toBe('failed')
      expectPlainAndClean(run)
    }
  )

  it('reads the token from --token-file, and says which file when it cannot', async () => {
    const ok = await runCli(
      [...base(), '--target', 'ASOALL', '--token-file', 'token.txt', '--output', 'dotenv'],
      {
        files: { 'token.txt': `${TOKEN}\n` }
      }
    )
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('DEPLOY_STATUS=succeeded\n')
    expectPlainAndClean(ok, ['token.txt'])
    sim.requests.length = 0
    const missing = await runCli([...base(), '--target', 'ASOALL', '--token-file', 'nowhere.txt'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--token-file names nowhere\.txt, which cannot be read \(ENOENT\)/)
    expect(sim.requests).toEqual([])
  })

  it('takes inputs from ENTERPRISE_DEPLOY_* variables; a flag wins over its variable', async () => {
    const run = await runCli(['--target', 'ASOALL', '--output', 'json'], {
      env: {
        ...env,
        ENTERPRISE_DEPLOY_PLATFORM: 'epmware',
        ENTERPRISE_DEPLOY_BASE_URL: sim.url,
        ENTERPRISE_DEPLOY_TARGET: 'HFM_PROD',
        ENTERPRISE_DEPLOY_POLL_INTERVAL: '100ms',
        ENTERPRISE_DEPLOY_BASEURL: 'typo'
      }
    })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).results).toContain('"name":"ASOALL"')
    expect(run.stderr).toMatch(/^warning: ENTERPRISE_DEPLOY_BASEURL is set but is no input/m)
    expectPlainAndClean(run)
  })

  it('exits 1 when an output file cannot be written, though the deployment succeeded', async () => {
    const run = await runCli(
      [...base(), '--target', 'ASOALL', '--output-file', '.', '--junit', 'out/junit.xml'],
      {
        env
      }
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error: Could not write the --output-file file \.: /m)
    expect(junitCase(run)).toMatchObject({ '@_name': 'ASOALL' })
    expectPlainAndClean(run)
  })

  it('exits 2 on an unknown flag or a stray word, showing no stray value', async () => {
    const run = await runCli([...base(), '--target', 'ASOALL', '--tokn', TOKEN, 'extra-word', ...files], {
      env
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--tokn is not an option/)
    expect(run.stderr).toMatch(/argument \d+ has no --flag before it/)
    expect(run.stderr).not.toContain('extra-word')
    expect(sim.requests).toEqual([])
    expectPlainAndClean(run)
  })

  it('--help lists every input as a flag or variable, --version the package version', async () => {
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    for (const name of INPUT_NAMES) expect(help.stdout).toMatch(new RegExp(`--${name}(-file)? <`))
    expect(help.stdout).toMatch(
      /0 succeeded, skipped or started; 1 failed; 2 bad input; 3 timed-out; 4 canceled/
    )
    const version = await runCli(['--version'])
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(version.stdout.trim()).toBe(`enterprise-deploy ${pkg.version}`)
  })
})
