import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { definitionOf } from '../../src/drivers/index.js'
import { authFor } from '../../src/engine/auth.js'
import { systemClock } from '../../src/engine/clock.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { startMuleMmcSimulator, type MuleMmcSimulator } from '../../simulator/index.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testHttpClient } from '../fixtures/http-client.js'

let sim: MuleMmcSimulator
let workspace: string
const saved = process.env.GITHUB_WORKSPACE

beforeAll(async () => {
  sim = await startMuleMmcSimulator({ deployments: [{ name: 'orders', status: 'DEPLOYED' }] })
  workspace = mkdtempSync(path.join(tmpdir(), 'mmc-dry-'))
  writeFileSync(path.join(workspace, 'orders-api-2.0.zip'), 'zip')
  process.env.GITHUB_WORKSPACE = workspace
})

afterAll(async () => {
  await sim.close()
  rmSync(workspace, { recursive: true, force: true })
  if (saved === undefined) delete process.env.GITHUB_WORKSPACE
  else process.env.GITHUB_WORKSPACE = saved
})

async function dryRun(overrides: Partial<Deployment>) {
  const deployment = testDeployment({
    platform: 'mule-mmc',
    baseUrl: sim.baseUrl,
    credentials: { username: sim.username, password: sim.password },
    ...overrides
  })
  const definition = definitionOf('mule-mmc')
  const http = testHttpClient(deployment.baseUrl, authFor(definition, deployment))
  const driver = await definition.create({
    deployment,
    http,
    clock: systemClock,
    log: { info: () => {}, warning: () => {} }
  })
  return (await driver.dryRun?.(new AbortController().signal)) ?? []
}

describe('Mule MMC dry run of a release', () => {
  it('names the archive, resolves every name, and says whether the deployment would be created or updated', async () => {
    const update = await dryRun({ operation: 'deploy', target: 'orders', artifacts: ['*.zip'] })
    expect(update.map(check => `${check.check}: ${check.ok}`)).toEqual([
      'server reachable: true',
      'credentials accepted: true',
      'archive found: true',
      'names resolved: true',
      'deployment found: true'
    ])
    expect(update[2]?.detail).toMatch(
      /orders-api-2\.0\.zip \(3 bytes\) would be uploaded as orders-api version 2\.0/
    )
    expect(update[4]?.detail).toMatch(/the new version would be added to it and deployed/)
    const create = await dryRun({
      operation: 'deploy',
      artifacts: ['*.zip'],
      parameters: { serverGroups: ['Production'] }
    })
    expect(create[3]?.detail).toContain(`servers: ${sim.groupIds.get('Production')};`)
    expect(create[4]?.detail).toMatch(/no deployment is named 'orders-api': it would be created/)
    const unknown = await dryRun({
      operation: 'deploy',
      artifacts: ['*.zip'],
      parameters: { serverGroups: ['Nope'] }
    })
    expect(unknown[3]).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/No server group is named 'Nope'.*It has: Production/)
    })
    expect(sim.requests.every(request => request.method === 'GET')).toBe(true)
    expect(sim.uploads).toHaveLength(0)
  })
})
