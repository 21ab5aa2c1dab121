import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { startEpmwareSimulator, type EpmwareSimulator } from '../../simulator/index.js'
import { runAction, type ActionRun, everythingWritten } from './run-action.js'

const TOKEN = 'e2e-token-7f3a9c21d4'
let sim: EpmwareSimulator

beforeAll(async () => {
  sim = await startEpmwareSimulator({
    token: TOKEN,
    deployments: {
      ASOALL: { durationMs: 900, logLine: `connecting with Token ${TOKEN}` },
      ASOALL_WARN: { durationMs: 600, outcome: 'W' },
      HFM_PROD: { durationMs: 600, outcome: 'E', logLines: 80 },
      HFM_BACKOUT: { durationMs: 400 },
      PLANNING_DEV: { durationMs: 600, outcome: 'C' },
      BROKEN: { failWith: 500 },
      LONG: { durationMs: 60 * 60_000 },
      LONG_INT: { durationMs: 60 * 60_000 },
      LONG_TERM: { durationMs: 60 * 60_000 },
      BUSY: { durationMs: 60 * 60_000 }
    }
  })
})

afterAll(() => sim.close())

beforeEach(() => {
  sim.requests.length = 0
  sim.faults.length = 0
  sim.serviceRunning = true
})

function deploy(target: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    platform: 'epmware',
    'base-url': `${sim.url}/`,
    token: TOKEN,
    target,
    'poll-interval': '100ms',
    'max-poll-interval': '300ms',
    timeout: '20s',
    ...extra
  })
}

const triggers = () => sim.requests.filter(request => request.path === '/service/api/deployment/run').length

describe('EPMware end to end', () => {
  it('runs a deployment to success and reports every output', async () => {
    const run = await deploy('ASOALL')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    expect(run.outputs.message).toBe('Deployment completed successfully')
    expect(Number(run.outputs.duration)).toBeGreaterThanOrEqual(0)
    expect(JSON.parse(run.outputs.details ?? '')).toMatchObject({ status: 'S', percentCompleted: '100' })
    expect(JSON.parse(run.outputs.results ?? '')).toEqual([
      {
        name: 'ASOALL',
        platform: 'epmware',
        status: 'succeeded',
        'task-id': run.outputs['task-id'],
        message: 'Deployment completed successfully',
        duration: Number(run.outputs.duration)
      }
    ])
    const logFile = run.outputs['log-file'] ?? ''
    expect(logFile.startsWith(run.runnerTemp)).toBe(true)
    expect(existsSync(logFile)).toBe(true)
    expect(readFileSync(logFile, 'utf8')).toMatch(/ended with status S/)
    expect(run.summary).toContain('## ✅ succeeded: EPMware run ASOALL')
    expect(run.summary).toContain('| EPMware | ASOALL | run |')
    expect(run.summary).toMatch(/<details><summary>ASOALL: last \d+ lines of the remote log/)
    expect(run.stdout).toMatch(/::group::epmware: run ASOALL/)
    expect(run.stdout).toMatch(/running \(R\) \d+%/)
    expect(triggers()).toBe(1)
  })

  it('keeps the token out of every output, the summary, the log and the log file', async () => {
    const run = await deploy('ASOALL')
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(everythingWritten(run)).not.toContain(TOKEN)
    expect(readFileSync(run.outputs['log-file'] ?? '', 'utf8')).toContain('connecting with Token ***')
    for (const request of sim.requests) expect(request.headers.authorization).toBe(`Token ${TOKEN}`)
  })

  it('reports a warning status as success with a warning annotation', async () => {
    const run = await deploy('ASOALL_WARN')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.stdout).toMatch(
      /::warning::EPMware finished with warnings: Deployment completed with warnings/
    )
    expect(run.summary).toContain('[!WARNING]')
  })

  it('fails the step on E, prints the log tail and says why in the summary', async () => {
    const run = await deploy('HFM_PROD', { 'log-lines': '5' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toBe('Deployment failed: target application is not reachable')
    expect(run.stdout).toMatch(/::error::Deployment failed: target application is not reachable/)
    expect(run.stdout).toMatch(/Last 5 lines of the remote log of HFM_PROD/)
    expect(run.summary).toContain('## ❌ failed: EPMware run HFM_PROD')
    expect(run.summary).toContain('[!CAUTION]')
    expect(run.summary).toMatch(/last 5 lines of the remote log/)
  })

  it('reports C as canceled', async () => {
    const run = await deploy('PLANNING_DEV')
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('canceled')
  })

  it('runs the rollback deployment after a failure and reports both', async () => {
    const run = await deploy('HFM_PROD', { parameters: 'rollback: HFM_BACKOUT' })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/HFM_BACKOUT \(rollback\) succeeded$/)
    const results = JSON.parse(run.outputs.results ?? '') as { name: string; status: string }[]
    expect(results.map(result => [result.name, result.status])).toEqual([
      ['HFM_PROD', 'failed'],
      ['HFM_BACKOUT (rollback)', 'succeeded']
    ])
    expect(run.summary).toContain('| EPMware | HFM_BACKOUT | run |')
    expect(triggers()).toBe(2)
  })

  it.each([
    [
      'a bad token',
      { token: 'wrong-token-123' },
      'ASOALL',
      /HTTP 401: Invalid or missing token/,
      /Check the token input/
    ],
    [
      'an unknown deployment',
      {},
      'NOPE',
      /HTTP 404: Deployment configuration 'NOPE' not found/,
      /Check target/
    ],
    [
      'a target application error',
      {},
      'BROKEN',
      /HTTP 500: Deployment 'BROKEN' failed to start/,
      /target application may be unreachable/
    ]
  ])('ends the step with the server’s message for %s', async (_what, inputs, target, message, hint) => {
    const run = await deploy(target, inputs)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(run.stdout).toMatch(hint)
    expect(run.summary).toMatch(hint)
    expect(triggers()).toBe(1)
  })

  it('says the Deployment Service is down on 503, without sending the trigger again', async () => {
    sim.serviceRunning = false
    const run = await deploy('ASOALL')
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/HTTP 503: Deployment Service is not running/)
    expect(run.stdout).toMatch(/start it on the EPMware server/)
    expect(triggers()).toBe(1)
  })

  it('says a deployment is already in progress on 409', async () => {
    const first = await deploy('BUSY', { wait: 'false' })
    expect(first.outputs.status).toBe('started')
    const run = await deploy('BUSY')
    expect(run.outputs.message).toMatch(/HTTP 409: Deployment 'BUSY' is already in progress/)
    expect(run.stdout).toMatch(/operation: await/)
  })

  it('times out at the deadline, says EPMware cannot cancel, and still writes every output', async () => {
    const run = await deploy('LONG', { timeout: '2s' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('timed-out')
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    expect(run.outputs.message).toMatch(
      /did not finish within the timeout of 2s .*EPMware’s REST API has no call to cancel a task/
    )
    expect(run.summary).toContain('⏱️ timed out')
    expect(run.elapsedMs).toBeLessThan(8000)
  })

  it('stops on SIGINT mid-poll, reports canceled and exits inside the grace period', async () => {
    const run = await runAction(
      {
        platform: 'epmware',
        'base-url': sim.url,
        token: TOKEN,
        target: 'LONG_INT',
        'poll-interval': '200ms'
      },
      { interrupt: { signal: 'SIGINT', when: /running \(R\)|queued \(N\)|pending \(P\)/ } }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    const task = run.outputs['task-id'] ?? ''
    // The exact sentence, once, naming the task left running.
    const sentence = `EPMware’s REST API has no call to cancel a task: task ${task} may still be running on the server.`
    expect(run.outputs.message).toContain(sentence)
    expect(
      run.stdout.split('\n').filter(line => line.includes(sentence) && line.startsWith('::warning'))
    ).toHaveLength(1)
    expect(run.summary).toContain('🛑 canceled')
    expect(run.elapsedMs).toBeLessThan(7500)
  })

  it('stops on SIGTERM too', async () => {
    const run = await runAction(
      {
        platform: 'epmware',
        'base-url': sim.url,
        token: TOKEN,
        target: 'LONG_TERM',
        'poll-interval': '200ms'
      },
      { interrupt: { signal: 'SIGTERM', when: /Task id: \d+/ } }
    )
    expect(run.outputs.status).toBe('canceled')
    expect(run.summary).toContain('🛑 canceled')
  })

  it('survives 503 bursts, resets and garbage while polling, with one trigger only', async () => {
    sim.faults.push(
      { match: { path: /get_status/ }, kind: 'status', status: 503, times: 3 },
      { match: { path: /get_status/ }, kind: 'reset', times: 2 },
      { match: { path: /get_status/ }, kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { match: { path: /get_status/ }, kind: 'html' }
    )
    const run = await deploy('ASOALL')
    expect(run.outputs.status).toBe('succeeded')
    expect(triggers()).toBe(1)
    expect(run.stdout).toMatch(/HTTP 503; retrying GET \/service\/api\/task\/get_status/)
  })

  it('never repeats the trigger when the connection drops after sending it', async () => {
    sim.faults.push({ match: { path: /deployment\/run/ }, kind: 'reset' })
    const run = await deploy('ASOALL')
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/POST \/service\/api\/deployment\/run failed/)
    expect(triggers()).toBe(1)
  })

  it('refuses bad inputs all at once and sends nothing', async () => {
    const run = await runAction({
      platform: 'epmware',
      'base-url': sim.url,
      token: TOKEN,
      timeout: 'soon',
      operation: 'deploy',
      parameters: 'rollbak: X'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/The inputs have 4 problems/)
    expect(run.outputs.message).toContain("input 'timeout' 'soon'")
    expect(run.outputs.message).toContain("input 'operation' 'deploy'")
    expect(run.outputs.message).toContain("unknown key 'rollbak'")
    expect(run.outputs.message).toContain("input 'target': is required")
    expect(run.summary).toContain('the inputs are not valid')
    expect(Object.keys(run.outputs).sort()).toEqual([
      'details',
      'duration',
      'log-file',
      'message',
      'remote-status',
      'results',
      'status',
      'task-id',
      'url'
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('with wait: false publishes the task id, and a later step awaits it', async () => {
    const started = await deploy('ASOALL', { wait: 'false' })
    expect(started.code).toBe(0)
    expect(started.outputs.status).toBe('started')
    const taskId = started.outputs['task-id'] ?? ''
    expect(taskId).toMatch(/^\d+$/)
    const awaited = await runAction({
      platform: 'epmware',
      'base-url': sim.url,
      token: TOKEN,
      operation: 'await',
      'task-id': taskId,
      'poll-interval': '100ms'
    })
    expect(awaited.outputs.status).toBe('succeeded')
    expect(awaited.outputs['task-id']).toBe(taskId)
    expect(triggers()).toBe(1)
  })

  it('reads the latest execution with operation: status, triggering nothing', async () => {
    await deploy('ASOALL_WARN')
    sim.requests.length = 0
    const run = await deploy('ASOALL_WARN', { operation: 'status' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(/completed with warnings/)
    expect(triggers()).toBe(0)
  })

  it('does not fail the step with fail-on-error: false, but still reports', async () => {
    const run = await deploy('HFM_PROD', { 'fail-on-error': 'false' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('failed')
  })
})
