/**
 * `npm run demo`: runs the committed bundle (dist/index.js) the way the Actions runner does, against the
 * built-in vendor simulators, and shows its log, its outputs and the job summary it wrote — the summary also
 * as an HTML page (GFM rendered, GitHub-like CSS) beside its markdown, to open in a browser.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  EPMWARE_TOKEN,
  startBmcRpmDemo,
  startEpmwareSimulator,
  startFlexDeployDemo,
  startMobileFirstDemo,
  startMuleMmcDemo
} from '../simulator/index.js'
import { runAction } from './run-action.js'
import { summaryPage } from './summary-page.js'

interface Scenario {
  title: string
  /** Starts what the scenario needs; returns the action's inputs and how to stop it. */
  start(): Promise<{ inputs: Record<string, string>; env?: Record<string, string>; stop(): Promise<void> }>
}

const QUICK = { timeout: '2m', 'poll-interval': '500ms', 'log-lines': '8' }

/** The run the summary links to: the runner sets these; the demo names a run that does not exist. */
const RUN_ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'example/enterprise-deploy-demo',
  GITHUB_RUN_ID: '1',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567'
}

/** A workspace holding one config file, as a checked-out repository would. */
async function workspaceWith(file: string, text: string): Promise<string> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'ed-demo-'))
  await writeFile(path.join(workspace, file), text)
  return workspace
}

/** An EPMware entry of a config file, its token read from the environment as the file must. */
function epmwareEntry(
  name: string,
  url: string,
  target: string,
  tokenVariable: string,
  needs?: string
): string {
  return [
    `  - name: ${name}`,
    '    platform: epmware',
    `    base-url: ${url}`,
    `    token: \${{ env.${tokenVariable} }}`,
    `    target: ${target}`,
    ...(needs ? [`    needs: [${needs}]`] : [])
  ].join('\n')
}

/** Four EPMware deployments to prod: one fails (its log says why), one needs it. */
async function fleetServers() {
  const planning = await startEpmwareSimulator({
    deployments: { METADATA: { durationMs: 2000 }, PLANNING: { durationMs: 3000 } }
  })
  const consolidation = await startEpmwareSimulator({
    token: 'consolidation-demo-token',
    deployments: {
      HFM_PROD: { durationMs: 2500, outcome: 'E', message: 'Deployment failed' },
      REPORTS: { durationMs: 1000 }
    }
  })
  const text = [
    'defaults: { poll-interval: 500ms, timeout: 2m }',
    'deployments:',
    epmwareEntry('metadata', planning.url, 'METADATA', 'PLANNING_TOKEN'),
    epmwareEntry('hfm', consolidation.url, 'HFM_PROD', 'CONSOLIDATION_TOKEN', 'metadata'),
    epmwareEntry('reports', consolidation.url, 'REPORTS', 'CONSOLIDATION_TOKEN', 'hfm'),
    epmwareEntry('planning', planning.url, 'PLANNING', 'PLANNING_TOKEN'),
    ''
  ].join('\n')
  return {
    text,
    stop: async () => {
      await planning.close()
      await consolidation.close()
    }
  }
}

const SCENARIOS: Scenario[] = [
  {
    title: 'EPMware: deployment ASOALL succeeds',
    async start() {
      const server = await startEpmwareSimulator({ deployments: { ASOALL: { durationMs: 4000 } } })
      return {
        inputs: {
          platform: 'epmware',
          'base-url': server.url,
          token: EPMWARE_TOKEN,
          target: 'ASOALL',
          timeout: '2m',
          'poll-interval': '500ms',
          'log-lines': '8'
        },
        stop: () => server.close()
      }
    }
  },
  {
    title: 'EPMware: deployment HFM_PROD fails, and its rollback runs',
    async start() {
      const server = await startEpmwareSimulator({
        deployments: {
          HFM_PROD: {
            durationMs: 3000,
            outcome: 'E',
            message: 'Deployment failed: HFM_PROD target application is not reachable'
          },
          HFM_PROD_BACKOUT: { durationMs: 2000 }
        }
      })
      return {
        inputs: {
          platform: 'epmware',
          'base-url': server.url,
          token: EPMWARE_TOKEN,
          target: 'HFM_PROD',
          parameters: 'rollback: HFM_PROD_BACKOUT',
          timeout: '2m',
          'poll-interval': '500ms',
          'log-lines': '8'
        },
        stop: () => server.close()
      }
    }
  },
  {
    title: 'EPMware: deployment HFM_PROD is still running when its timeout ends',
    async start() {
      const server = await startEpmwareSimulator({
        deployments: { HFM_PROD: { durationMs: 60_000, pendingMs: 500 } }
      })
      return {
        inputs: {
          platform: 'epmware',
          'base-url': server.url,
          token: EPMWARE_TOKEN,
          target: 'HFM_PROD',
          timeout: '6s',
          'poll-interval': '1s',
          'log-lines': '8'
        },
        stop: () => server.close()
      }
    }
  },
  {
    title: 'A config file: four deployments to prod, one fails, and what needs it is not run',
    async start() {
      const fleet = await fleetServers()
      return {
        inputs: { config: 'deploy.yml', environment: 'prod', 'log-lines': '8' },
        env: {
          GITHUB_WORKSPACE: await workspaceWith('deploy.yml', fleet.text),
          PLANNING_TOKEN: EPMWARE_TOKEN,
          CONSOLIDATION_TOKEN: 'consolidation-demo-token'
        },
        stop: fleet.stop
      }
    }
  },
  {
    title:
      'A dry run of the same config file with a wrong token: every deployment is checked, nothing deployed',
    async start() {
      const fleet = await fleetServers()
      return {
        inputs: { config: 'deploy.yml', environment: 'prod', 'dry-run': 'true', 'log-lines': '8' },
        env: {
          GITHUB_WORKSPACE: await workspaceWith('deploy.yml', fleet.text),
          PLANNING_TOKEN: 'a-token-that-was-revoked',
          CONSOLIDATION_TOKEN: 'consolidation-demo-token'
        },
        stop: fleet.stop
      }
    }
  },
  {
    title: 'Mule Management Console: redeploy orders-api, found by name',
    async start() {
      const { server } = await startMuleMmcDemo({})
      const mmc = server as typeof server & { baseUrl: string; username: string; password: string }
      return {
        inputs: {
          platform: 'mule-mmc',
          'base-url': mmc.baseUrl,
          username: mmc.username,
          password: mmc.password,
          operation: 'redeploy',
          target: 'orders-api',
          ...QUICK
        },
        stop: () => server.close()
      }
    }
  },
  {
    title: 'FlexDeploy: deploy a project found by its path; it waits for approval first',
    async start() {
      const { server } = await startFlexDeployDemo({})
      const flex = server as typeof server & { username: string; password: string }
      return {
        inputs: {
          platform: 'flexdeploy',
          'base-url': `${server.url}/flexdeploy`,
          username: flex.username,
          password: flex.password,
          target: 'FlexDeploy/Human Resources/PayrollService',
          parameters: 'environmentId: 11210\ninputs: { RESTART_SERVER: "true" }',
          ...QUICK
        },
        stop: () => server.close()
      }
    }
  },
  {
    title: 'IBM MobileFirst: upload two deployables matched by a glob and follow the transaction',
    async start() {
      const { server } = await startMobileFirstDemo({})
      const workspace = await mkdtemp(path.join(os.tmpdir(), 'ed-demo-'))
      await mkdir(path.join(workspace, 'adapters'))
      await writeFile(path.join(workspace, 'adapters', 'orders.adapter'), 'orders adapter archive')
      await writeFile(path.join(workspace, 'adapters', 'payments.adapter'), 'payments adapter archive')
      return {
        inputs: {
          platform: 'mobilefirst',
          'base-url': server.url,
          username: 'deployer',
          password: 'deployer-pass',
          target: 'mfp',
          artifacts: 'adapters/*.adapter',
          ...QUICK
        },
        env: { GITHUB_WORKSPACE: workspace },
        stop: () => server.close()
      }
    }
  },
  {
    title: 'BMC Release Process Management: is deployment window event 12 open now?',
    async start() {
      const { server } = await startBmcRpmDemo({})
      const rpm = server as typeof server & { token: string }
      return {
        inputs: {
          platform: 'bmc-rpm',
          'base-url': server.url,
          token: rpm.token,
          operation: 'check-window',
          target: '12',
          ...QUICK
        },
        stop: () => server.close()
      }
    }
  }
]

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text)

/** Shows workflow commands the way the Actions log renders them. */
function renderLogLine(line: string): string | undefined {
  if (line.startsWith('::add-mask::') || line.startsWith('::endgroup::')) return undefined
  if (line.startsWith('::group::')) return `▸ ${line.slice('::group::'.length)}`
  const annotation = /^::(warning|error|notice)(?: ([^:]*))?::(.*)$/.exec(line)
  if (annotation) {
    const title = /(?:^|,)title=([^,]*)/.exec(annotation[2] ?? '')?.[1]
    const where = /(?:^|,)file=([^,]*),line=(\d+)(?:,col=(\d+))?/.exec(annotation[2] ?? '')
    const head = [
      annotation[1]?.toUpperCase(),
      title ? decodeURIComponent(title) : '',
      where ? `${where[1]}:${where[2]}:${where[3] ?? ''}` : ''
    ]
      .filter(Boolean)
      .join(' · ')
    return `${head}: ${decodeURIComponent((annotation[3] ?? '').replace(/%0A/g, '\n'))}`
  }
  return line
}

function printIndented(text: string): void {
  for (const line of text.trimEnd().split('\n')) console.log(`    ${line}`)
}

const bundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js')
if (!existsSync(bundle)) {
  console.error('dist/index.js is missing: run npm run package first.')
  process.exit(1)
}

/** Where each summary goes, as markdown and as a page: one folder, emptied at the start of every demo. */
const pages = path.join(os.tmpdir(), 'enterprise-deploy-demo')
await rm(pages, { recursive: true, force: true })
await mkdir(pages, { recursive: true })
const written: string[] = []

for (const [index, scenario] of SCENARIOS.entries()) {
  console.log(`\n${bold(`━━━ ${scenario.title} ━━━`)}`)
  const { inputs, env, stop } = await scenario.start()
  console.log(
    dim(
      `inputs: ${Object.entries(inputs)
        .map(([name, value]) => `${name}=${name === 'token' || name === 'password' ? '***' : value}`)
        .join('  ')}`
    )
  )
  console.log(bold('\nlog:'))
  let pending = ''
  const run = await runAction(inputs, {
    env: { ...RUN_ENV, ...env },
    onStdout: text => {
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const shown = renderLogLine(line)
        if (shown !== undefined) console.log(`    ${shown}`)
      }
    }
  })
  await stop()
  console.log(bold(`\nexit code: ${run.code}`))
  console.log(bold('outputs:'))
  for (const [name, value] of Object.entries(run.outputs))
    console.log(`    ${name.padEnd(9)} ${value.length > 160 ? `${value.slice(0, 160)}…` : value}`)
  console.log(bold('\njob summary (Markdown, as GitHub renders it on the run page):'))
  printIndented(run.summary)
  const base = path.join(pages, `${String(index + 1).padStart(2, '0')}-${slug(scenario.title)}`)
  await writeFile(`${base}.md`, run.summary)
  await writeFile(`${base}.html`, summaryPage(run.summary, scenario.title))
  written.push(`${base}.html`)
  console.log(bold(`\nthe summary as a page: ${base}.html`) + dim(` (markdown: ${base}.md)`))
}

console.log(bold('\nEvery summary as a page, to open in a browser:'))
for (const file of written) console.log(`    file://${file}`)

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '')
}
