/**
 * `npm run simulator -- epmware [--port 8123]`: runs a vendor simulator standalone, for people rehearsing a
 * workflow against it, until Ctrl-C.
 */
import { startEpmwareSimulator } from './epmware/index.js'
import type { RunningServer } from './server.js'

interface Started {
  server: RunningServer
  lines: string[]
}

const SIMULATORS: Record<string, (port: number | undefined) => Promise<Started>> = {
  epmware: async port => {
    const server = await startEpmwareSimulator({
      port,
      deployments: {
        ASOALL: { durationMs: 8000 },
        ASOALL_WARN: { durationMs: 5000, outcome: 'W' },
        HFM_PROD: { durationMs: 5000, outcome: 'E' },
        PLANNING_DEV: { durationMs: 5000, outcome: 'C' },
        LONG_RUNNING: { durationMs: 10 * 60_000 }
      }
    })
    return {
      server,
      lines: [
        `token: ${server.token}`,
        'deployments: ASOALL (succeeds in 8 s), ASOALL_WARN (warns), HFM_PROD (fails), PLANNING_DEV (cancelled), LONG_RUNNING (10 min)'
      ]
    }
  }
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`)
  return index >= 0 ? process.argv[index + 1] : undefined
}

const vendor = process.argv[2]
const start = vendor ? SIMULATORS[vendor] : undefined
if (!start) {
  console.error(`usage: npm run simulator -- <${Object.keys(SIMULATORS).join('|')}> [--port N]`)
  process.exit(2)
}
const port = option('port')
const { server, lines } = await start(port ? Number(port) : undefined)
console.log(`${vendor} simulator listening on ${server.url}`)
for (const line of lines) console.log(line)
const stop = () => void server.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
