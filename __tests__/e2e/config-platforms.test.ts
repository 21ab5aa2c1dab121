import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  startEpmwareSimulator,
  startFlexDeploySimulator,
  startMuleMmcSimulator,
  type EpmwareSimulator,
  type FlexDeploySimulator,
  type MuleMmcSimulator,
  type RecordedRequest
} from '../../simulator/index.js'
import { everythingWritten, runAction } from './run-action.js'
import { tempDir } from '../fixtures/temp.js'

/** One config file, three platforms: FlexDeploy → EPMware in one chain, Mule MMC → EPMware in another. */
const EPM_TOKEN = 'epm-token-71c4a9e0'
let epmware: EpmwareSimulator
let flexdeploy: FlexDeploySimulator
let mmc: MuleMmcSimulator
let workspace: string

beforeAll(async () => {
  workspace = await tempDir('ed-platforms-')
  epmware = await startEpmwareSimulator({
    token: EPM_TOKEN,
    deployments: { METADATA: { durationMs: 500 }, REPORTS: { durationMs: 300 } }
  })
  flexdeploy = await startFlexDeploySimulator({
    projects: [
      {
        id: 10501,
        name: 'ProcessHRRequest',
        folderPath: 'FlexDeploy/Human Resources',
        requests: [{ durationMs: 700 }]
      }
    ]
  })
  mmc = await startMuleMmcSimulator({
    deployments: [{ name: 'billing', behaviour: { durationMs: 600, outcome: 'FAILED' } }]
  })
})

afterAll(async () => {
  await Promise.all([epmware.close(), flexdeploy.close(), mmc.close()])
})

const ENV = {
  EPM_TOKEN,
  FD_USER: 'fd-user',
  FD_PASSWORD: 'fd-password-c81e',
  MMC_USER: 'mmc-user',
  MMC_PASSWORD: 'mmc-password-42f0'
}

async function configFile(): Promise<string> {
  const text = `
defaults: { poll-interval: 200ms, max-poll-interval: 500ms, timeout: 1m }
deployments:
  - name: hr-services
    platform: flexdeploy
    base-url: ${flexdeploy.url}/flexdeploy
    username: \${{ env.FD_USER }}
    password: \${{ env.FD_PASSWORD }}
    target: Human Resources/ProcessHRRequest
    parameters: { environmentId: 11210 }
  - name: planning-metadata
    platform: epmware
    base-url: ${epmware.url}
    token: \${{ env.EPM_TOKEN }}
    target: METADATA
    needs: [hr-services]
  - name: billing
    platform: mule-mmc
    base-url: ${mmc.baseUrl}
    username: \${{ env.MMC_USER }}
    password: \${{ env.MMC_PASSWORD }}
    target: billing
  - name: reports
    platform: epmware
    base-url: ${epmware.url}
    token: \${{ env.EPM_TOKEN }}
    target: REPORTS
    needs: [billing]
`
  const file = path.join(workspace, 'deployments.yml')
  await writeFile(file, text)
  return 'deployments.yml'
}

const writes = (requests: RecordedRequest[]) => requests.filter(request => request.method !== 'GET')

describe('a config file spanning three platforms', () => {
  it('runs the graph: a failure skips what needs it, the rest finish, and the summary shows every platform', async () => {
    const run = await runAction(
      { config: await configFile() },
      { env: { ...ENV, GITHUB_WORKSPACE: workspace, ...credentialsFor() } }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    const results = JSON.parse(run.outputs.results ?? '[]') as {
      name: string
      platform: string
      status: string
    }[]
    expect(results.map(result => [result.name, result.platform, result.status])).toEqual([
      ['hr-services', 'flexdeploy', 'succeeded'],
      ['planning-metadata', 'epmware', 'succeeded'],
      ['billing', 'mule-mmc', 'failed'],
      ['reports', 'epmware', 'skipped']
    ])
    for (const platform of ['FlexDeploy', 'EPMware', 'Mule Management Console'])
      expect(run.summary).toContain(platform)
    expect(epmware.requests.filter(request => request.body.includes('REPORTS'))).toHaveLength(0)
    const written = everythingWritten(run)
    for (const secret of [EPM_TOKEN, ENV.FD_PASSWORD, ENV.MMC_PASSWORD]) expect(written).not.toContain(secret)
  })

  it('dry-runs the same file: every server reached, every target resolved, nothing triggered', async () => {
    for (const sim of [epmware, flexdeploy, mmc]) sim.requests.length = 0
    const run = await runAction(
      { config: await configFile(), 'dry-run': 'true' },
      { env: { ...ENV, GITHUB_WORKSPACE: workspace, ...credentialsFor() } }
    )
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(/nothing triggered/i)
    for (const sim of [epmware, flexdeploy, mmc]) {
      expect(sim.requests.length).toBeGreaterThan(0)
      expect(writes(sim.requests)).toEqual([])
    }
  })
})

/** The simulators' own users, under the names the file reads. */
function credentialsFor(): Record<string, string> {
  return {
    FD_USER: flexdeploy.username,
    FD_PASSWORD: flexdeploy.password,
    MMC_USER: mmc.username,
    MMC_PASSWORD: mmc.password
  }
}
