import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import {
  startBmcRpmSimulator,
  startEpmwareSimulator,
  startFlexDeploySimulator,
  startMobileFirstSimulator,
  startMuleMmcSimulator,
  type RunningServer
} from '../../simulator/index.js'
import { runAction } from './run-action.js'
import { runCli, workflowCommandLines, type CliRun } from './run-cli.js'

// The command line against each simulator, outside GitHub Actions and as a `run:` step inside it.
const TOKEN = 'cli-e2e-token-5b8e21f0c3'
const PASSWORD = 'cli-e2e-Pa55-w0rd-71d4'
const BASIC = Buffer.from(`deployer:${PASSWORD}`).toString('base64')
const FAST = ['--poll-interval', '100ms', '--max-poll-interval', '300ms', '--timeout', '20s']

interface Platform {
  name: string
  server: RunningServer
  /** The flags (no credential among them), the credential variables, files the workspace needs. */
  args: string[]
  env: Record<string, string>
  files?: Record<string, string>
  /** The same deployment as action inputs. */
  inputs: Record<string, string>
}

const platforms: Platform[] = []
const secrets = [TOKEN, PASSWORD, BASIC]

beforeAll(async () => {
  const epmware = await startEpmwareSimulator({
    token: TOKEN,
    deployments: { ASOALL: { durationMs: 300, logLine: `connecting with Token ${TOKEN}` } }
  })
  const rpm = await startBmcRpmSimulator({ token: TOKEN })
  rpm.setEvent('12', { startAt: Date.now() - 10 * 60_000, finishAt: Date.now() + 2 * 3_600_000 })
  const mmc = await startMuleMmcSimulator({
    username: 'deployer',
    password: PASSWORD,
    deployments: [{ name: 'orders-api', behaviour: { durationMs: 300 } }]
  })
  const mobilefirst = await startMobileFirstSimulator({
    users: { deployer: { password: PASSWORD, roles: ['mfpdeployer'] } },
    runtimes: { mfp: {} }
  })
  const flexdeploy = await startFlexDeploySimulator({
    username: 'deployer',
    password: PASSWORD,
    projects: [
      { id: 10501, name: 'ProcessHRRequest', folderPath: 'FlexDeploy/HR', requests: [{ durationMs: 300 }] }
    ]
  })
  const token = { ENTERPRISE_DEPLOY_TOKEN: TOKEN }
  const basic = { ENTERPRISE_DEPLOY_USERNAME: 'deployer', ENTERPRISE_DEPLOY_PASSWORD: PASSWORD }
  platforms.push(
    {
      name: 'epmware',
      server: epmware,
      args: ['--platform', 'epmware', '--base-url', epmware.url, '--target', 'ASOALL'],
      env: token,
      inputs: { platform: 'epmware', 'base-url': epmware.url, target: 'ASOALL', token: TOKEN }
    },
    {
      name: 'bmc-rpm',
      server: rpm,
      args: ['--platform', 'bmc-rpm', '--base-url', rpm.url, '--target', '12'],
      env: token,
      inputs: { platform: 'bmc-rpm', 'base-url': rpm.url, target: '12', token: TOKEN }
    },
    {
      name: 'mule-mmc',
      server: mmc,
      args: ['--platform', 'mule-mmc', '--base-url', `${mmc.url}/mmc`, '--target', 'orders-api'],
      env: basic,
      inputs: {
        platform: 'mule-mmc',
        'base-url': `${mmc.url}/mmc`,
        target: 'orders-api',
        username: 'deployer',
        password: PASSWORD
      }
    },
    {
      name: 'mobilefirst',
      server: mobilefirst,
      args: [
        '--platform',
        'mobilefirst',
        '--base-url',
        mobilefirst.url,
        '--target',
        'mfp',
        '--artifacts',
        'orders.adapter'
      ],
      env: basic,
      files: { 'orders.adapter': 'orders adapter bytes' },
      inputs: {
        platform: 'mobilefirst',
        'base-url': mobilefirst.url,
        target: 'mfp',
        artifacts: 'orders.adapter',
        username: 'deployer',
        password: PASSWORD
      }
    },
    {
      name: 'flexdeploy',
      server: flexdeploy,
      args: [
        '--platform',
        'flexdeploy',
        '--base-url',
        `${flexdeploy.url}/flexdeploy`,
        '--target',
        'FlexDeploy/HR/ProcessHRRequest',
        '--parameters',
        'environmentId: 11210'
      ],
      env: basic,
      inputs: {
        platform: 'flexdeploy',
        'base-url': `${flexdeploy.url}/flexdeploy`,
        target: 'FlexDeploy/HR/ProcessHRRequest',
        parameters: 'environmentId: 11210',
        username: 'deployer',
        password: PASSWORD
      }
    }
  )
})

afterAll(async () => {
  await Promise.all(platforms.map(platform => platform.server.close()))
})

const platform = (name: string) => platforms.find(each => each.name === name) as Platform

function expectNoSecret(run: CliRun): void {
  const written = [run.stdout, run.stderr, ...Object.values(run.files)].join('\n')
  for (const secret of secrets) expect(written).not.toContain(secret)
}

/** The outputs with what differs between two runs of the same deployment (ids, times, paths) made equal. */
function comparable(outputs: Record<string, string>, dir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, value]) => [
      name,
      value.split(dir).join('<dir>').replace(/\d+/g, '0')
    ])
  )
}

const commandNames = (stdout: string) =>
  [...new Set(workflowCommandLines(stdout).map(line => /^\s*::([a-z-]+)/.exec(line)?.[1]))]
    .filter(name => name && name !== 'debug')
    .sort()

describe.each(['epmware', 'bmc-rpm', 'mule-mmc', 'mobilefirst', 'flexdeploy'])(
  'enterprise-deploy on %s',
  name => {
    it('succeeds outside GitHub Actions: plain lines, exit 0, JSON, dotenv and JUnit outputs, no secret', async () => {
      const { args, env, files } = platform(name)
      const run = await runCli(
        [
          ...args,
          ...FAST,
          '--output',
          'json',
          '--output-file',
          'outputs.env',
          '--junit',
          'junit.xml',
          '--summary-file',
          'summary.md'
        ],
        { env, files }
      )
      expect(run.stderr).toMatch(/\S/)
      expect(run.code).toBe(0)
      expect(workflowCommandLines(run.stdout)).toEqual([])
      expect(workflowCommandLines(run.stderr)).toEqual([])
      const outputs = JSON.parse(run.stdout) as Record<string, string>
      expect(outputs.status).toBe('succeeded')
      expect(outputs['task-id']).not.toBe('')
      expect(JSON.parse(outputs.results ?? '')).toEqual([
        expect.objectContaining({ platform: name, status: 'succeeded', 'task-id': outputs['task-id'] })
      ])
      expect(run.files['outputs.env']).toContain('DEPLOY_STATUS=succeeded\n')
      expect(run.files['outputs.env']).toContain(`DEPLOY_TASK_ID=${outputs['task-id']}\n`)
      expect(run.files['summary.md']).toMatch(/succeeded/)
      const junit = new XMLParser({ ignoreAttributes: false }).parse(run.files['junit.xml'] ?? '')
      expect(junit.testsuites.testsuite['@_tests']).toBe('1')
      expect(junit.testsuites.testsuite['@_failures']).toBe('0')
      expect(junit.testsuites.testsuite.testcase['@_classname']).toBe(name)
      expect(junit.testsuites.testsuite.testcase.failure).toBeUndefined()
      expectNoSecret(run)
    })

    it('as a run: step of GitHub Actions gives the action’s outputs and workflow commands', async () => {
      const { args, env, files, inputs } = platform(name)
      const cli = await runCli([...args, ...FAST], { env, files, github: true })
      const workspace = await mkdtemp(path.join(os.tmpdir(), 'ed-cli-action-'))
      for (const [file, text] of Object.entries(files ?? {}))
        await writeFile(path.join(workspace, file), text)
      const action = await runAction(
        { ...inputs, 'poll-interval': '100ms', 'max-poll-interval': '300ms', timeout: '20s' },
        { env: { GITHUB_WORKSPACE: workspace } }
      )
      expect(cli.code).toBe(0)
      expect(cli.githubOutputs.status).toBe('succeeded')
      expect(comparable(cli.githubOutputs, cli.dir)).toEqual(comparable(action.outputs, action.runnerTemp))
      expect(commandNames(cli.stdout)).toEqual(commandNames(action.stdout))
      expect(commandNames(cli.stdout)).toContain('add-mask')
      const same = (summary: string, dir: string) => summary.split(dir).join('<dir>').replace(/\d+/g, '0')
      expect(same(cli.githubSummary, cli.dir)).toBe(same(action.summary, action.runnerTemp))
    })
  }
)
