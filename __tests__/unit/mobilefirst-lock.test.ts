import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { VirtualClock } from '../../src/engine/clock.js'
import { executeDeployment, type EngineEnvironment } from '../../src/engine/execute.js'
import type { DeploymentResult } from '../../src/engine/result.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testEngineEnvironment } from '../fixtures/engine.js'
import { startMobileFirstSimulator, type MobileFirstSimulator } from '../../simulator/index.js'
import { RuntimeLock } from '../../src/drivers/mobilefirst/lock.js'
import { testHttpClient } from '../fixtures/http-client.js'

// Issue 13: the runtime lock (PENDING behind another transaction, if-busy), one endpoint per deployable kind,
// and operation: status — in virtual time, over loopback to the simulator, which reads the same clock.
const START = Date.UTC(2026, 4, 1, 8, 0, 0)
const MINUTE = 60_000
const DESCRIPTOR =
  '{"applicationKey":{"bundleId":"com.acme.ios","clientPlatform":"ios","version":"1.0"},"displayName":"Acme"}'
let clock: VirtualClock
let sim: MobileFirstSimulator
let lines: string[]
let workspace: string
let previousWorkspace: string | undefined

beforeAll(async () => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'mf-lock-'))
  const write = (relative: string, text: string) => {
    mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true })
    writeFileSync(path.join(workspace, relative), text)
  }
  write('adapters/orders.adapter', 'orders adapter bytes')
  write('adapters/slow.adapter', 'slow adapter bytes')
  write('apps/ios/application-descriptor.json', DESCRIPTOR)
  write('export/export.zip', 'PK export archive bytes')
  previousWorkspace = process.env.GITHUB_WORKSPACE
  process.env.GITHUB_WORKSPACE = workspace
  sim = await startMobileFirstSimulator({
    now: () => clock.now(),
    deployables: { 'slow.adapter': { preparingMs: 10 * MINUTE } }
  })
})
afterAll(async () => {
  await sim.close()
  rmSync(workspace, { recursive: true, force: true })
  if (previousWorkspace === undefined) delete process.env.GITHUB_WORKSPACE
  else process.env.GITHUB_WORKSPACE = previousWorkspace
})
beforeEach(() => {
  // A fresh clock far from the last test's transactions: those have all ended by then.
  clock = new VirtualClock(START + sim.transactions.size * 60 * MINUTE)
  sim.requests.length = 0
  sim.uploads.length = 0
  lines = []
})

function environment(): EngineEnvironment {
  return testEngineEnvironment(clock, lines, { workspace })
}

function deployment(artifacts: string[], overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({
    platform: 'mobilefirst',
    baseUrl: sim.url,
    operation: 'deploy',
    target: 'mfp',
    artifacts,
    credentials: { username: 'deployer', password: 'deployer-pass' },
    timeoutMs: 60 * MINUTE,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 10_000,
    ...overrides
  })
}

/** Another user's slow adapter, holding the runtime lock for 10 minutes. */
async function otherUsersSlowAdapter(): Promise<DeploymentResult> {
  const started = await executeDeployment(
    deployment(['adapters/slow.adapter'], {
      credentials: { username: 'admin', password: 'admin' },
      wait: false
    }),
    environment()
  )
  expect(started.status).toBe('started')
  clock.advance(1000)
  return started
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('each deployable goes to the endpoint IBM documents for its kind', () => {
  it('adapter → adapters, application descriptor → applications (JSON body), export archive → deploy/multi', async () => {
    const result = await executeDeployment(
      deployment(['adapters/orders.adapter', 'apps/ios/application-descriptor.json', 'export/export.zip']),
      environment()
    )
    expect(result.status).toBe('succeeded')
    expect(sim.uploads.map(upload => [upload.endpoint, upload.contentType.split(';')[0]])).toEqual([
      ['adapters', 'multipart/form-data'],
      ['applications', 'application/json'],
      ['deploy/multi', 'multipart/form-data']
    ])
    expect(sim.uploads[0]?.multipart?.parts.map(part => part.filename)).toEqual(['orders.adapter'])
    expect(sim.uploads[1]?.sha256).toBe(sha256(DESCRIPTOR))
    expect(sim.uploads[2]?.multipart?.parts.map(part => part.filename)).toEqual(['export.zip'])
    expect(sim.uploads.every(upload => upload.query.async === 'true')).toBe(true)
    const ids = sim.uploads.map(upload => upload.transactionId)
    expect(result.taskId).toBe(ids.join(','))
    expect(result.remoteCode).toBe('SUCCESS,SUCCESS,SUCCESS')
    expect(sim.transactions.get(ids[0] ?? '')?.toJson().type).toBe('UPLOAD_ADAPTER')
    // They ran one after the other behind the runtime lock; waiting behind this step's own is no warning.
    expect(sim.transactions.get(ids[1] ?? '')?.lockedAt).toBe(sim.transactions.get(ids[0] ?? '')?.endsAt)
    expect(result.warnings).toEqual([])
  })
})

describe('the runtime lock', () => {
  it('says a deployable waits behind this step’s own transaction, without a warning', async () => {
    const result = await executeDeployment(
      deployment(['adapters/slow.adapter', 'adapters/orders.adapter']),
      environment()
    )
    expect(result.status).toBe('succeeded')
    const [first, second] = (result.taskId ?? '').split(',')
    const waited = `Transaction ${second} is PENDING behind transaction ${first} (UPLOAD_ADAPTER of slow.adapter by deployer`
    expect(lines.some(line => line.includes(waited) && line.includes(', of this step'))).toBe(true)
    expect(result.warnings).toEqual([])
  })

  it('if-busy: fail (default) names the transaction holding the lock and uploads nothing', async () => {
    const holder = await otherUsersSlowAdapter()
    sim.uploads.length = 0
    const result = await executeDeployment(deployment(['adapters/orders.adapter']), environment())
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(
      new RegExp(
        `Runtime mfp is busy: transaction ${holder.taskId} \\(UPLOAD_ADAPTER of slow.adapter by admin, PREPARING since .*\\) holds its transaction lock\\. Nothing was uploaded \\(if-busy: fail\\)`
      )
    )
    expect(sim.uploads).toHaveLength(0)
    expect(sim.requests.some(request => request.method === 'DELETE')).toBe(false)
  })

  it.each([['application/xml' as const], ['text/xml' as const]])(
    'reads the lock and the transaction list in %s the same',
    async mediaType => {
      const holder = await otherUsersSlowAdapter()
      sim.xml = mediaType
      try {
        const result = await executeDeployment(deployment(['adapters/orders.adapter']), environment())
        expect(result.message).toMatch(
          new RegExp(
            `Runtime mfp is busy: transaction ${holder.taskId} \\(UPLOAD_ADAPTER of slow.adapter by admin`
          )
        )
      } finally {
        sim.xml = undefined
      }
    }
  )

  it('if-busy: await queues behind the lock; log and summary warning say who holds it and since when', async () => {
    const holder = await otherUsersSlowAdapter()
    const result = await executeDeployment(
      deployment(['adapters/orders.adapter'], { ifBusy: 'await' }),
      environment()
    )
    expect(result.status).toBe('succeeded')
    expect(result.taskId).not.toBe(holder.taskId)
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `Transaction ${result.taskId} is PENDING: runtime mfp is locked by transaction ${holder.taskId} \\(UPLOAD_ADAPTER of slow.adapter by admin, PREPARING since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`
      )
    )
    expect(
      lines.some(line =>
        /pending \(runtime locked\) \(PENDING\) — Transaction .* is PENDING behind transaction/.test(line)
      )
    ).toBe(true)
    expect(result.warnings).toEqual([
      `Transaction ${result.taskId} waited (PENDING) behind transaction ${holder.taskId} of admin, which held the lock of runtime mfp`
    ])
    // It waited for the lock: it took it when the slow adapter (10 minutes of PREPARING) released it.
    const mine = sim.transactions.get(result.taskId ?? '')
    const theirs = sim.transactions.get(holder.taskId ?? '')
    expect(mine?.lockedAt).toBe(theirs?.endsAt)
    expect(clock.now()).toBeGreaterThanOrEqual(theirs?.endsAt ?? Infinity)
    expect(sim.requests.some(request => request.method === 'DELETE')).toBe(false)
  })

  it('if-busy: await follows the transaction already deploying the same deployables, uploading nothing', async () => {
    const holder = await otherUsersSlowAdapter()
    sim.uploads.length = 0
    const result = await executeDeployment(
      deployment(['adapters/slow.adapter'], { ifBusy: 'await' }),
      environment()
    )
    expect(result.status).toBe('succeeded')
    expect(result.taskId).toBe(holder.taskId)
    expect(sim.uploads).toHaveLength(0)
  })

  it('a dry run reports a held lock', async () => {
    const holder = await otherUsersSlowAdapter()
    const d = deployment(['adapters/orders.adapter'], { dryRun: true })
    const result = await executeDeployment(d, environment())
    const lock = result.checks?.find(check => check.check === 'runtime lock')
    expect(lock?.ok).toBe(true)
    expect(lock?.detail).toMatch(
      new RegExp(
        `runtime mfp is locked by transaction ${holder.taskId} \\(UPLOAD_ADAPTER of slow.adapter by admin`
      )
    )
    expect(sim.uploads.length).toBe(1)
  })
})

describe('operation: status — the runtime’s latest transaction', () => {
  it('is skipped on a runtime without transactions, started while one runs, then its outcome', async () => {
    sim.setRuntime('fresh')
    const none = await executeDeployment(
      deployment([], { operation: 'status', target: 'fresh' }),
      environment()
    )
    expect(none.status).toBe('skipped')
    expect(none.message).toBe('Runtime fresh has no transaction yet')
    const holder = await otherUsersSlowAdapter()
    const running = await executeDeployment(deployment([], { operation: 'status' }), environment())
    expect(running.status).toBe('started')
    expect(running.remoteCode).toBe('PREPARING')
    expect(running.message).toMatch(new RegExp(`Transaction ${holder.taskId}`))
    clock.advance(11 * MINUTE)
    const done = await executeDeployment(deployment([], { operation: 'status' }), environment())
    expect(done.status).toBe('succeeded')
    expect(done.remoteCode).toBe('SUCCESS')
    expect(sim.uploads).toHaveLength(1)
  })

  it('is an error, not "none", when the server refuses the read', async () => {
    const refused = await executeDeployment(
      deployment([], { operation: 'status', credentials: { username: 'deployer', password: 'wrong' } }),
      environment()
    )
    expect(refused.status).toBe('failed')
    expect(refused.message).toMatch(/HTTP 401/)
  })
})

describe('RuntimeLock.read', () => {
  const RUNTIME_PATH = '/management-apis/2.0/runtimes/mfp'
  const lock = () =>
    new RuntimeLock(
      testHttpClient(sim.url, { kind: 'basic', username: 'admin', password: 'admin' }),
      RUNTIME_PATH,
      'mfp',
      undefined
    )

  async function startTransaction(): Promise<string> {
    const body =
      '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="orders.adapter"\r\n\r\nbytes\r\n--XYZ--\r\n'
    const response = await fetch(`${sim.url}${RUNTIME_PATH}/deploy/multi?async=true`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        'content-type': 'multipart/form-data; boundary=XYZ'
      },
      body
    })
    const answer = (await response.json()) as { transaction: { id: number | string } }
    return String(answer.transaction.id)
  }

  it('is not busy for a transaction of this step that took the lock after it was read PENDING', async () => {
    const id = await startTransaction()
    // PENDING for its 150 ms, then PREPARING: the lock is its own.
    clock.advance(200)
    expect(await lock().read([id])).toEqual({ busy: false, inFlight: [] })
    // Read for anyone else, the same lock is busy and held by that transaction.
    const other = await lock().read([])
    expect(other.busy).toBe(true)
    expect(other.holder?.id).toBe(id)
  })
})
