import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { startEpmwareSimulator, type EpmwareSimulator } from '../../simulator/index.js'
import { runAction, type ActionRun } from './run-action.js'

/**
 * A fleet on GitHub's scheduler, through the bundle: the plan job's dry run gives the waves, a matrix job
 * runs one deployment of a wave with the `deployments` input.
 */
const TOKEN = 'fleet-e2e-token-4a9c'
let sim: EpmwareSimulator
let workspace: string

beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'ed-fleet-'))
  sim = await startEpmwareSimulator({
    token: TOKEN,
    deployments: {
      METADATA: { durationMs: 200 },
      HFM: { durationMs: 200 },
      REPORTS: { durationMs: 200 },
      DASHBOARDS: { durationMs: 200 }
    }
  })
  const entry = (name: string, needs: string[]) =>
    `  - name: ${name}\n    platform: epmware\n    base-url: ${sim.url}\n    token: \${{ env.FLEET_TOKEN }}\n    target: ${name.toUpperCase()}\n    needs: [${needs.join(', ')}]\n`
  await writeFile(
    path.join(workspace, 'fleet.yml'),
    `defaults: { poll-interval: 100ms, max-poll-interval: 200ms, timeout: 20s }\ndeployments:\n${[
      entry('metadata', []),
      entry('hfm', ['metadata']),
      entry('reports', ['metadata']),
      entry('dashboards', ['hfm', 'reports'])
    ].join('')}`
  )
})

afterAll(async () => {
  await sim.close()
  await rm(workspace, { recursive: true, force: true })
})

const run = (inputs: Record<string, string>): Promise<ActionRun> =>
  runAction({ config: 'fleet.yml', ...inputs }, { env: { GITHUB_WORKSPACE: workspace, FLEET_TOKEN: TOKEN } })

const triggers = () =>
  sim.requests.filter(request => request.method === 'POST' && request.path.endsWith('/deployment/run'))

describe('fleet end to end', () => {
  it('the plan job: a dry run triggers nothing and gives the waves, each a strategy.matrix', async () => {
    sim.requests.length = 0
    const planned = await run({ 'dry-run': 'true' })
    expect(triggers()).toEqual([])
    const plan = JSON.parse(planned.outputs.plan ?? 'null') as { include: Record<string, unknown>[] }[]
    expect(plan).toEqual([
      { include: [{ deployment: 'metadata', platform: 'epmware', target: 'METADATA', needs: [] }] },
      {
        include: [
          { deployment: 'hfm', platform: 'epmware', target: 'HFM', needs: ['metadata'] },
          { deployment: 'reports', platform: 'epmware', target: 'REPORTS', needs: ['metadata'] }
        ]
      },
      {
        include: [
          { deployment: 'dashboards', platform: 'epmware', target: 'DASHBOARDS', needs: ['hfm', 'reports'] }
        ]
      }
    ])
  })

  it('a wave job: deployments runs only the named one, its need counted as met', async () => {
    sim.requests.length = 0
    const wave = await run({ deployments: 'dashboards' })
    expect(wave.code).toBe(0)
    expect(wave.outputs.status).toBe('succeeded')
    expect(triggers().map(request => JSON.parse(request.body).name)).toEqual(['DASHBOARDS'])
    expect(JSON.parse(wave.outputs.results ?? '[]')).toEqual([
      expect.objectContaining({ name: 'dashboards', status: 'succeeded' })
    ])
    expect(JSON.parse(wave.outputs.plan ?? '[]')).toHaveLength(3)
  })

  it('an unknown name is an input error listing the valid ones; nothing is sent, every output is set', async () => {
    sim.requests.length = 0
    const bad = await run({ deployments: 'hfm,dashbords' })
    expect(bad.code).toBe(1)
    expect(sim.requests).toEqual([])
    expect(bad.outputs.status).toBe('failed')
    expect(bad.outputs.message).toContain(
      "input 'deployments' 'dashbords': is not a deployment of fleet.yml; its deployments: metadata, hfm, reports, dashboards"
    )
    expect(bad.stdout).toMatch(/^::error::.*input 'deployments' 'dashbords'/m)
    expect(bad.outputs).toHaveProperty('plan', '')
  })

  it('a single deployment sets plan empty', async () => {
    const single = await runAction(
      { platform: 'epmware', 'base-url': sim.url, target: 'METADATA', 'dry-run': 'true' },
      { env: { INPUT_TOKEN: TOKEN } }
    )
    expect(single.outputs.status).toBe('succeeded')
    expect(single.outputs).toHaveProperty('plan', '')
  })
})
