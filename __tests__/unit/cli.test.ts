import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { envName, parseCommandLine } from '../../src/cli/args.js'
import { dotenvName, junitXml, outputsDotenv, outputsJson, resultRows } from '../../src/cli/formats.js'
import { VERSION } from '../../src/cli/help.js'
import { FormSet } from '../../src/secrets/form-set.js'
import { plainHost } from '../../src/cli/plain-host.js'
import { statusLine, type Ticker } from '../../src/cli/progress-line.js'
import { Redactor } from '../../src/secrets.js'
import { forStepLog } from '../../src/text/untrusted.js'

const SECRET = 'unit-cli-secret-4e1f0a9b'

describe('parseCommandLine', () => {
  it('reads flags in both spellings, bare booleans, and variables; a flag wins over its variable', () => {
    const parsed = parseCommandLine(
      ['--platform', 'epmware', '--target=ASOALL', '--dry-run', '--wait', 'false'],
      {
        ENTERPRISE_DEPLOY_TARGET: 'FROM_ENV',
        ENTERPRISE_DEPLOY_BASE_URL: 'https://epm.example.com',
        ENTERPRISE_DEPLOY_TOKEN: SECRET
      }
    )
    expect(parsed.problems).toEqual([])
    expect(Object.fromEntries(parsed.inputs)).toEqual({
      platform: 'epmware',
      target: 'ASOALL',
      'dry-run': 'true',
      wait: 'false',
      'base-url': 'https://epm.example.com',
      token: SECRET
    })
  })

  it('names each variable ENTERPRISE_DEPLOY_<INPUT> with hyphens as underscores', () => {
    expect(envName('max-poll-interval')).toBe('ENTERPRISE_DEPLOY_MAX_POLL_INTERVAL')
  })

  it('refuses every secret flag in both spellings without keeping or showing its value', () => {
    const parsed = parseCommandLine(['--token', SECRET, `--password=${SECRET}`, '--github-token', SECRET], {})
    expect(parsed.problems).toHaveLength(3)
    expect(parsed.problems.join('\n')).not.toContain(SECRET)
    expect(parsed.problems[0]).toMatch(
      /^--token is refused: .*Nothing was sent\. Set ENTERPRISE_DEPLOY_TOKEN/
    )
    expect(parsed.inputs.size).toBe(0)
  })

  it('reads secrets from a file (flag or _FILE variable), without the trailing line break', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ed-cli-unit-'))
    writeFileSync(path.join(dir, 'token'), `${SECRET}\r\n`)
    writeFileSync(path.join(dir, 'password'), `${SECRET}-pw\n`)
    const parsed = parseCommandLine(['--token-file', path.join(dir, 'token')], {
      ENTERPRISE_DEPLOY_PASSWORD_FILE: path.join(dir, 'password')
    })
    expect(parsed.problems).toEqual([])
    expect(parsed.inputs.get('token')).toBe(SECRET)
    expect(parsed.inputs.get('password')).toBe(`${SECRET}-pw`)
    const empty = path.join(dir, 'empty')
    writeFileSync(empty, '\n')
    expect(parseCommandLine(['--token-file', empty], {}).problems).toEqual([
      `--token-file names ${empty}, which is empty; it must hold the token`
    ])
  })

  it('collects every problem at once: unknown flags, missing values, repeats, stray words, bad formats', () => {
    const parsed = parseCommandLine(
      ['--bogus', 'x', '--target', 'a', '--target', 'b', 'stray', '--output', 'xml', '--platform'],
      {}
    )
    expect(parsed.problems).toEqual([
      '--bogus is not an option of enterprise-deploy; see enterprise-deploy --help',
      '--target is given more than once; give it once',
      'argument 7 has no --flag before it (its value is not shown); every input is a --<input> value pair',
      '--output is "xml"; use json or dotenv',
      '--platform needs a value'
    ])
  })

  it('takes the output file format from the extension unless --output-format says', () => {
    expect(parseCommandLine(['--output-file', 'o.JSON'], {}).options.outputFileFormat).toBe('json')
    expect(parseCommandLine(['--output-file', 'deploy.env'], {}).options.outputFileFormat).toBe('dotenv')
    expect(
      parseCommandLine(['--output-file', 'o.txt', '--output-format', 'json'], {}).options.outputFileFormat
    ).toBe('json')
  })

  it('names unknown ENTERPRISE_DEPLOY_* variables, and knows the _FILE ones', () => {
    const parsed = parseCommandLine([], { ENTERPRISE_DEPLOY_BASEURL: 'x', ENTERPRISE_DEPLOY_TOKEN_FILE: '' })
    expect(parsed.unknownVariables).toEqual(['ENTERPRISE_DEPLOY_BASEURL'])
  })
})

describe('output formats', () => {
  const outputs = new Map([
    ['status', 'failed'],
    ['task-id', '42'],
    ['message', 'line one\nsays "##[error]" and \\ done'],
    [
      'results',
      '[{"name":"A&B <x>","platform":"epmware","status":"failed","task-id":"42","message":"bad\\u0007 & worse","duration":3},{"name":"B","platform":"epmware","status":"skipped","task-id":"","message":"needs A","duration":0},{"name":"C","platform":"epmware","status":"succeeded","task-id":"7","message":"ok","duration":2}]'
    ]
  ])

  it('JSON: one object of the outputs, the same values, no ##[ in the text', () => {
    const text = outputsJson(outputs)
    expect(text).not.toContain('##[')
    expect(text).not.toContain('\n')
    expect(JSON.parse(text)).toEqual(Object.fromEntries(outputs))
  })

  it('dotenv: GitLab-safe names, plain values as they are, multi-line values quoted and escaped', () => {
    expect(dotenvName('remote-status')).toBe('DEPLOY_REMOTE_STATUS')
    const lines = outputsDotenv(outputs).split('\n')
    expect(lines[0]).toBe('DEPLOY_STATUS=failed')
    expect(lines[1]).toBe('DEPLOY_TASK_ID=42')
    expect(lines[2]).toBe('DEPLOY_MESSAGE="line one\\nsays \\"##[error]\\" and \\\\ done"')
    expect(lines).toHaveLength(outputs.size + 1)
  })

  it('JUnit: one test case per deployment, failures and skips counted, text escaped', () => {
    const xml = junitXml(resultRows(outputs))
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml)
    const suite = parsed.testsuites.testsuite
    expect(suite).toMatchObject({ '@_tests': '3', '@_failures': '1', '@_skipped': '1', '@_time': '5' })
    expect(suite.testcase[0]).toMatchObject({ '@_name': 'A&B <x>', '@_classname': 'epmware' })
    expect(suite.testcase[0].failure['@_type']).toBe('failed')
    expect(suite.testcase[0].failure['#text']).toBe('failed (task 42): bad & worse')
    expect(suite.testcase[1].skipped['@_message']).toBe('skipped: needs A')
    expect(suite.testcase[2].failure).toBeUndefined()
  })

  it('JUnit from the other outputs when results cannot be parsed (cut at its limit)', () => {
    const rows = resultRows(
      new Map([
        ['status', 'timed-out'],
        ['results', '[{"cut']
      ])
    )
    expect(rows).toEqual([expect.objectContaining({ name: 'enterprise-deploy', status: 'timed-out' })])
  })
})

describe('plainHost', () => {
  it('writes plain lines only: no workflow command, every masked form scrubbed, prefixes for levels', async () => {
    const lines: string[] = []
    const forms = new FormSet()
    const host = plainHost({
      input: () => '',
      writer: { line: text => lines.push(text) },
      verbose: false,
      forms
    })
    const redactor = new Redactor(host)
    redactor.add(SECRET)
    host.info(`::add-mask::${SECRET}`)
    host.warning(`  ::error::x\r::set-output name=a::b`, { file: 'deploy.yml', line: 3, column: 5 })
    host.error('legacy ##[error]here')
    host.debug('hidden')
    host.fail(`failed with ${Buffer.from(SECRET).toString('base64')}`)
    await host.group('::group::title', async () => host.info(forStepLog(`echo ${SECRET}`, redactor)))
    const text = lines.join('\n')
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'))
    expect(text).not.toContain('hidden')
    for (const line of text.split(/\r|\n/)) {
      expect(line.trimStart().startsWith('::')).toBe(false)
      expect(line).not.toContain('##[')
    }
    expect(lines[1]).toBe('warning: deploy.yml:3:5:   ::error::x')
    expect(lines[3]).toMatch(/^error: legacy ##/)
    expect(lines[4]).toBe('error: failed with ***')
    expect(lines[5]).toMatch(/^== /)
  })

  it('shows debug lines with --verbose', () => {
    const lines: string[] = []
    const host = plainHost({
      input: () => '',
      writer: { line: text => lines.push(text) },
      verbose: true,
      forms: new FormSet()
    })
    host.debug('a detail')
    expect(lines).toEqual(['debug: a detail'])
  })
})

describe('statusLine (a terminal)', () => {
  it('keeps one line below the log with the time taken and the latest line, redrawn and cleared', () => {
    let written = ''
    let now = 0
    let tick: () => void = () => undefined
    let stopped = false
    const ticker: Ticker = {
      every: (_ms, each) => {
        tick = each
        return () => (stopped = true)
      }
    }
    const line = statusLine({ write: text => (written += text), columns: 40 }, () => now, ticker)
    line.line('== epmware: run ASOALL')
    now = 12_000
    tick()
    expect(written.endsWith('\r\x1b[2K… 12s · == epmware: run ASOALL')).toBe(true)
    line.line('[13s] running (R) 40% — Deploying ASOALL to its target applications')
    expect(written).toContain('\r\x1b[2K[13s] running')
    expect(written.split('\r\x1b[2K').pop()?.length).toBeLessThanOrEqual(39)
    line.stop()
    expect(stopped).toBe(true)
    expect(written.endsWith('\r\x1b[2K')).toBe(true)
  })
})

it('VERSION is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  expect(VERSION).toBe(pkg.version)
})
