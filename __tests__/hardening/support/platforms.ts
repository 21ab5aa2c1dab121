import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  startBmcRpmSimulator,
  startEpmwareSimulator,
  startFlexDeploySimulator,
  startMobileFirstSimulator,
  startMuleMmcSimulator,
  type RecordedRequest
} from '../../../simulator/index.js'
import { tempDirSync } from '../../fixtures/temp.js'

/** `quick`: ends well a couple of seconds in, so faults land mid-poll; `endless`: never ends. */
export type Job = 'quick' | 'endless'

export interface Started {
  /** The simulator's root URL (what a gate forwards to). */
  upstream: string
  close(): Promise<void>
}

export interface PlatformSetup {
  platform: string
  label: string
  /** Every form a credential of this platform takes on the wire: none may be written anywhere. */
  secrets: string[]
  start(job: Job): Promise<Started>
  /** Inputs for a run against `root` (a gate or the simulator itself). */
  inputs(root: string, job: Job): Record<string, string>
  env?: Record<string, string>
  /** The request that starts the remote job; BMC RPM's wait-for-window starts nothing. */
  isTrigger(request: RecordedRequest): boolean
  /** Status reads after the trigger. */
  statusPath: RegExp
  /** How many status reads go by before faults on them count as "mid-poll" (BMC RPM's first read is its start). */
  readsBeforePolling: number
  /** A line of stdout that shows the step is polling: when the runner's signal is sent. */
  polling: RegExp
  /** The platform has no call to cancel a remote job: what the message says instead. */
  noCancel?: RegExp
}

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64')

const EPM_TOKEN = 'hardening-epm-token-5b1e07d9'
const MMC_USER = 'hardening-mmc'
const MMC_PASSWORD = 'Mmc-hardening-pw-61c2'
const RPM_TOKEN = 'hardening-rpm-token-0f9a3c47'
const MFP_PASSWORD = 'Mfp-hardening-pw-8d03'
const FD_USER = 'hardening-fd'
const FD_PASSWORD = 'Fd-hardening-pw-2e7b'

let workspace: string | undefined
/** The MobileFirst deployables, in a workspace of their own. */
function mobileFirstWorkspace(): string {
  if (workspace) return workspace
  workspace = tempDirSync('ed-hardening-ws-')
  mkdirSync(path.join(workspace, 'adapters'))
  writeFileSync(path.join(workspace, 'adapters', 'quick.adapter'), `adapter with ${MFP_PASSWORD} inside`)
  writeFileSync(path.join(workspace, 'adapters', 'endless.adapter'), 'an adapter that never finishes')
  return workspace
}

const polling = { 'poll-interval': '100ms', 'max-poll-interval': '300ms' }

export const PLATFORMS: PlatformSetup[] = [
  {
    platform: 'epmware',
    label: 'EPMware',
    secrets: [EPM_TOKEN],
    async start() {
      const sim = await startEpmwareSimulator({
        token: EPM_TOKEN,
        deployments: {
          QUICK: { durationMs: 2500, logLine: `connecting with Token ${EPM_TOKEN}` },
          ENDLESS: { durationMs: 60 * 60_000 }
        }
      })
      return { upstream: sim.url, close: () => sim.close() }
    },
    inputs: (root, job) => ({
      platform: 'epmware',
      'base-url': `${root}/`,
      token: EPM_TOKEN,
      target: job === 'quick' ? 'QUICK' : 'ENDLESS',
      ...polling
    }),
    isTrigger: request => request.method === 'POST' && request.path.endsWith('/deployment/run'),
    statusPath: /\/task\/get_status\//,
    readsBeforePolling: 0,
    polling: /running \(R\)|queued \(N\)|pending \(P\)/,
    noCancel: /no call to cancel a task/
  },
  {
    platform: 'mule-mmc',
    label: 'Mule MMC',
    secrets: [MMC_PASSWORD, basic(MMC_USER, MMC_PASSWORD)],
    async start() {
      const sim = await startMuleMmcSimulator({
        username: MMC_USER,
        password: MMC_PASSWORD,
        deployments: [
          { name: 'quick', behaviour: { durationMs: 2500 } },
          { name: 'endless', behaviour: { durationMs: 60 * 60_000 } }
        ]
      })
      return { upstream: sim.url, close: () => sim.close() }
    },
    inputs: (root, job) => ({
      platform: 'mule-mmc',
      'base-url': `${root}/mmc/`,
      username: MMC_USER,
      password: MMC_PASSWORD,
      target: job,
      ...polling
    }),
    isTrigger: request => request.method !== 'GET',
    statusPath: /\/api\/deployments\/[^/]+$/,
    readsBeforePolling: 0,
    polling: /in progress \(IN_PROGRESS\)/
  },
  {
    platform: 'bmc-rpm',
    label: 'BMC RPM',
    secrets: [RPM_TOKEN],
    async start() {
      const sim = await startBmcRpmSimulator({ token: RPM_TOKEN })
      const now = Math.ceil(Date.now() / 1000) * 1000
      // wait-for-window: the window opens 3 s after the action's first read (counted from that read, not from
      // the simulator's start: 16 runs at once on a loaded machine can take longer than a fixed delay to reach
      // it; until then it is 15 s off, inside every case's deadline), or is suspended until someone resumes it
      // (a window opening after the step's deadline ends the step at once, timed-out: issue 13).
      sim.setEvent('41', { startAt: now + 15_000, finishAt: now + 60 * 60_000 })
      const watch = setInterval(() => {
        if (sim.stats().get === 0) return
        clearInterval(watch)
        const read = Date.now()
        sim.setEvent('41', { startAt: read + 3000, finishAt: read + 60 * 60_000 })
      }, 20)
      sim.setEvent('42', {
        startAt: now - 60_000,
        finishAt: now + 2 * 60 * 60_000,
        state: 'suspended',
        reason: 'change freeze'
      })
      return {
        upstream: sim.url,
        close: () => {
          clearInterval(watch)
          return sim.close()
        }
      }
    },
    inputs: (root, job) => ({
      platform: 'bmc-rpm',
      'base-url': `${root}/`,
      token: RPM_TOKEN,
      operation: 'wait-for-window',
      target: job === 'quick' ? '41' : '42',
      ...polling
    }),
    isTrigger: request => request.method !== 'GET',
    statusPath: /\/v1\/deployment_window\/events\//,
    readsBeforePolling: 1,
    polling: /Waiting for the window/
  },
  {
    platform: 'mobilefirst',
    label: 'MobileFirst',
    secrets: [MFP_PASSWORD, basic('deployer', MFP_PASSWORD)],
    async start() {
      const sim = await startMobileFirstSimulator({
        users: { deployer: { password: MFP_PASSWORD, roles: ['mfpdeployer'] } },
        deployables: {
          'quick.adapter': { pendingMs: 300, preparingMs: 2000 },
          'endless.adapter': { preparingMs: 60 * 60_000 }
        }
      })
      return { upstream: sim.url, close: () => sim.close() }
    },
    inputs: (root, job) => ({
      platform: 'mobilefirst',
      'base-url': `${root}/`,
      username: 'deployer',
      password: MFP_PASSWORD,
      target: 'mfp',
      artifacts: `adapters/${job}.adapter`,
      ...polling
    }),
    get env() {
      return { GITHUB_WORKSPACE: mobileFirstWorkspace() }
    },
    isTrigger: request => request.method === 'POST',
    statusPath: /\/transactions\//,
    readsBeforePolling: 0,
    polling: /\((PENDING|PREPARING)\)/,
    noCancel: /no call to cancel a transaction/
  },
  {
    platform: 'flexdeploy',
    label: 'FlexDeploy',
    secrets: [FD_PASSWORD, basic(FD_USER, FD_PASSWORD)],
    async start() {
      const sim = await startFlexDeploySimulator({
        username: FD_USER,
        password: FD_PASSWORD,
        projects: [
          {
            id: 10601,
            name: 'Quick',
            folderPath: 'FlexDeploy/Hardening',
            requests: [{ durationMs: 2500, output: `pw ${FD_PASSWORD}` }]
          },
          {
            id: 10602,
            name: 'Endless',
            folderPath: 'FlexDeploy/Hardening',
            requests: [{ durationMs: 60 * 60_000 }]
          }
        ]
      })
      return { upstream: sim.url, close: () => sim.close() }
    },
    inputs: (root, job) => ({
      platform: 'flexdeploy',
      'base-url': `${root}/flexdeploy/`,
      username: FD_USER,
      password: FD_PASSWORD,
      target: job === 'quick' ? '10601' : '10602',
      parameters: 'environmentId: 11210',
      ...polling
    }),
    isTrigger: request => request.method === 'POST',
    statusPath: /\/workflowrequest\//,
    readsBeforePolling: 0,
    polling: /\((SUBMITTED|READY)\)/
  }
]
