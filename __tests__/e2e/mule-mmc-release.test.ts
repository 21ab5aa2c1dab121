import { createHash, randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  startMuleMmcSimulator,
  type MuleMmcSimulator,
  type MuleMmcSimulatorOptions
} from '../../simulator/index.js'
import { runAction, type ActionRun } from './run-action.js'

const USER = 'deployer'
const PASSWORD = 'mmc-S3cret!pw-7730'
let workspace: string
const started: MuleMmcSimulator[] = []

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'mmc-workspace-'))
})

afterAll(() => rmSync(workspace, { recursive: true, force: true }))

afterEach(async () => {
  await Promise.all(started.splice(0).map(sim => sim.close()))
})

async function mmcConsole(options: MuleMmcSimulatorOptions = {}): Promise<MuleMmcSimulator> {
  const sim = await startMuleMmcSimulator({ username: USER, password: PASSWORD, ...options })
  started.push(sim)
  return sim
}

/** A small archive in a folder of its own inside the workspace; returns its path relative to the workspace. */
function archive(name: string, bytes = 2048): string {
  const folder = mkdtempSync(path.join(workspace, 'build-'))
  writeFileSync(path.join(folder, name), randomBytes(bytes))
  return path.relative(workspace, path.join(folder, name))
}

function mmc(
  sim: MuleMmcSimulator,
  inputs: Record<string, string>,
  options: Parameters<typeof runAction>[1] = {}
): Promise<ActionRun> {
  return runAction(
    {
      platform: 'mule-mmc',
      'base-url': sim.baseUrl,
      username: USER,
      password: PASSWORD,
      'poll-interval': '100ms',
      'max-poll-interval': '300ms',
      timeout: '20s',
      ...inputs
    },
    { ...options, env: { GITHUB_WORKSPACE: workspace, ...options.env } }
  )
}

const posted = (sim: MuleMmcSimulator, suffix: string) =>
  sim.requests.filter(request => request.method !== 'GET' && request.path.endsWith(suffix))

describe('Mule MMC: the release flow CI runs', () => {
  it('uploads a 50 MB archive streamed and byte-exact, creates the deployment, deploys it on every server', async () => {
    const sim = await mmcConsole({ deployments: [] })
    const folder = mkdtempSync(path.join(workspace, 'big-'))
    const file = path.join(folder, 'orders-api-2.0.0.zip')
    const size = 50 * 1024 * 1024
    const hash = createHash('sha256')
    const descriptor = openSync(file, 'w')
    for (let written = 0; written < size; written += 1024 * 1024) {
      const block = randomBytes(1024 * 1024)
      hash.update(block)
      writeSync(descriptor, block)
    }
    closeSync(descriptor)
    let peakKb = 0
    let sampler: NodeJS.Timeout | undefined
    try {
      const run = await mmc(
        sim,
        {
          artifacts: `${path.basename(folder)}/*.zip`,
          parameters: 'serverGroups: [Production]'
        },
        {
          killAfterMs: 50_000,
          onSpawn: pid => {
            sampler = setInterval(() => {
              try {
                const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
                if (kb > peakKb) peakKb = kb
              } catch {
                // The process has ended.
              }
            }, 50)
          }
        }
      )
      clearInterval(sampler)
      expect(run.outputs.status).toBe('succeeded')
      // Byte-exact on the server: hashed there as it streamed.
      const upload = sim.uploads[0]
      const part = upload?.parts.find(candidate => candidate.field === 'file')
      expect(part).toMatchObject({ filename: 'orders-api-2.0.0.zip', size, sha256: hash.digest('hex') })
      expect(upload?.parts.filter(p => p.value !== undefined).map(p => [p.field, p.value])).toEqual([
        ['name', 'orders-api'],
        ['version', '2.0.0']
      ])
      // Streamed with an exact Content-Length, not chunked or buffered.
      expect(upload?.contentLength).toBe(upload?.bytes)
      // Created on the group (ids only), deployed, reconciled on both servers.
      const deployment = sim.byName('orders-api')
      expect(deployment).toMatchObject({ status: 'DEPLOYED', servers: [sim.groupIds.get('Production')] })
      expect(deployment?.applications).toEqual([sim.applicationIds.get('orders-api:2.0.0')])
      expect(sim.reconciled(deployment!)).toBe(true)
      expect(sim.server('mule0')?.applications.get('orders-api')).toBe('STARTED')
      expect(sim.server('mule1')?.applications.get('orders-api')).toBe('STARTED')
      expect(run.outputs['task-id']).toBe(deployment?.id)
      expect(run.outputs.message).toMatch(/is DEPLOYED and reconciled on every server/)
      expect(run.stdout).toMatch(
        /Uploading big-\w+\/orders-api-2\.0\.0\.zip \(50\.0 MB\) to the repository as orders-api version 2\.0\.0/
      )
      const create = posted(sim, '/api/deployments')[0]
      expect(JSON.parse(create?.body ?? '')).toEqual({
        name: 'orders-api',
        servers: [sim.groupIds.get('Production')],
        applications: [sim.applicationIds.get('orders-api:2.0.0')]
      })
      if (process.platform === 'linux') {
        process.stdout.write(`mule-mmc 50 MB upload: peak RSS ${Math.round(peakKb / 1024)} MB\n`)
        expect(peakKb).toBeGreaterThan(0)
        expect(peakKb).toBeLessThan(120 * 1024)
      }
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }, 60_000)

  it('adds the new version to an existing deployment, removes the old one, deploys; the version defaults to the commit', async () => {
    const sim = await mmcConsole({
      deployments: [
        {
          name: 'orders',
          status: 'DEPLOYED',
          servers: ['mule0'],
          applications: ['orders-api:1.0', 'billing:2.3']
        }
      ]
    })
    const oldId = sim.byName('orders')?.id
    const run = await mmc(
      sim,
      { target: 'orders', artifacts: archive('orders-api.zip') },
      { env: { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' } }
    )
    expect(run.outputs.status).toBe('succeeded')
    const newVersion = sim.applicationIds.get('orders-api:0123456')
    expect(newVersion).toBeDefined()
    const deployment = sim.byName('orders')
    expect(deployment?.id).not.toBe(oldId)
    expect(deployment?.applications.sort()).toEqual(
      [newVersion, sim.applicationIds.get('billing:2.3')].sort()
    )
    expect(deployment?.status).toBe('DEPLOYED')
    expect(run.outputs['task-id']).toBe(deployment?.id)
    expect(JSON.parse(posted(sim, '/add')[0]?.body ?? '')).toMatchObject({ applications: [newVersion] })
    expect(JSON.parse(posted(sim, '/remove')[0]?.body ?? '')).toMatchObject({
      applications: [sim.applicationIds.get('orders-api:1.0')]
    })
    expect(run.stdout).toMatch(/removed the replaced version 1\.0/)
  })

  it('an existing version is an error naming it; replaceVersion deletes and uploads it again', async () => {
    const sim = await mmcConsole({ deployments: [] })
    const file = archive('billing-2.3.zip')
    const refused = await mmc(sim, {
      operation: 'create',
      target: 'billing',
      artifacts: file,
      parameters: 'serversNames: [mule0]'
    })
    expect(refused.outputs.status).toBe('failed')
    expect(refused.outputs.message).toMatch(
      /The repository already has billing version 2\.3 \(local\$[\w-]+\)/
    )
    expect(refused.stdout).toMatch(/replaceVersion: true/)
    expect(sim.uploads).toHaveLength(0)
    const oldVersion = sim.applicationIds.get('billing:2.3')
    const replaced = await mmc(sim, {
      operation: 'create',
      target: 'billing',
      artifacts: file,
      parameters: 'serversNames: [mule0]\nreplaceVersion: true'
    })
    expect(replaced.outputs.status).toBe('succeeded')
    expect(
      sim.requests.some(r => r.method === 'DELETE' && r.path === `/mmc/api/repository/${oldVersion}`)
    ).toBe(true)
    expect(sim.applicationIds.get('billing:2.3')).not.toBe(oldVersion)
    expect(sim.byName('billing')?.applications).toEqual([sim.applicationIds.get('billing:2.3')])
  })
})

describe('Mule MMC: names resolved to ids', () => {
  it('create by names on a 3.3.2+ console works: servers, server groups, clusters and name:version sent as ids', async () => {
    const sim = await mmcConsole({
      version: '3.8.0',
      servers: [{ name: 'mule0', groups: ['Production'] }, { name: 'edge' }]
    })
    const run = await mmc(sim, {
      operation: 'create',
      target: 'payments',
      parameters:
        "serversNames: [edge]\nserverGroups: [Production]\nclusterNames: [cluster-a]\napplications: ['billing:2.3', 'orders-api:1.1']\ndeploy: true"
    })
    expect(run.outputs.status).toBe('succeeded')
    const body = JSON.parse(posted(sim, '/api/deployments')[0]?.body ?? '')
    expect(body).toEqual({
      name: 'payments',
      servers: [sim.serverIds.get('edge'), sim.groupIds.get('Production')],
      clusters: [sim.clusterIds.get('cluster-a')],
      applications: [sim.applicationIds.get('billing:2.3'), sim.applicationIds.get('orders-api:1.1')]
    })
    expect(sim.byName('payments')?.status).toBe('DEPLOYED')
    for (const lookup of ['/api/servers', '/api/serverGroups', '/api/clusters', '/api/repository'])
      expect(sim.requests.some(r => r.method === 'GET' && r.path === `/mmc${lookup}`)).toBe(true)
  })

  it.each([
    ['server', 'serversNames: [mule9]', /No server is named 'mule9'.*It has: mule0 \(local\$[\w-]+\); mule1/],
    ['server group', 'serverGroups: [Staging]', /No server group is named 'Staging'.*It has: Production/],
    ['cluster', 'clusterNames: [cluster-z]', /No cluster is named 'cluster-z'.*It has: cluster-a/],
    [
      'application',
      'applications: [shipping]',
      /No application is named 'shipping'.*It has: orders-api \(versions: 1\.0, 1\.1\); billing \(versions: 2\.3\)/
    ],
    [
      'version',
      "applications: ['orders-api:9.9']",
      /No version of orders-api is named '9\.9'.*It has: 1\.0 \(local\$/
    ],
    [
      'ambiguous application',
      'applications: [orders-api]',
      /Application orders-api has 2 versions in the repository \(1\.0, 1\.1\); say which one as orders-api:<version>/
    ]
  ])(
    '%s: one that is not there is named with what exists, before anything is written',
    async (_kind, lists, message) => {
      const sim = await mmcConsole({ deployments: [] })
      const run = await mmc(sim, {
        operation: 'create',
        target: 'x',
        parameters: `${lists}\n${lists.startsWith('applications') ? 'serversNames: [mule0]' : "applications: ['billing:2.3']"}`
      })
      expect(run.outputs.status).toBe('failed')
      expect(run.outputs.message).toMatch(message)
      expect(sim.requests.filter(r => r.method !== 'GET')).toHaveLength(0)
    }
  )

  it('several servers with one name is an error listing them', async () => {
    const sim = await mmcConsole({ servers: ['mule0', { name: 'twin' }, { name: 'twin' }], deployments: [] })
    const run = await mmc(sim, {
      operation: 'create',
      target: 'x',
      parameters: "serversNames: [twin]\napplications: ['billing:2.3']"
    })
    expect(run.outputs.message).toMatch(
      /2 servers are named 'twin' \(GET \/api\/servers\): twin \(local\$[\w-]+\); twin \(local\$/
    )
  })

  it('compares names after NFC normalization, and says when only case differs', async () => {
    const sim = await mmcConsole({
      deployments: [{ name: 'Caf\u00e9', status: 'DEPLOYED', behaviour: { durationMs: 300 } }]
    })
    const decomposed = 'Cafe\u0301'
    const run = await mmc(sim, { operation: 'redeploy', target: decomposed })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe(sim.byName('Caf\u00e9')?.id)
    const lower = await mmc(sim, { operation: 'redeploy', target: 'caf\u00e9' })
    expect(lower.outputs.status).toBe('failed')
    expect(lower.outputs.message).toMatch(/'Café' differs from 'café' only in letter case/)
  })
})

describe('Mule MMC: how a deploy ends', () => {
  it('DEPLOYED but not reconciled fails, naming the server; allowPartial makes it a warning', async () => {
    const sim = await mmcConsole({
      deployments: [
        { name: 'orders', servers: ['mule0', 'mule1'], behaviour: { durationMs: 300, failOn: ['mule1'] } }
      ]
    })
    const run = await mmc(sim, { target: 'orders' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs['remote-status']).toBe('DEPLOYED')
    expect(run.outputs.message).toMatch(
      /is DEPLOYED but not on every server: orders-api 1\.0 is not deployed on server mule1$/
    )
    const partial = await mmc(sim, {
      operation: 'redeploy',
      target: 'orders',
      parameters: 'allowPartial: true'
    })
    expect(partial.outputs.status).toBe('succeeded')
    expect(partial.stdout).toMatch(/::warning title=orders::.*not deployed on server mule1/)
  })

  it('a stopped server is named too', async () => {
    const sim = await mmcConsole({
      servers: ['mule0', { name: 'mule1', status: 'STOPPED' }],
      deployments: [{ name: 'orders', servers: ['mule0', 'mule1'], behaviour: { durationMs: 300 } }]
    })
    const run = await mmc(sim, { target: 'orders' })
    expect(run.outputs.message).toMatch(/server mule1 is STOPPED/)
  })

  it('a redeploy the console finishes without ever showing IN_PROGRESS ends in seconds', async () => {
    const sim = await mmcConsole({
      deployments: [{ name: 'orders', status: 'DEPLOYED', behaviour: { silentRedeploy: true } }]
    })
    const run = await mmc(sim, { operation: 'redeploy', target: 'orders', timeout: '60s' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(/never showed IN_PROGRESS, and every server runs every application/)
    expect(run.elapsedMs).toBeLessThan(10_000)
    expect(sim.requests.some(r => r.path.endsWith('/applications'))).toBe(true)
  })

  it('a text answer to deploy is logged and followed, not a failure', async () => {
    const sim = await mmcConsole({
      textAnswers: true,
      deployments: [{ name: 'orders', behaviour: { durationMs: 300 } }]
    })
    const run = await mmc(sim, { target: 'orders' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.stdout).toContain('The console answered deploy: The specified deployments are deployed.')
    const undeploy = await mmc(sim, { operation: 'undeploy', target: 'orders' })
    expect(undeploy.outputs.status).toBe('succeeded')
  })

  it('an add answered IN_PROGRESS is followed on the new id until it leaves it', async () => {
    const sim = await mmcConsole({ changeInProgressMs: 1200, deployments: [{ name: 'orders' }] })
    const oldId = sim.byName('orders')?.id
    const run = await mmc(sim, {
      operation: 'add',
      target: 'orders',
      parameters: "applications: ['billing:2.3']"
    })
    expect(run.outputs.status).toBe('succeeded')
    const newId = sim.byName('orders')?.id
    expect(newId).not.toBe(oldId)
    expect(run.outputs['task-id']).toBe(newId)
    expect(run.outputs['remote-status']).toBe('UNDEPLOYED')
    expect(run.stdout).toMatch(/in progress \(IN_PROGRESS\)/)
    expect(
      sim.requests.filter(r => r.method === 'GET' && r.path === `/mmc/api/deployments/${newId}`).length
    ).toBeGreaterThan(1)
  })

  it('a create and a remove answered IN_PROGRESS are followed too', async () => {
    const sim = await mmcConsole({ changeInProgressMs: 1000, deployments: [] })
    const created = await mmc(sim, {
      operation: 'create',
      target: 'fresh',
      parameters: "serversNames: [mule0, mule1]\napplications: ['billing:2.3']"
    })
    expect(created.outputs.status).toBe('succeeded')
    expect(created.outputs['remote-status']).toBe('UNDEPLOYED')
    expect(created.stdout).toMatch(/in progress \(IN_PROGRESS\)/)
    const removed = await mmc(sim, {
      operation: 'remove',
      target: 'fresh',
      parameters: 'serversNames: [mule1]'
    })
    expect(removed.outputs.status).toBe('succeeded')
    expect(removed.outputs['task-id']).toBe(sim.byName('fresh')?.id)
    expect(sim.byName('fresh')).toMatchObject({ status: 'UNDEPLOYED', servers: [sim.serverIds.get('mule0')] })
  })

  it('the release waits out an add answered IN_PROGRESS before it deploys', async () => {
    const sim = await mmcConsole({
      changeInProgressMs: 1200,
      deployments: [{ name: 'orders', status: 'DEPLOYED', applications: ['billing:2.3'] }]
    })
    const run = await mmc(sim, { target: 'orders', artifacts: archive('orders-api-3.0.zip') })
    expect(run.outputs.status).toBe('succeeded')
    expect(sim.byName('orders')?.status).toBe('DEPLOYED')
    expect(sim.byName('orders')?.applications.sort()).toEqual(
      [sim.applicationIds.get('billing:2.3'), sim.applicationIds.get('orders-api:3.0')].sort()
    )
  })

  it('operation: status maps the deployment’s own state: FAILED fails, IN_PROGRESS is started', async () => {
    const sim = await mmcConsole({
      deployments: [
        { name: 'broken', status: 'FAILED' },
        { name: 'busy', status: 'IN_PROGRESS' }
      ]
    })
    const broken = await mmc(sim, { operation: 'status', target: 'broken' })
    expect(broken.outputs.status).toBe('failed')
    expect(broken.outputs['remote-status']).toBe('FAILED')
    const busy = await mmc(sim, { operation: 'status', target: 'busy' })
    expect(busy.outputs.status).toBe('started')
    expect(busy.outputs['remote-status']).toBe('IN_PROGRESS')
    const empty = await mmcConsole({ deployments: [] })
    const none = await mmc(empty, { operation: 'status' })
    expect(none.outputs.status).toBe('skipped')
    expect(none.outputs.message).toMatch(/no deployments yet/)
    expect([...sim.requests, ...empty.requests].filter(r => r.method !== 'GET')).toHaveLength(0)
  })
})
