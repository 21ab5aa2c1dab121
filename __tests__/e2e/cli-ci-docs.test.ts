import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { parse } from 'yaml'
import {
  startEpmwareSimulator,
  startFlexDeploySimulator,
  startMuleMmcSimulator,
  type EpmwareSimulator,
  type FlexDeploySimulator,
  type MuleMmcSimulator
} from '../../simulator/index.js'
import { CLI, cleanEnv, workflowCommandLines } from './run-cli.js'

// docs/ci/: each CI's file parsed, its command lines run as that CI would run them, against a simulator.
const TOKEN = 'docs-ci-token-c4a9e17b30'
const PASSWORD = 'docs-ci-Pa55-8e2d61'
const docs = (name: string) => readFileSync(new URL(`../../docs/ci/${name}`, import.meta.url), 'utf8')

let epmware: EpmwareSimulator
let flexdeploy: FlexDeploySimulator
let mmc: MuleMmcSimulator

beforeAll(async () => {
  epmware = await startEpmwareSimulator({ token: TOKEN, deployments: { ASOALL: { durationMs: 300 } } })
  flexdeploy = await startFlexDeploySimulator({
    username: 'deployer',
    password: PASSWORD,
    projects: [
      { id: 10501, name: 'ProcessHRRequest', folderPath: 'FlexDeploy/HR', requests: [{ durationMs: 300 }] }
    ]
  })
  mmc = await startMuleMmcSimulator({
    username: 'deployer',
    password: PASSWORD,
    deployments: [{ name: 'orders-api', behaviour: { durationMs: 300 } }]
  })
})

afterAll(async () => {
  await Promise.all([epmware.close(), flexdeploy.close(), mmc.close()])
})

interface ScriptRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * A CI's shell step: bash -e in the job's directory. The package install is the CI's (here the bundle is
 * already built), so `npx enterprise-deploy` runs the bundle under test.
 */
function runScript(script: string, env: Record<string, string>, dir: string): Promise<ScriptRun> {
  if (script.includes('enterprise-deploy --')) expect(script).toMatch(/\bnpx enterprise-deploy --platform /)
  const command = script
    .split('\n')
    .filter(line => !/^\s*npm install\b/.test(line))
    .join('\n')
    .replace(/\bnpx enterprise-deploy\b/g, 'node "$ENTERPRISE_DEPLOY_CLI"')
  const child = spawn('bash', ['-e', '-c', command], {
    cwd: dir,
    env: { ...cleanEnv(), ENTERPRISE_DEPLOY_CLI: CLI, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += String(chunk)))
  child.stderr.on('data', chunk => (stderr += String(chunk)))
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000)
  return new Promise(resolve =>
    child.on('close', code => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr })
    })
  )
}

function expectCleanRun(run: ScriptRun, secret: string): void {
  expect(workflowCommandLines(run.stdout)).toEqual([])
  expect(workflowCommandLines(run.stderr)).toEqual([])
  expect(`${run.stdout}${run.stderr}`).not.toContain(secret)
}

async function expectJunit(file: string, name: string, classname: string): Promise<void> {
  const junit = new XMLParser({ ignoreAttributes: false }).parse(await readFile(file, 'utf8'))
  expect(junit.testsuites.testsuite).toMatchObject({ '@_tests': '1', '@_failures': '0' })
  expect(junit.testsuites.testsuite.testcase).toMatchObject({ '@_name': name, '@_classname': classname })
}

async function outputsIn(file: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>
}

const jobDir = () => mkdtemp(path.join(os.tmpdir(), 'ed-docs-ci-'))

describe('docs/ci', () => {
  it('Jenkinsfile: credentials from withCredentials, the sh script runs, readJSON and junit find their files', async () => {
    const text = docs('Jenkinsfile')
    const environment = /environment\s*\{([^}]*)\}/.exec(text)?.[1] ?? ''
    const declared = Object.fromEntries(
      [...environment.matchAll(/(\w+)\s*=\s*'([^']*)'/g)].map(m => [m[1], m[2]])
    )
    expect(Object.keys(declared)).toEqual(['FLEXDEPLOY_URL'])
    const binding =
      /usernamePassword\(\s*credentialsId:\s*'[^']+',\s*usernameVariable:\s*'(\w+)',\s*passwordVariable:\s*'(\w+)'\s*\)/.exec(
        text
      )
    expect(binding?.slice(1)).toEqual(['ENTERPRISE_DEPLOY_USERNAME', 'ENTERPRISE_DEPLOY_PASSWORD'])
    const script = /sh\(returnStatus: true, script: '''([\s\S]*?)'''\)/.exec(text)?.[1] ?? ''
    const outputsFile = /readJSON file: '([^']+)'/.exec(text)?.[1] ?? ''
    const junitFile = /junit testResults: '([^']+)'/.exec(text)?.[1] ?? ''
    const dir = await jobDir()
    const run = await runScript(
      script,
      {
        FLEXDEPLOY_URL: `${flexdeploy.url}/flexdeploy`,
        ENTERPRISE_DEPLOY_USERNAME: 'deployer',
        ENTERPRISE_DEPLOY_PASSWORD: PASSWORD
      },
      dir
    )
    expect(run.code).toBe(0)
    const outputs = await outputsIn(path.join(dir, outputsFile))
    expect(outputs).toMatchObject({ status: 'succeeded', 'remote-status': 'COMPLETED' })
    await expectJunit(path.join(dir, junitFile), 'FlexDeploy/HR/ProcessHRRequest', 'flexdeploy')
    expectCleanRun(run, PASSWORD)
  })

  it('.gitlab-ci.yml: the masked variable as ENTERPRISE_DEPLOY_TOKEN, the script runs, the report job reads the JSON', async () => {
    const pipeline = parse(docs('.gitlab-ci.yml')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    const deploy = pipeline['deploy-planning']
    expect(deploy.variables).toEqual({ ENTERPRISE_DEPLOY_TOKEN: '$EPMWARE_TOKEN' })
    expect(Object.keys(pipeline.variables)).toEqual(['EPMWARE_URL'])
    expect(deploy.artifacts.when).toBe('always')
    const dir = await jobDir()
    const env = { ...pipeline.variables, EPMWARE_URL: epmware.url, ENTERPRISE_DEPLOY_TOKEN: TOKEN }
    const run = await runScript((deploy.script as string[]).join('\n'), env, dir)
    expect(run.code).toBe(0)
    expect((await outputsIn(path.join(dir, 'deploy-outputs.json'))).status).toBe('succeeded')
    expect(deploy.artifacts.paths).toContain('deploy-outputs.json')
    await expectJunit(path.join(dir, deploy.artifacts.reports.junit), 'ASOALL', 'epmware')
    expectCleanRun(run, TOKEN)

    const outcome = pipeline['deployment-outcome']
    expect(outcome.needs).toEqual([{ job: 'deploy-planning', artifacts: true }])
    const report = await runScript((outcome.script as string[]).join('\n'), {}, dir)
    expect(report.code).toBe(0)
    expect(report.stdout).toMatch(
      /^EPMware succeeded, task \d+: Deployment completed successfully\nASOALL: succeeded in \d+s\n$/
    )
  })

  it('azure-pipelines.yml: secret variables mapped into env, the step runs, the outputs are read, the report published', async () => {
    const pipeline = parse(docs('azure-pipelines.yml')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    const steps = pipeline.steps as Array<Record<string, any>> // eslint-disable-line @typescript-eslint/no-explicit-any
    const deploy = steps.find(step => String(step.bash ?? '').includes('enterprise-deploy --platform'))
    const read = steps.find(step => step.name === 'outputs')
    const publish = steps.find(step => step.task === 'PublishTestResults@2')
    expect(deploy?.env).toEqual({
      MMC_URL: '$(mmcUrl)',
      ENTERPRISE_DEPLOY_USERNAME: '$(mmcUser)',
      ENTERPRISE_DEPLOY_PASSWORD: '$(mmcPassword)'
    })
    // The password comes from the variable group (the Library), never from the file.
    const variables = pipeline.variables as Array<{ name?: string; group?: string }>
    expect(variables.filter(variable => variable.name).map(variable => variable.name)).toEqual(['mmcUrl'])
    expect(variables).toContainEqual({ group: 'mule-mmc' })
    const library: Record<string, string> = {
      mmcUrl: `${mmc.url}/mmc`,
      mmcUser: 'deployer',
      mmcPassword: PASSWORD
    }
    const env = Object.fromEntries(
      Object.entries(deploy?.env as Record<string, string>).map(([name, macro]) => [
        name,
        macro.replace(/\$\((\w+)\)/g, (_all, variable: string) => library[variable] ?? '')
      ])
    )
    const dir = await jobDir()
    const run = await runScript(String(deploy?.bash), env, dir)
    expect(run.code).toBe(0)
    expectCleanRun(run, PASSWORD)
    expect(read?.condition).toBe('always()')
    const outputs = await runScript(String(read?.bash), {}, dir)
    expect(outputs.code).toBe(0)
    expect(outputs.stdout).toMatch(/^Mule MMC succeeded: deployment \S+\n/)
    expect(outputs.stdout).toContain('##vso[task.setvariable variable=deployStatus;isOutput=true]succeeded\n')
    expect(publish?.condition).toBe('always()')
    expect(publish?.inputs.testResultsFormat).toBe('JUnit')
    await expectJunit(path.join(dir, publish?.inputs.testResultsFiles), 'orders-api', 'mule-mmc')
  })
})
