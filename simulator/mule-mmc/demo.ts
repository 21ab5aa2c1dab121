import type { RunningServer, ServerOptions } from '../server.js'
import { startMuleMmcSimulator, type SeedDeployment } from './index.js'

const DEMO: (SeedDeployment & { about: string })[] = [
  {
    name: 'orders-api',
    status: 'DEPLOYED',
    behaviour: { durationMs: 6000 },
    about: 'redeploys in about 6 s'
  },
  { name: 'billing', behaviour: { durationMs: 5000, outcome: 'FAILED' }, about: 'fails to deploy (FAILED)' },
  {
    name: 'inventory',
    behaviour: { durationMs: 5000, outcome: 'SUCCESSFUL' },
    about: 'deploys (SUCCESSFUL)'
  },
  { name: 'frozen', behaviour: { stuck: true }, about: 'never leaves its state (a timeout)' }
]

/** `npm run simulator -- mule-mmc`: a console at /mmc with a few deployments to rehearse against. */
export async function startMuleMmcDemo(
  options: ServerOptions
): Promise<{ server: RunningServer; details: string[] }> {
  const server = await startMuleMmcSimulator({ ...options, deployments: DEMO })
  return {
    server,
    details: [
      `base-url: ${server.baseUrl}`,
      `username: ${server.username}  password: ${server.password}`,
      `servers: ${[...server.serverIds.keys()].join(', ')}; applications: ${[...server.applicationIds.keys()].join(', ')}`,
      'deployments:',
      ...DEMO.map(({ name, about }) => `  ${name.padEnd(12)} ${about}`)
    ]
  }
}
