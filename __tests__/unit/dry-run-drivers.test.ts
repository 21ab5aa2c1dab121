import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { definitionOf } from '../../src/drivers/index.js'
import { authFor } from '../../src/engine/auth.js'
import { systemClock } from '../../src/engine/clock.js'
import type { Deployment } from '../../src/inputs/schema.js'
import {
  startBmcRpmSimulator,
  startFlexDeploySimulator,
  startMobileFirstSimulator,
  startMuleMmcSimulator,
  type RecordedRequest
} from '../../simulator/index.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testHttpClient } from '../fixtures/http-client.js'
import { tempDir } from '../fixtures/temp.js'

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers) await close()
})

/** A dry run through the real driver and HTTP client, as the engine would make it. */
async function dryRun(deployment: Deployment) {
  const definition = definitionOf(deployment.platform)
  const http = testHttpClient(deployment.baseUrl, authFor(definition, deployment))
  const driver = definition.create({
    deployment,
    http,
    clock: systemClock,
    log: { info: () => {}, warning: () => {} }
  })
  if (!driver.dryRun) throw new Error(`${deployment.platform} has no dry run`)
  return driver.dryRun(new AbortController().signal)
}

const verdicts = (checks: { check: string; ok: boolean }[]) =>
  checks.map(check => `${check.check}: ${check.ok ? 'ok' : 'FAILED'}`)
const onlyReads = (requests: RecordedRequest[]) => requests.every(request => request.method === 'GET')

describe('dry runs trigger nothing and say what they found', () => {
  it('Mule MMC: resolves a deployment by name; an unknown name and bad credentials are named', async () => {
    const sim = await startMuleMmcSimulator({ deployments: [{ name: 'orders-api', status: 'DEPLOYED' }] })
    closers.push(() => sim.close())
    const base = {
      platform: 'mule-mmc' as const,
      baseUrl: sim.baseUrl,
      credentials: { username: sim.username, password: sim.password }
    }
    const found = await dryRun(testDeployment({ ...base, operation: 'redeploy', target: 'orders-api' }))
    expect(verdicts(found)).toEqual([
      'server reachable: ok',
      'credentials accepted: ok',
      'target resolved: ok'
    ])
    expect(found[2]?.detail).toMatch(/deployment orders-api \(local\$.+\) is DEPLOYED/)
    expect(
      verdicts(await dryRun(testDeployment({ ...base, operation: 'deploy', target: 'nope' })))
    ).toContain('target resolved: FAILED')
    const refused = await dryRun(
      testDeployment({
        ...base,
        operation: 'deploy',
        target: 'orders-api',
        credentials: { username: 'x', password: 'y' }
      })
    )
    expect(verdicts(refused)).toEqual(['server reachable: ok', 'credentials accepted: FAILED'])
    const create = await dryRun(testDeployment({ ...base, operation: 'create', target: 'orders-api' }))
    expect(verdicts(create)).toContain('name free: FAILED')
    expect(onlyReads(sim.requests)).toBe(true)
  })

  it('FlexDeploy: finds a project by path and by id; an unknown one is named', async () => {
    const sim = await startFlexDeploySimulator({
      projects: [{ id: 10501, name: 'ProcessHRRequest', folderPath: 'FlexDeploy/Human Resources' }]
    })
    closers.push(() => sim.close())
    const base = {
      platform: 'flexdeploy' as const,
      baseUrl: `${sim.url}/flexdeploy`,
      credentials: { username: sim.username, password: sim.password },
      parameters: { environmentId: 11210 }
    }
    const byPath = await dryRun(testDeployment({ ...base, target: 'Human Resources/ProcessHRRequest' }))
    expect(verdicts(byPath)).toEqual([
      'server reachable: ok',
      'credentials accepted: ok',
      'target resolved: ok',
      'REST API version: ok',
      'names resolved: ok'
    ])
    expect(byPath[2]?.detail).toMatch(/ProcessHRRequest/)
    expect(byPath[3]?.detail).toBe('FlexDeploy REST API v2')
    expect(byPath[4]?.detail).toBe('projectId 10501, environmentId 11210')
    expect(verdicts(await dryRun(testDeployment({ ...base, target: '10501' })))).toContain(
      'target resolved: ok'
    )
    expect(verdicts(await dryRun(testDeployment({ ...base, target: '99999' })))).toContain(
      'target resolved: FAILED'
    )
    expect(onlyReads(sim.requests)).toBe(true)
  })

  it('BMC RPM: reads the event and says whether the window is open; a bad token is named', async () => {
    const now = Date.now()
    const sim = await startBmcRpmSimulator({
      events: { '12': { startAt: now - 60_000, finishAt: now + 3_600_000 } }
    })
    closers.push(() => sim.close())
    const base = {
      platform: 'bmc-rpm' as const,
      baseUrl: sim.url,
      operation: 'suspend',
      parameters: { reason: 'incident' }
    }
    const found = await dryRun(testDeployment({ ...base, target: '12', credentials: { token: sim.token } }))
    expect(verdicts(found)).toEqual(['server reachable: ok', 'credentials accepted: ok', 'event found: ok'])
    expect(found[2]?.detail).toMatch(/deployment window event 12: .*open/)
    expect(
      verdicts(await dryRun(testDeployment({ ...base, target: '404', credentials: { token: sim.token } })))
    ).toContain('event found: FAILED')
    expect(
      verdicts(await dryRun(testDeployment({ ...base, target: '12', credentials: { token: 'wrong-token' } })))
    ).toEqual(['server reachable: ok', 'credentials accepted: FAILED'])
    expect(onlyReads(sim.requests)).toBe(true)
  })

  it('MobileFirst: reads the runtime and finds the deployables, uploading nothing', async () => {
    const sim = await startMobileFirstSimulator({})
    closers.push(() => sim.close())
    const workspace = await tempDir('ed-dry-')
    await mkdir(path.join(workspace, 'adapters'))
    await writeFile(path.join(workspace, 'adapters', 'orders.adapter'), 'adapter')
    const previous = process.env.GITHUB_WORKSPACE
    process.env.GITHUB_WORKSPACE = workspace
    try {
      const base = {
        platform: 'mobilefirst' as const,
        baseUrl: sim.url,
        credentials: { username: 'deployer', password: 'deployer-pass' },
        artifacts: ['adapters/*.adapter']
      }
      const found = await dryRun(testDeployment({ ...base, target: 'mfp' }))
      expect(verdicts(found)).toEqual([
        'server reachable: ok',
        'credentials accepted: ok',
        'runtime found: ok',
        'runtime lock: ok',
        'deployables found: ok'
      ])
      expect(found[3]?.detail).toBe('runtime mfp is not locked by any transaction')
      expect(found[4]?.detail).toMatch(
        /adapters\/orders\.adapter \(.*, to adapters\).*mfpadmin or mfpdeployer/
      )
      expect(verdicts(await dryRun(testDeployment({ ...base, target: 'nope' })))).toContain(
        'runtime found: FAILED'
      )
      const refused = await dryRun(
        testDeployment({ ...base, target: 'mfp', credentials: { username: 'deployer', password: 'wrong' } })
      )
      expect(verdicts(refused)).toEqual(['server reachable: ok', 'credentials accepted: FAILED'])
    } finally {
      if (previous === undefined) delete process.env.GITHUB_WORKSPACE
      else process.env.GITHUB_WORKSPACE = previous
    }
    expect(onlyReads(sim.requests)).toBe(true)
  })
})
