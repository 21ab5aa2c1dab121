/**
 * `npm run simulator -- <vendor> [--port 8123] [--host 127.0.0.1]`: runs a vendor simulator with demo data
 * until Ctrl-C, for rehearsing a workflow against it.
 */
import { parseArgs } from 'node:util'
import { startBmcRpmDemo } from './bmc-rpm/index.js'
import { startEpmwareSimulator, type DeploymentBehaviour } from './epmware/index.js'
import { startFlexDeployDemo } from './flexdeploy/demo.js'
import { startMobileFirstDemo } from './mobilefirst/demo.js'
import { startMuleMmcDemo } from './mule-mmc/demo.js'
import type { RunningServer, ServerOptions } from './server.js'

interface Started {
  server: RunningServer
  /** What someone needs to point the action at it: credentials, targets. */
  details: string[]
}

type DemoStarter = (options: ServerOptions) => Promise<Started>

const EPMWARE_DEMO: Record<string, DeploymentBehaviour & { about: string }> = {
  ASOALL: { durationMs: 8000, about: 'succeeds in about 8 s' },
  ASOALL_WARN: { durationMs: 6000, outcome: 'W', about: 'completes with warnings (W)' },
  HFM_PROD: {
    durationMs: 6000,
    outcome: 'E',
    message: 'Deployment failed: Target application HFM_PROD is not reachable',
    about: 'fails (E)'
  },
  PLANNING_DEV: { durationMs: 6000, outcome: 'C', about: 'is cancelled (C)' },
  LONG_RUNNING: { durationMs: 10 * 60_000, about: 'runs for 10 minutes' }
}

async function startEpmwareDemo(options: ServerOptions): Promise<Started> {
  const server = await startEpmwareSimulator({ ...options, deployments: EPMWARE_DEMO })
  return {
    server,
    details: [
      `token: ${server.token}`,
      'deployments:',
      ...Object.entries(EPMWARE_DEMO).map(([name, { about }]) => `  ${name.padEnd(14)} ${about}`)
    ]
  }
}

const SIMULATORS: Record<string, DemoStarter> = {
  'bmc-rpm': startBmcRpmDemo,
  epmware: startEpmwareDemo,
  flexdeploy: startFlexDeployDemo,
  mobilefirst: startMobileFirstDemo,
  'mule-mmc': startMuleMmcDemo
}

function usage(): string {
  return `usage: npm run simulator -- <${Object.keys(SIMULATORS).join('|')}> [--port N] [--host ADDRESS]`
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
  })
  const vendor = positionals[0] ?? ''
  const start = SIMULATORS[vendor]
  const port = values.port === undefined ? undefined : Number(values.port)
  if (values.help || !start || (port !== undefined && !Number.isInteger(port))) {
    console.error(usage())
    process.exit(values.help ? 0 : 2)
  }
  const { server, details } = await start({ port, host: values.host })
  console.log(`${vendor} simulator listening on ${server.url}`)
  for (const line of details) console.log(line)
  console.log('Ctrl-C to stop')
  const stop = () => void server.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
