import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { TaskRef } from '../../src/drivers/driver.js'
import { VirtualClock } from '../../src/engine/clock.js'
import { executeDeployment, type EngineEnvironment } from '../../src/engine/execute.js'
import { startBmcRpmSimulator, startFlexDeploySimulator } from '../../simulator/index.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testEngineEnvironment } from '../fixtures/engine.js'
import { tempDir } from '../fixtures/temp.js'

/**
 * The engine from trigger to outcome (executeDeployment), run through the EPMware driver against a small
 * EPMware-shaped server on 127.0.0.1 whose routes each test writes (REST API Guide v1.3: deployment/run,
 * task/get_status, task/get_log_file, deployment/get_execution_details), in virtual time that starts far
 * from zero.
 */
const TOKEN = 'exec-token-5c2e81'
const START = 1_700_000_000_000

type Reply =
  | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | 'hang'
  | ((response: http.ServerResponse) => void)
type Route = (request: { method: string; path: string; body: string }) => Reply | Promise<Reply>

interface Server {
  url: string
  requests: { method: string; path: string; authorization?: string }[]
  close(): Promise<void>
}

const servers: Server[] = []
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
  await Promise.all(closers.splice(0).map(close => close()))
})

async function startServer(routes: Record<string, Route>): Promise<Server> {
  const requests: Server['requests'] = []
  const sockets = new Set<Socket>()
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    requests.push({ method: request.method ?? '', path, authorization: request.headers.authorization })
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const route = Object.entries(routes).find(([prefix]) => path.startsWith(prefix))?.[1]
      void Promise.resolve(
        route
          ? route({ method: request.method ?? '', path, body: Buffer.concat(chunks).toString() })
          : { status: 404, json: { status: 'E', message: 'not found' } }
      ).then(reply => {
        if (reply === 'hang') return
        if (typeof reply === 'function') return reply(response)
        if (reply.json !== undefined) {
          response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
          response.end(JSON.stringify(reply.json))
        } else {
          response.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers })
          response.end(reply.text ?? '')
        }
      })
    })
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const started: Server = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
  servers.push(started)
  return started
}

const RUN = '/service/api/deployment/run'
const STATUS = '/service/api/task/get_status/'
const LOG = '/service/api/task/get_log_file/'
const EXECUTIONS = '/service/api/deployment/get_execution_details'

const accepted =
  (taskId = '77'): Route =>
  () => ({ json: { status: 'S', taskId } })
const reads = (...answers: Reply[]): Route => {
  let read = 0
  return () => answers[Math.min(read++, answers.length - 1)] as Reply
}
const task = (status: string, extra: Record<string, unknown> = {}): Reply => ({
  json: { taskId: '77', status, ...extra }
})

function deploymentOn(server: Server, overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({
    platform: 'epmware',
    name: 'orders',
    operation: 'run',
    target: 'ASOALL',
    baseUrl: server.url,
    credentials: { token: TOKEN },
    timeoutMs: 60_000,
    pollIntervalMs: 2_000,
    maxPollIntervalMs: 2_000,
    ...overrides
  })
}

async function run(
  deployment: Deployment,
  options: { clock?: VirtualClock; overrides?: Partial<EngineEnvironment> } = {}
) {
  const clock = options.clock ?? new VirtualClock(START)
  const lines: string[] = []
  const accepts: { name: string; task: TaskRef }[] = []
  const dir = await tempDir('ed-exec-')
  const env = testEngineEnvironment(
    clock,
    lines,
    { secrets: [TOKEN], tempDir: dir },
    {
      onAccepted: (accepted, task) => accepts.push({ name: accepted.name, task }),
      windDown: { afterSignalMs: 2_000, afterTimeoutMs: 2_000 },
      ...options.overrides
    }
  )
  const result = await executeDeployment(deployment, env)
  return { result, lines, accepts, clock, dir }
}

describe('executeDeployment: a job followed to its end', () => {
  it('triggers with the platform’s auth, polls in the step’s time, saves the log and reports every field', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R', { percentCompleted: '40' }), task('S', { percentCompleted: '100' })),
      [LOG]: () => ({ text: 'line one\nline two\n' })
    })
    const { result, lines, accepts, dir } = await run(deploymentOn(server))
    expect(result).toEqual({
      name: 'orders',
      platform: 'epmware',
      operation: 'run',
      target: 'ASOALL',
      status: 'succeeded',
      message: 'Task 77 ended: completed',
      // two reads, each one poll interval (2 s) after the last: the clock starts at START, not 0
      durationSeconds: 4,
      taskId: '77',
      remoteCode: 'S',
      remoteLabel: 'completed',
      percent: 100,
      details: { taskId: '77', status: 'S', percentCompleted: '100' },
      logFile: `${dir}/enterprise-deploy/orders-77.log`,
      logTail: ['line one', 'line two'],
      warnings: [],
      followUps: []
    })
    expect(server.requests.map(request => [request.method, request.path, request.authorization])).toEqual([
      ['POST', RUN, `Token ${TOKEN}`],
      ['GET', `${STATUS}77`, `Token ${TOKEN}`],
      ['GET', `${STATUS}77`, `Token ${TOKEN}`],
      ['GET', `${LOG}77`, `Token ${TOKEN}`]
    ])
    expect(result.warnings).toStrictEqual([])
    expect(accepts).toEqual([{ name: 'orders', task: { id: '77' } }])
    expect(lines).toEqual([
      'EPMware accepted deployment ASOALL as task 77',
      '[2s] running (R) 40%',
      '[4s] completed (S) 100%'
    ])
  })

  it('keeps the last percent, message and details a later reading leaves out', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R', { percentCompleted: '60', message: 'copying' }), task('S')),
      [LOG]: () => ({ status: 404, text: 'no log' })
    })
    const { result, lines } = await run(deploymentOn(server))
    expect(result.status).toBe('succeeded')
    expect(result.percent).toBe(60)
    expect(result.message).toBe('copying')
    expect(result.logFile).toBeUndefined()
    expect(result.logTail).toEqual([])
    expect(lines.filter(line => line.startsWith('warning:'))).toEqual([])
  })

  it('scrubs the secrets out of the message and the details', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('E', { message: `login with ${TOKEN} refused` })),
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(deploymentOn(server))
    expect(result.status).toBe('failed')
    expect(result.message).toBe('login with *** refused')
    expect(result.details).toEqual({ taskId: '77', status: 'E', message: 'login with *** refused' })
  })

  it('maps each end the platform reports: cancelled is canceled, a warning is kept once', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('C')),
      [LOG]: () => ({ text: '' })
    })
    expect((await run(deploymentOn(server))).result).toMatchObject({
      status: 'canceled',
      message: 'Task 77 ended: cancelled'
    })

    const warned = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('W', { message: 'two rows skipped' })),
      [LOG]: () => ({ text: '' })
    })
    expect((await run(deploymentOn(warned))).result).toMatchObject({
      status: 'succeeded',
      message: 'two rows skipped',
      warnings: ['EPMware finished with warnings: two rows skipped']
    })
    expect((await run(deploymentOn(warned))).result.warnings).toStrictEqual([
      'EPMware finished with warnings: two rows skipped'
    ])
  })

  it('warns and goes on when a status read fails, and says when it retries', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads({ status: 503, text: 'busy' }, task('S')),
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(deploymentOn(server))
    expect(result.status).toBe('succeeded')
    expect(lines[1]).toMatch(/^warning: Status read failed, will try again: .*HTTP 503/)

    const retried = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads({ status: 503, text: 'busy', headers: { 'retry-after': '3' } }, task('S')),
      [LOG]: () => ({ text: '' })
    })
    const second = await run(deploymentOn(retried), {
      overrides: { http: { retry: { attempts: 2 } } }
    })
    expect(second.result.status).toBe('succeeded')
    expect(second.lines[1]).toMatch(
      /retrying GET \/service\/api\/task\/get_status\/77 in 3s \(attempt 2 of 2\)$/
    )
    expect(second.lines.filter(line => line.startsWith('warning:'))).toEqual([])
  })

  it('warns when the log cannot be read, and the outcome stands', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: () => ({ status: 500, text: 'broken' })
    })
    const { result, lines } = await run(deploymentOn(server))
    expect(result.status).toBe('succeeded')
    expect(lines).toContain(
      'warning: Could not read the remote log of task 77: GET /service/api/task/get_log_file/77 answered HTTP 500'
    )
  })
})

describe('executeDeployment: how a run starts', () => {
  it('wait: false reports the accepted task as started and reads nothing more', async () => {
    const server = await startServer({ [RUN]: accepted('81') })
    const { result, accepts } = await run(deploymentOn(server, { wait: false }))
    expect(result.status).toBe('started')
    expect(result.message).toBe('Task 81 accepted; not waiting for it (wait: false)')
    expect(result.taskId).toBe('81')
    expect(accepts).toEqual([{ name: 'orders', task: { id: '81' } }])
    expect(server.requests.map(request => request.path)).toEqual([RUN])
  })

  it('await follows the task a previous step started, triggering nothing, even with wait: false', async () => {
    const server = await startServer({
      [STATUS]: reads(task('S')),
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(
      deploymentOn(server, { operation: 'await', target: undefined, taskId: '91', wait: false })
    )
    expect(result.status).toBe('succeeded')
    expect(result.taskId).toBe('91')
    expect(lines[0]).toBe('Watching task 91 started earlier')
    expect(server.requests.map(request => request.path)).toEqual([`${STATUS}91`, `${LOG}91`])
  })

  it('status (read-only) reports the latest execution as it ended, with its log', async () => {
    const server = await startServer({
      [EXECUTIONS]: () => ({ json: [{ taskId: '55', status: 'E', message: 'load failed' }] }),
      [LOG]: () => ({ text: 'the old log\n' })
    })
    const { result, accepts } = await run(deploymentOn(server, { operation: 'status' }))
    expect(result).toMatchObject({
      status: 'failed',
      taskId: '55',
      remoteCode: 'E',
      message: 'load failed',
      logTail: ['the old log']
    })
    expect(accepts).toEqual([{ name: 'orders', task: { id: '55' } }])
    expect(server.requests.map(request => request.path)).toEqual([EXECUTIONS, `${LOG}55`])
  })

  it('status of an execution still running is started, and reads no log', async () => {
    const server = await startServer({
      [EXECUTIONS]: () => ({ json: [{ taskId: '56', status: 'R' }] })
    })
    const { result } = await run(deploymentOn(server, { operation: 'status' }))
    expect(result.status).toBe('started')
    expect(result.taskId).toBe('56')
    expect(server.requests.map(request => request.path)).toEqual([EXECUTIONS])
  })

  it('a run cancelled before it began is canceled and sends nothing', async () => {
    const server = await startServer({ [RUN]: accepted() })
    const { result } = await run(deploymentOn(server), {
      overrides: { signal: AbortSignal.abort(new Error('SIGTERM')) }
    })
    expect(result.status).toBe('canceled')
    expect(result.message).toBe('The workflow run was cancelled before anything was sent to the server')
    expect(server.requests).toEqual([])
  })

  it('fail-on-noop leaves a job that did something as it ended', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(deploymentOn(server, { failOnNoop: true }))
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe('Task 77 ended: completed')
  })

  it('an export saves the file the job produced and reports it', async () => {
    const server = await startServer({
      '/service/api/export/run': () => ({ json: { status: 'S', taskId: '90' } }),
      [STATUS]: reads({ json: { taskId: '90', status: 'S' } }),
      '/service/api/export/download_file/90': () => ({
        text: 'a,b\n1,2\n',
        headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="pbcs.csv"' }
      }),
      [LOG]: () => ({ text: '' })
    })
    const { result, dir } = await run(deploymentOn(server, { operation: 'export', target: 'PBCS' }))
    expect(result.status).toBe('succeeded')
    expect(result.exportFile).toBe(`${dir}/enterprise-deploy/export-90/pbcs.csv`)
    expect(result.message).toBe(`Export complete; file saved as ${dir}/enterprise-deploy/export-90/pbcs.csv`)
  })

  it('status with no execution is skipped, or failed with fail-on-noop saying why', async () => {
    const server = await startServer({ [EXECUTIONS]: () => ({ json: [] }) })
    const skipped = await run(deploymentOn(server, { operation: 'status' }))
    expect(skipped.result.status).toBe('skipped')
    expect(skipped.result.message).toBe('Deployment ASOALL has no executions yet')
    expect(skipped.result.taskId).toBeUndefined()
    expect(skipped.accepts).toEqual([])

    const failed = await run(deploymentOn(server, { operation: 'status', failOnNoop: true }))
    expect(failed.result.status).toBe('failed')
    expect(failed.result.message).toBe(
      'Deployment ASOALL has no executions yet (a failure because fail-on-noop is true)'
    )
  })

  it('a refused trigger is failed with the platform’s words', async () => {
    const server = await startServer({
      [RUN]: () => ({ json: { status: 'E', taskId: '0', message: 'Error: Deployment ASOALL is locked' } })
    })
    const { result } = await run(deploymentOn(server))
    expect(result.status).toBe('failed')
    expect(result.message).toContain('Deployment ASOALL is locked')
    expect(server.requests.map(request => request.path)).toEqual([RUN])
  })

  it('a trigger refused for its credentials is failed with the platform’s hint', async () => {
    const server = await startServer({ [RUN]: () => ({ status: 401, json: { message: 'bad token' } }) })
    const { result } = await run(deploymentOn(server))
    expect(result.status).toBe('failed')
    expect(result.hint).toBe(
      'The token was refused. Check the token input; generating a new token in EPMware revokes the old one.'
    )
  })

  it('a dry run runs the driver’s checks and triggers nothing', async () => {
    const server = await startServer({ [EXECUTIONS]: () => ({ json: [] }) })
    const { result } = await run(deploymentOn(server, { dryRun: true }))
    expect(result.checks?.[0]).toEqual({
      check: 'inputs valid',
      ok: true,
      detail: 'every field parsed and matches the platform'
    })
    expect(result.message).toMatch(/^Dry run, nothing triggered: ✓ inputs valid; /)
    expect(server.requests.some(request => request.method === 'POST')).toBe(false)
  })
})

describe('executeDeployment: a rollback after a failure', () => {
  const withRollback = (server: Server, overrides: Partial<Deployment> = {}) =>
    deploymentOn(server, { parameters: { rollback: 'ASOALL_RB' }, ...overrides })

  it('runs the rollback when the deployment failed, and says how it ended', async () => {
    const server = await startServer({
      [RUN]: ({ body }) => ({ json: { status: 'S', taskId: body.includes('ASOALL_RB') ? '78' : '77' } }),
      [`${STATUS}77`]: reads(task('E')),
      [`${STATUS}78`]: reads({ json: { taskId: '78', status: 'S' } }),
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(withRollback(server))
    expect(result.status).toBe('failed')
    expect(result.message).toBe('Task 77 ended: failed; ASOALL_RB (rollback) succeeded')
    expect(result.followUps.map(followUp => [followUp.name, followUp.status, followUp.taskId])).toEqual([
      ['ASOALL_RB (rollback)', 'succeeded', '78']
    ])
    expect(lines).toContain('Running ASOALL_RB (rollback) because orders failed')
  })

  it('does not run it after a success', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(withRollback(server))
    expect(result.status).toBe('succeeded')
    expect(result.followUps).toEqual([])
    expect(server.requests.filter(request => request.path === RUN)).toHaveLength(1)
  })

  it('does not start it when the failure came exactly at the deadline', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        clock.advance(START + 60_000 - clock.now())
        return task('E')
      },
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(withRollback(server), { clock })
    expect(result.status).toBe('failed')
    expect(result.message).toBe(
      'Task 77 ended: failed; ASOALL_RB (rollback) was not started: the timeout ran out'
    )
    expect(result.followUps).toEqual([])
    expect(server.requests.filter(request => request.path === RUN)).toHaveLength(1)
  })

  it('gives the rollback what is left of the step’s timeout', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: ({ body }) => ({ json: { status: 'S', taskId: body.includes('ASOALL_RB') ? '78' : '77' } }),
      [`${STATUS}77`]: () => {
        clock.advance(50_000)
        return task('E')
      },
      [`${STATUS}78`]: reads({ json: { taskId: '78', status: 'R' } }),
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(withRollback(server), { clock })
    expect(result.followUps[0]?.status).toBe('timed-out')
    // 60 s less the first poll interval (2 s) and the 50 s the failed read took
    expect(result.followUps[0]?.message).toMatch(/^Task 78 did not finish within the timeout of 8s /)
  })
})

describe('executeDeployment: the deadline and the cancellation', () => {
  it('a job still running at the deadline is timed-out, said with the last status, its log saved', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R', { percentCompleted: '10' })),
      [LOG]: () => ({ text: 'so far\n' })
    })
    const { result, lines } = await run(deploymentOn(server, { timeoutMs: 10_000 }))
    expect(result.status).toBe('timed-out')
    expect(result.message).toBe(
      'Task 77 did not finish within the timeout of 10s (last status: running). EPMware’s REST API has no call to cancel a task: task 77 may still be running on the server.'
    )
    expect(result.logTail).toEqual(['so far'])
    expect(lines.at(-1)).toBe(
      'warning: EPMware’s REST API has no call to cancel a task: task 77 may still be running on the server.'
    )
  })

  it('says which input left the job running when the cancel is turned off', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R')),
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(deploymentOn(server, { timeoutMs: 10_000, cancelOnTimeout: false }))
    expect(result.message).toBe(
      'Task 77 did not finish within the timeout of 10s (last status: running). cancel-on-timeout is false: task 77 keeps running on the server.'
    )
  })

  it('a job that ended by the deadline counts as ended, read once more in the wind-down', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => (clock.now() >= START + 10_000 ? task('S') : task('R')),
      [LOG]: () => ({ text: 'done\n' })
    })
    const { result, lines } = await run(deploymentOn(server, { timeoutMs: 10_000 }), { clock })
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe('Task 77 ended: completed')
    expect(result.logTail).toEqual(['done'])
    expect(lines).toContain('Task 77 had ended by the deadline: completed')
  })

  it('a last read that fails leaves the status the poll saw last', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () =>
        clock.now() >= START + 10_000 ? { status: 400, text: 'bad' } : task('P', { percentCompleted: '5' }),
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(deploymentOn(server, { timeoutMs: 10_000 }), { clock })
    expect(result.status).toBe('timed-out')
    expect(result.message).toMatch(
      /^Task 77 did not finish within the timeout of 10s \(last status: pending\)\. /
    )
    expect(lines.some(line => line.startsWith('The last status read of task 77 failed: '))).toBe(true)
  })

  it('a cancelled workflow run is canceled, naming the task and what it last did', async () => {
    const abort = new AbortController()
    let read = 0
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        if (++read === 2) abort.abort(new Error('SIGTERM'))
        return task('R')
      },
      [LOG]: () => ({ text: 'partial\n' })
    })
    const { result } = await run(deploymentOn(server), { overrides: { signal: abort.signal } })
    expect(result.status).toBe('canceled')
    expect(result.message).toBe(
      'The workflow run was cancelled while task 77 ran (last status: running). EPMware’s REST API has no call to cancel a task: task 77 may still be running on the server.'
    )
    expect(result.logTail).toEqual(['partial'])
  })

  it('a job that ended by the cancellation counts as ended', async () => {
    const abort = new AbortController()
    let read = 0
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        if (++read === 2) abort.abort(new Error('SIGTERM'))
        return read >= 2 ? task('E') : task('R')
      },
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(deploymentOn(server), { overrides: { signal: abort.signal } })
    expect(result.status).toBe('failed')
    expect(lines).toContain('Task 77 had ended by the cancellation: failed')
  })

  it('a cancellation while the trigger is in flight says the job may have started', async () => {
    const abort = new AbortController()
    const server = await startServer({
      [RUN]: () => {
        abort.abort(new Error('SIGTERM'))
        return 'hang'
      }
    })
    const { result } = await run(deploymentOn(server), { overrides: { signal: abort.signal } })
    expect(result.status).toBe('canceled')
    expect(result.message).toBe(
      'The workflow run was cancelled while the trigger was being sent: the server may have received it and started the job; check the platform before running the step again'
    )
  })

  it('a cancellation during a read before any trigger says nothing was started', async () => {
    const abort = new AbortController()
    const server = await startServer({
      [EXECUTIONS]: () => {
        abort.abort(new Error('SIGTERM'))
        return 'hang'
      }
    })
    const { result } = await run(deploymentOn(server, { operation: 'status' }), {
      overrides: { signal: abort.signal }
    })
    expect(result.status).toBe('canceled')
    expect(result.message).toBe(
      'The workflow run was cancelled before the trigger was sent: nothing was started'
    )
  })
})

describe('executeDeployment: the time each step after the job may take', () => {
  const retrying = { http: { retry: { attempts: 2 } } }
  const busy = (seconds: number): Reply => ({
    status: 503,
    text: 'busy',
    headers: { 'retry-after': String(seconds) }
  })

  it('after a normal end the log may take the rest of the timeout: a retry 10 s later still fits', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: reads(busy(10), { text: 'after the retry\n' })
    })
    const { result } = await run(deploymentOn(server), { overrides: retrying })
    expect(result.logTail).toEqual(['after the retry'])
  })

  it('a job that ended past the deadline still gets its log, in the wind-down’s time after now', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        clock.advance(70_000)
        return task('S')
      },
      [LOG]: () => ({ text: 'late log\n' })
    })
    const { result, lines } = await run(deploymentOn(server), { clock })
    expect(result.status).toBe('succeeded')
    expect(result.logTail).toEqual(['late log'])
    expect(lines.filter(line => line.startsWith('warning:'))).toEqual([])
  })

  it('says when the log it saved was cut short', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: () => response => {
        response.writeHead(200, { 'content-type': 'text/plain' })
        response.write('first part\n')
        setTimeout(() => response.destroy(), 20)
      }
    })
    const { result, lines } = await run(deploymentOn(server))
    expect(result.status).toBe('succeeded')
    expect(result.logTail[0]).toBe('first part')
    expect(lines.some(line => line.startsWith('warning: The remote log of task 77 is incomplete: '))).toBe(
      true
    )
  })

  it('after the timeout the last read has 30 % of its own budget, not the one after a signal', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R'), busy(4), task('S')),
      [LOG]: () => ({ text: '' })
    })
    // 30 % of 20 s is 6 s: a retry 4 s later fits (not in 30 % of the 10 s default, nor of the signal's 1 s)
    const { result, lines } = await run(deploymentOn(server, { timeoutMs: 3_000 }), {
      clock,
      overrides: { ...retrying, windDown: { afterTimeoutMs: 20_000, afterSignalMs: 1_000 } }
    })
    expect(result.status).toBe('succeeded')
    expect(lines).toContain('Task 77 had ended by the deadline: completed')
  })

  it('after a signal the last read has 30 % of the signal’s budget', async () => {
    const abort = new AbortController()
    let read = 0
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        read++
        if (read === 1) {
          abort.abort(new Error('SIGTERM'))
          return task('R')
        }
        return read === 2 ? busy(4) : task('S')
      },
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(deploymentOn(server), {
      overrides: {
        ...retrying,
        signal: abort.signal,
        windDown: { afterTimeoutMs: 1_000, afterSignalMs: 20_000 }
      }
    })
    expect(result.status).toBe('succeeded')
    expect(lines).toContain('Task 77 had ended by the cancellation: completed')
  })

  it('after the timeout, by default, the last read has 3 s (30 % of 10 s): a retry 2 s later fits', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R'), busy(2), task('S')),
      [LOG]: () => ({ text: 'default budget\n' })
    })
    const { result, lines } = await run(deploymentOn(server, { timeoutMs: 3_000 }), {
      clock,
      overrides: { ...retrying, windDown: undefined }
    })
    expect(result.status).toBe('succeeded')
    expect(result.logTail).toEqual(['default budget'])
    expect(lines).toContain('Task 77 had ended by the deadline: completed')
  })

  it('after a signal, by default, the last read has 1.5 s (30 % of 5 s): a retry 2 s later does not fit', async () => {
    const abort = new AbortController()
    let read = 0
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        read++
        if (read === 1) {
          abort.abort(new Error('SIGTERM'))
          return task('R')
        }
        return read === 2 ? busy(2) : task('S')
      },
      [LOG]: () => ({ text: '' })
    })
    const { result, lines } = await run(deploymentOn(server), {
      overrides: { ...retrying, signal: abort.signal, windDown: undefined }
    })
    expect(result.status).toBe('canceled')
    expect(read).toBe(2)
    expect(lines.some(line => line.startsWith('The last status read of task 77 failed: '))).toBe(true)
  })

  it('a job that ended past the deadline gets only the wind-down’s time for its log: no retry 5 s later', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        clock.advance(70_000)
        return task('S')
      },
      [LOG]: reads(busy(5), { text: 'too late\n' })
    })
    const { result, lines } = await run(deploymentOn(server), { clock, overrides: retrying })
    expect(result.status).toBe('succeeded')
    expect(result.logTail).toEqual([])
    expect(
      lines.filter(line => line.startsWith('warning: Could not read the remote log of task 77: '))
    ).toHaveLength(1)
    expect(server.requests.filter(request => request.path.startsWith(LOG))).toHaveLength(1)
  })

  it('a cancellation while the log of a finished job downloads stops it at once, keeping what came', async () => {
    const abort = new AbortController()
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: () => response => {
        response.writeHead(200, { 'content-type': 'text/plain' })
        response.write('before the signal\n')
        setTimeout(() => abort.abort(new Error('SIGTERM')), 20)
      }
    })
    const { result, lines } = await run(deploymentOn(server), { overrides: { signal: abort.signal } })
    expect(result.status).toBe('succeeded')
    expect(result.logTail[0]).toBe('before the signal')
    expect(lines).toContain('warning: The remote log of task 77 is incomplete: the time for it ran out')
  })

  it('after a normal end, by default, the log has the rest of the timeout and 10 s', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: reads(busy(5), { text: 'default\n' })
    })
    const { result } = await run(deploymentOn(server), { overrides: { ...retrying, windDown: undefined } })
    expect(result.status).toBe('succeeded')
    expect(result.logTail).toEqual(['default'])
  })

  it('a cancellation after the end stops the log’s retries: no second request', async () => {
    const abort = new AbortController()
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('S')),
      [LOG]: () => {
        abort.abort(new Error('SIGTERM'))
        return busy(5)
      }
    })
    const { result, lines } = await run(deploymentOn(server), {
      overrides: { ...retrying, signal: abort.signal }
    })
    expect(result.status).toBe('succeeded')
    expect(server.requests.filter(request => request.path.startsWith(LOG))).toHaveLength(1)
    expect(result.logTail).toEqual([])
    expect(
      lines.filter(line => line.startsWith('warning: Could not read the remote log of task 77: '))
    ).toHaveLength(1)
  })

  it('a timed-out job’s log that never ends is cut when its share of the wind-down runs out', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: reads(task('R')),
      [LOG]: () => response => {
        response.writeHead(200, { 'content-type': 'text/plain' })
        response.write('still deploying\n')
      }
    })
    const { result, lines } = await run(deploymentOn(server, { timeoutMs: 3_000 }), {
      overrides: { windDown: { afterTimeoutMs: 500, afterSignalMs: 500 } }
    })
    expect(result.status).toBe('timed-out')
    expect(result.logTail).toEqual([
      'still deploying',
      '[enterprise-deploy] the log download stopped here: the time for it ran out; what arrived until then is above'
    ])
    expect(lines).toContain('warning: The remote log of task 77 is incomplete: the time for it ran out')
  })

  it('a last read that ran past its share leaves the log its own, after the deadline', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        if (clock.now() < START + 10_000) return task('R')
        clock.advance(1_500) // past the last read's 600 ms and the cancel's 1.2 s of the 2 s budget
        return task('S')
      },
      [LOG]: () => ({ text: 'kept\n' })
    })
    const { result } = await run(deploymentOn(server, { timeoutMs: 10_000 }), { clock })
    expect(result.status).toBe('succeeded')
    expect(result.logTail).toEqual(['kept'])
  })

  it('a timed-out job’s log gets its own share after a slow last read', async () => {
    const clock = new VirtualClock(START)
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        if (clock.now() >= START + 10_000) clock.advance(1_500)
        return task('R')
      },
      [LOG]: () => ({ text: 'kept\n' })
    })
    const { result } = await run(deploymentOn(server, { timeoutMs: 10_000 }), { clock })
    expect(result.status).toBe('timed-out')
    expect(result.logTail).toEqual(['kept'])
  })

  it('a timeout before any reading says no last status', async () => {
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => ({ status: 400, text: 'bad' }),
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(deploymentOn(server, { timeoutMs: 1_000 }))
    expect(result.status).toBe('timed-out')
    expect(result.message).toBe(
      'Task 77 did not finish within the timeout of 1s. EPMware’s REST API has no call to cancel a task: task 77 may still be running on the server.'
    )
  })

  it('a cancelled run with cancel-on-abort false says so', async () => {
    const abort = new AbortController()
    const server = await startServer({
      [RUN]: accepted(),
      [STATUS]: () => {
        abort.abort(new Error('SIGTERM'))
        return task('R')
      },
      [LOG]: () => ({ text: '' })
    })
    const { result } = await run(deploymentOn(server, { cancelOnAbort: false, cancelOnTimeout: true }), {
      overrides: { signal: abort.signal }
    })
    expect(result.message).toBe(
      'The workflow run was cancelled while task 77 ran (last status: running). cancel-on-abort is false: task 77 keeps running on the server.'
    )
  })
})

describe('executeDeployment: a platform with no follow-up (FlexDeploy simulator)', () => {
  const HR = 'FlexDeploy/Human Resources'

  async function flexDeploy(clock: VirtualClock) {
    const sim = await startFlexDeploySimulator({
      now: () => clock.now(),
      projects: [
        {
          id: 10520,
          name: 'RejectedAndSlow',
          folderPath: HR,
          requests: [{ approvalMs: 200, outcome: 'REJECTED' }, { durationMs: 60 * 60_000 }]
        },
        { id: 10522, name: 'Rejected', folderPath: HR, requests: [{ approvalMs: 200, outcome: 'REJECTED' }] }
      ]
    })
    closers.push(() => sim.close())
    return (target: string, overrides: Partial<Deployment> = {}) =>
      testDeployment({
        platform: 'flexdeploy',
        name: 'hr',
        operation: 'deploy',
        target,
        baseUrl: `${sim.url}/flexdeploy`,
        credentials: { username: sim.username, password: sim.password },
        parameters: { environmentId: 11210, apiVersion: 'v1' },
        pollIntervalMs: 1_000,
        maxPollIntervalMs: 1_000,
        ...overrides
      })
  }

  it('a failure known while another request still runs is failed at the deadline, not timed-out', async () => {
    const clock = new VirtualClock(START)
    const deployment = await flexDeploy(clock)
    const { result, lines } = await run(
      deployment('Human Resources/RejectedAndSlow', { timeoutMs: 10_000 }),
      {
        clock
      }
    )
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(
      /^Workflow request \d+ \(.+\) was rejected by an approver in FlexDeploy; workflow request \d+ did not finish within the timeout of 10s\. FlexDeploy’s REST API has no call to abort/
    )
    expect(lines.filter(line => line.includes('remote log'))).toEqual([])
  })

  it('a failure that ends the job runs no follow-up, FlexDeploy having none', async () => {
    const clock = new VirtualClock(START)
    const deployment = await flexDeploy(clock)
    const { result, lines } = await run(deployment('Human Resources/Rejected'), { clock })
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/^Workflow request \d+ \(.+\) was rejected by an approver in FlexDeploy/)
    expect(result.followUps).toEqual([])
    expect(lines.filter(line => line.includes('remote log'))).toEqual([])
  })
})

describe('executeDeployment: a platform where nothing runs remotely (BMC RPM simulator)', () => {
  it('a window that stays shut times out, saying so as information, not as a job left running', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 4, 1, 8, 0, 0))
    const sim = await startBmcRpmSimulator({ token: TOKEN, now: () => clock.now() })
    closers.push(() => sim.close())
    sim.setEvent('42', {
      startAt: clock.now() - 3_600_000,
      finishAt: clock.now() + 5 * 3_600_000,
      state: 'suspended',
      reason: 'freeze'
    })
    const deployment = testDeployment({
      platform: 'bmc-rpm',
      baseUrl: sim.url,
      operation: 'wait-for-window',
      target: '42',
      credentials: { token: TOKEN },
      timeoutMs: 10 * 60_000
    })
    const { result, lines } = await run(deployment, { clock })
    expect(result.status).toBe('timed-out')
    const said = 'a deployment window is not a job: nothing runs on RPM while the action waits for it'
    expect(result.message).toMatch(new RegExp(`\\. ${said}$`))
    expect(lines).toContain(said)
    // no warning at all: not the cancel's, and no log read from a platform that has none
    expect(lines.filter(line => line.startsWith('warning:'))).toEqual([])
  })
})
