import type { RunningServer, ServerOptions } from '../server.js'
import { DEFAULT_USERS, startMobileFirstSimulator, type TransactionBehaviour } from './index.js'

const DEMO_DEPLOYABLES: Record<string, TransactionBehaviour & { about: string }> = {
  'failing.adapter': {
    outcome: 'FAILURE',
    errors: [
      'FWLSE3064E: The adapter failing is not valid: adapter.xml is missing.',
      'FWLSE3069E: The transaction was rolled back.'
    ],
    about: 'fails with two errors'
  },
  'canceled.adapter': { outcome: 'CANCELED', about: 'is canceled' },
  'slow.adapter': { preparingMs: 10 * 60_000, about: 'prepares for 10 minutes' },
  'broken.adapter': { failWith: 500, about: 'makes the deploy call answer 500' }
}

/** `npm run simulator -- mobilefirst`: runtime mfp, the default users, a few misbehaving file names. */
export async function startMobileFirstDemo(
  options: ServerOptions
): Promise<{ server: RunningServer; details: string[] }> {
  const server = await startMobileFirstSimulator({ ...options, deployables: DEMO_DEPLOYABLES })
  return {
    server,
    details: [
      `base-url: ${server.url}`,
      'target: mfp',
      'users:',
      ...Object.entries(DEFAULT_USERS).map(
        ([name, user]) =>
          `  ${name.padEnd(10)} password ${user.password.padEnd(14)} roles ${user.roles.join(', ')}`
      ),
      'any deployable succeeds after about 0.8 s, except by file name:',
      ...Object.entries(DEMO_DEPLOYABLES).map(([name, { about }]) => `  ${name.padEnd(18)} ${about}`)
    ]
  }
}
