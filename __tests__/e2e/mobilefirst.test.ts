import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startMobileFirstSimulator, type MobileFirstSimulator } from '../../simulator/index.js'
import { runAction, everythingWritten } from './run-action.js'

const PASSWORD = 'mfp-Pa55-e2e-9c1f'
const BASIC = Buffer.from(`deployer:${PASSWORD}`).toString('base64')
const FAILURES = [
  'FWLSE3064E: The adapter failing is not valid: adapter.xml is missing.',
  'FWLSE0101E: Class com.acme.FailingResource not found.',
  'FWLSE3069E: The transaction was rolled back.'
]
let sim: MobileFirstSimulator
let root: string
let workspace: string

function write(relative: string, text: string): void {
  const file = path.join(workspace, relative)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mf-e2e-'))
  workspace = path.join(root, 'workspace')
  write('adapters/orders.adapter', 'orders adapter bytes')
  write('adapters/payments.adapter', 'payments adapter bytes')
  write('apps/android/application-descriptor.json', '{"applicationKey":{"clientPlatform":"android"}}')
  write('apps/ios/application-descriptor.json', '{"applicationKey":{"clientPlatform":"ios"}}')
  write('bad/failing.adapter', 'broken adapter')
  write('bad/slow.adapter', 'slow adapter')
  write('bad/broken.adapter', 'adapter that crashes the server')
  write('bad/canceled.adapter', 'adapter that gets canceled')
  writeFileSync(path.join(root, 'outside.adapter'), 'not in the workspace')
  sim = await startMobileFirstSimulator({
    users: {
      deployer: { password: PASSWORD, roles: ['mfpdeployer'] },
      monitor: { password: PASSWORD, roles: ['mfpmonitor'] }
    },
    runtimes: { mfp: {}, 'mfp stopped': { running: false } },
    deployables: {
      'failing.adapter': { outcome: 'FAILURE', errors: FAILURES },
      'slow.adapter': { preparingMs: 60 * 60_000 },
      'broken.adapter': { failWith: 500 },
      'canceled.adapter': { outcome: 'CANCELED' }
    }
  })
})

afterAll(async () => {
  await sim.close()
  rmSync(root, { recursive: true, force: true })
})

beforeEach(() => {
  sim.requests.length = 0
  sim.uploads.length = 0
  sim.xml = undefined
  sim.forget()
})

function deploy(artifacts: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction(
    {
      platform: 'mobilefirst',
      'base-url': `${sim.url}/`,
      username: 'deployer',
      password: PASSWORD,
      target: 'mfp',
      artifacts,
      'poll-interval': '100ms',
      'max-poll-interval': '300ms',
      timeout: '20s',
      ...extra
    },
    { env: { GITHUB_WORKSPACE: workspace, ...env } }
  )
}

const uploads = () => sim.requests.filter(request => request.method === 'POST').length

describe('MobileFirst end to end', () => {
  it('uploads one deployable and follows its transaction to SUCCESS', async () => {
    const run = await deploy('adapters/orders.adapter')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    const id = run.outputs['task-id'] ?? ''
    expect(id).toMatch(/^\d+$/)
    expect(run.outputs.message).toBe(`Transaction ${id} deployed orders.adapter to runtime mfp`)
    expect(JSON.parse(run.outputs.details ?? '')).toMatchObject({
      id,
      status: 'SUCCESS',
      type: 'UPLOAD_ADAPTER',
      userName: 'deployer',
      project: { name: 'mfp' },
      description: { filename: 'orders.adapter' },
      timeCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      timeUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
    })
    expect(run.stdout).toMatch(/Uploading 1 deployable \(0\.0 MB\) to runtime mfp: adapters\/orders.adapter/)
    expect(run.stdout).toMatch(/preparing \(PREPARING\)/)
    expect(run.summary).toContain('succeeded')

    const [upload] = sim.uploads
    expect(sim.uploads).toHaveLength(1)
    expect(upload?.query).toEqual({ async: 'true' })
    expect(upload?.contentLength).toBe(upload?.bytes)
    expect(upload?.multipart?.complete).toBe(true)
    expect(upload?.multipart?.parts).toEqual([
      {
        field: 'file',
        filename: 'orders.adapter',
        contentType: 'application/octet-stream',
        size: 20,
        sha256: sha256('orders adapter bytes')
      }
    ])
    const post = sim.requests.find(request => request.method === 'POST')
    // An adapter goes to Adapter (POST), not deploy/multi (issue 13).
    expect(post?.path).toBe('/management-apis/2.0/runtimes/mfp/adapters')
    expect(post?.headers.accept).toBe('application/json')
    expect(post?.headers['transfer-encoding']).toBeUndefined()
    // The runtime lock is read before the upload (if-busy), and again while the transaction is PENDING;
    // otherwise only the transaction is read.
    expect(sim.requests[0]?.path).toBe('/management-apis/2.0/runtimes/mfp/lock')
    const reads = sim.requests.filter(
      request => request.method === 'GET' && request.path !== '/management-apis/2.0/runtimes/mfp/lock'
    )
    expect(reads.length).toBeGreaterThan(0)
    expect(
      reads.every(request => request.path === `/management-apis/2.0/runtimes/mfp/transactions/${id}`)
    ).toBe(true)
    expect(sim.transactions.get(id)?.status).toBe('SUCCESS')
  })

  it('uploads several artifacts from paths and globs, one transaction each at its endpoint, with the locale', async () => {
    const run = await deploy(
      'adapters/*.adapter\napps/**/application-descriptor.json, adapters/orders.adapter',
      {
        parameters: 'locale: de_DE'
      }
    )
    expect(run.outputs.status).toBe('succeeded')
    expect(sim.uploads.map(upload => upload.endpoint)).toEqual([
      'adapters',
      'adapters',
      'applications',
      'applications'
    ])
    expect(sim.uploads.map(upload => upload.multipart?.parts[0]?.filename)).toEqual([
      'orders.adapter',
      'payments.adapter',
      undefined,
      undefined
    ])
    expect(sim.uploads[2]?.sha256).toBe(sha256('{"applicationKey":{"clientPlatform":"android"}}'))
    expect(sim.uploads[3]?.sha256).toBe(sha256('{"applicationKey":{"clientPlatform":"ios"}}'))
    expect(sim.uploads[2]?.contentType).toBe('application/json')
    expect(
      sim.uploads.every(upload => upload.query.async === 'true' && upload.query.locale === 'de_DE')
    ).toBe(true)
    expect(run.outputs['task-id']).toBe(sim.uploads.map(upload => upload.transactionId).join(','))
    expect(
      sim.requests.filter(request => request.method === 'GET').every(r => r.query.locale === 'de_DE')
    ).toBe(true)
    expect(JSON.parse(run.outputs.details ?? '')).toHaveLength(4)
    expect(run.stdout).toMatch(
      /Uploading 4 deployables .*adapters\/orders.adapter, adapters\/payments.adapter, apps\/android\/application-descriptor.json, apps\/ios\/application-descriptor.json/
    )
  })

  it('fails with every error of a FAILURE transaction', async () => {
    const run = await deploy('bad/failing.adapter')
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    for (const error of FAILURES) {
      expect(run.outputs.message).toContain(error)
      expect(run.summary).toContain(error)
    }
    expect(run.outputs.message).toMatch(/failed with 3 errors/)
    expect(run.stdout).toMatch(/rolling back \(REJECTING\)/)
    expect(run.stdout).toMatch(/::error title=mfp::Transaction \d+ failed with 3 errors/)
    expect(JSON.parse(run.outputs.details ?? '').errors).toEqual(FAILURES.map(details => ({ details })))
  })

  it('reports a CANCELED transaction as canceled', async () => {
    const run = await deploy('bad/canceled.adapter')
    expect(run.outputs.status).toBe('canceled')
  })

  it.each([['application/xml' as const], ['text/xml' as const]])(
    'reads %s answers to the same outcome, several errors included',
    async mediaType => {
      sim.xml = mediaType
      const good = await deploy('adapters/*.adapter')
      expect(good.outputs.status).toBe('succeeded')
      expect(JSON.parse(good.outputs.details ?? '')).toMatchObject([
        { status: 'SUCCESS', project: { name: 'mfp' }, description: { filename: 'orders.adapter' } },
        { status: 'SUCCESS', project: { name: 'mfp' }, description: { filename: 'payments.adapter' } }
      ])
      const bad = await deploy('bad/failing.adapter')
      expect(bad.outputs.status).toBe('failed')
      for (const error of FAILURES) expect(bad.outputs.message).toContain(error)
    }
  )

  it('waits for nothing more with synchronous: true (async=false)', async () => {
    const run = await deploy('adapters/orders.adapter', { parameters: 'synchronous: true' })
    expect(run.outputs.status).toBe('succeeded')
    expect(sim.uploads[0]?.query.async).toBe('false')
    // Only the lock, before the upload: no transaction read.
    expect(sim.requests.filter(request => request.method === 'GET').map(request => request.path)).toEqual([
      '/management-apis/2.0/runtimes/mfp/lock'
    ])
  })

  it('follows a transaction started earlier with operation: await', async () => {
    const started = await deploy('adapters/orders.adapter', { wait: 'false' })
    expect(started.outputs.status).toBe('started')
    const id = started.outputs['task-id'] ?? ''
    const run = await runAction(
      {
        platform: 'mobilefirst',
        'base-url': sim.url,
        username: 'deployer',
        password: PASSWORD,
        target: 'mfp',
        operation: 'await',
        'task-id': id,
        'poll-interval': '100ms'
      },
      { env: { GITHUB_WORKSPACE: workspace } }
    )
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe(id)
    expect(uploads()).toBe(1)
  })

  it.each([
    ['a runtime that does not exist', 'nope', /HTTP 404: The runtime nope is not found or not running/],
    ['a stopped runtime', 'mfp stopped', /HTTP 404: The runtime mfp stopped is not found or not running/]
  ])('ends the step with the service’s message for %s', async (_what, target, message) => {
    const run = await deploy('adapters/orders.adapter', { target })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(run.stdout).toMatch(/Check target: the runtime's context root without the leading slash/)
    // The lock read answers 404 too; the upload is sent and its own answer names the problem.
    expect(sim.requests[0]?.path).toBe(`/management-apis/2.0/runtimes/${encodeURIComponent(target)}/lock`)
    expect(sim.requests[1]?.path).toBe(`/management-apis/2.0/runtimes/${encodeURIComponent(target)}/adapters`)
    expect(uploads()).toBe(1)
  })

  it('says which roles may deploy when the user has none of them (403), sending the upload once', async () => {
    const run = await deploy('adapters/orders.adapter', { username: 'monitor' })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/HTTP 403: The user monitor is not authorized to call this service/)
    expect(run.stdout).toMatch(/Only users in the mfpadmin or mfpdeployer role may deploy/)
    expect(run.summary).toMatch(/mfpadmin or mfpdeployer/)
    expect(uploads()).toBe(1)
  })

  it('ends the step on 500 without sending the upload again', async () => {
    const run = await deploy('bad/broken.adapter')
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/HTTP 500: An internal error occurred/)
    expect(run.stdout).toMatch(/messages\.log/)
    expect(uploads()).toBe(1)
  })

  it('says the credentials were refused on 401', async () => {
    const run = await deploy('adapters/orders.adapter', { password: 'wrong-password' })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/HTTP 401: .*Error 401/)
    expect(run.stdout).toMatch(/Check the username and password inputs/)
  })

  it('refuses artifacts that match nothing or lie outside the workspace, sending nothing', async () => {
    const run = await deploy('nothing/*.adapter\n../outside.adapter\nadapters/orders.adapter')
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/The inputs have 2 problems/)
    expect(run.outputs.message).toContain(
      "input 'artifacts' 'nothing/*.adapter': matches no file in the workspace"
    )
    expect(run.outputs.message).toContain("input 'artifacts' '../outside.adapter': is outside the workspace")
    expect(sim.requests).toHaveLength(0)
    const none = await deploy('')
    expect(none.outputs.message).toMatch(/input 'artifacts': is required for mobilefirst deploy/)
    expect(sim.requests).toHaveLength(0)
  })

  it('keeps the password and the Basic header value out of everything it writes', async () => {
    const run = await deploy('bad/failing.adapter')
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`)
    const written = everythingWritten(run)
    expect(written).not.toContain(PASSWORD)
    expect(written).not.toContain(BASIC)
    for (const request of sim.requests) expect(request.headers.authorization).toBe(`Basic ${BASIC}`)
  })

  it('stops on SIGINT mid-poll, says MobileFirst cannot cancel, and exits inside the grace period', async () => {
    const run = await runAction(
      {
        platform: 'mobilefirst',
        'base-url': sim.url,
        username: 'deployer',
        password: PASSWORD,
        target: 'mfp',
        artifacts: 'bad/slow.adapter',
        'poll-interval': '100ms'
      },
      {
        env: { GITHUB_WORKSPACE: workspace },
        interrupt: { signal: 'SIGINT', when: /preparing \(PREPARING\)/ }
      }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    expect(run.outputs.message).toContain(
      `The MobileFirst administration REST API has no call to cancel a transaction: task ${run.outputs['task-id']} may still be running on the server.`
    )
    expect(run.elapsedMs).toBeLessThan(7500)
    expect(uploads()).toBe(1)
  })

  it('streams a 100 MB deployable from disk with bounded memory', async () => {
    const big = mkdtempSync(path.join(os.tmpdir(), 'mf-big-'))
    try {
      const size = 100 * 1024 * 1024
      writeFileSync(path.join(big, 'huge.adapter'), '')
      truncateSync(path.join(big, 'huge.adapter'), size)
      let peakKb = 0
      let sampler: NodeJS.Timeout | undefined
      const run = await runAction(
        {
          platform: 'mobilefirst',
          'base-url': sim.url,
          username: 'deployer',
          password: PASSWORD,
          target: 'mfp',
          artifacts: '*.adapter',
          'poll-interval': '100ms'
        },
        {
          env: { GITHUB_WORKSPACE: big },
          killAfterMs: 40_000,
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
      const part = sim.uploads[0]?.multipart?.parts[0]
      expect(part?.size).toBe(size)
      const zeros = createHash('sha256')
      const block = Buffer.alloc(1024 * 1024)
      for (let index = 0; index < 100; index++) zeros.update(block)
      expect(part?.sha256).toBe(zeros.digest('hex'))
      expect(run.stdout).toMatch(/Uploading 1 deployable \(100\.0 MB\)/)
      if (process.platform === 'linux') {
        process.stdout.write(`mobilefirst 100 MB upload: peak RSS ${Math.round(peakKb / 1024)} MB\n`)
        expect(peakKb).toBeGreaterThan(0)
        expect(peakKb).toBeLessThan(150 * 1024)
      }
    } finally {
      rmSync(big, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('MobileFirst runtime lock and status end to end', () => {
  it('if-busy: fail (default) names the transaction holding the lock and uploads nothing', async () => {
    const holder = await deploy('bad/slow.adapter', { wait: 'false' })
    expect(holder.outputs.status).toBe('started')
    await new Promise(wake => setTimeout(wake, 300))
    const run = await deploy('adapters/orders.adapter')
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(
      new RegExp(
        `Runtime mfp is busy: transaction ${holder.outputs['task-id']} \\(UPLOAD_ADAPTER of slow.adapter by deployer, PREPARING since .*\\) holds its transaction lock`
      )
    )
    expect(run.summary).toContain(`transaction ${holder.outputs['task-id']}`)
    expect(sim.uploads).toHaveLength(1)
    expect(sim.requests.some(request => request.method === 'DELETE')).toBe(false)
  })

  it('if-busy: await queues behind the lock; the log and the summary say who holds it', async () => {
    write('bad/hold.adapter', 'adapter that holds the lock a while')
    sim.setDeployable('hold.adapter', { preparingMs: 5000 })
    const holder = await deploy('bad/hold.adapter', { wait: 'false' })
    const run = await deploy('adapters/orders.adapter', { 'if-busy': 'await' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    const holderId = holder.outputs['task-id']
    expect(run.stdout).toMatch(
      new RegExp(
        `Transaction ${run.outputs['task-id']} is PENDING: runtime mfp is locked by transaction ${holderId} \\(UPLOAD_ADAPTER of hold.adapter by deployer, PREPARING since `
      )
    )
    expect(run.summary).toContain(
      `waited (PENDING) behind transaction ${holderId} of deployer, which held the lock of runtime mfp`
    )
  })

  it('operation: status reports the runtime’s latest transaction (skipped when there is none)', async () => {
    const none = await deploy('', { operation: 'status', artifacts: '' })
    expect(none.code).toBe(0)
    expect(none.outputs.status).toBe('skipped')
    expect(none.outputs.message).toBe('Runtime mfp has no transaction yet')
    const deployed = await deploy('adapters/orders.adapter')
    const status = await deploy('', { operation: 'status', artifacts: '' })
    expect(status.code).toBe(0)
    expect(status.outputs.status).toBe('succeeded')
    expect(status.outputs['remote-status']).toBe('SUCCESS')
    expect(status.outputs.message).toBe(
      `Transaction ${deployed.outputs['task-id']} deployed orders.adapter to runtime mfp`
    )
    expect(sim.uploads).toHaveLength(1)
  })

  it('a dry run reports a held lock, uploading nothing', async () => {
    const holder = await deploy('bad/slow.adapter', { wait: 'false' })
    const run = await deploy('adapters/orders.adapter', { 'dry-run': 'true' })
    expect(run.code).toBe(0)
    expect(run.stdout + run.summary).toMatch(
      new RegExp(`runtime mfp is locked by transaction ${holder.outputs['task-id']}`)
    )
    expect(sim.uploads).toHaveLength(1)
  })
})
