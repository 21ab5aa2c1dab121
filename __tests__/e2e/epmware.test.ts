import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startEpmwareSimulator, type EpmwareSimulator } from '../../simulator/index.js'
import { workflowCommands } from '../hardening/support/workflow-commands.js'
import { runAction, type ActionRun, everythingWritten } from './run-action.js'
import { tempDir } from '../fixtures/temp.js'

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
      BUSY: { durationMs: 60 * 60_000 },
      BUSY_AWAIT: { durationMs: 6000 },
      LOST_ANSWER: { durationMs: 600, resetAfterAccept: true },
      NEVER_RUN: {}
    },
    imports: { ASOALL_Account: { durationMs: 600, uploadDurationMs: 300 }, BAD_FILE: { uploadOutcome: 'E' } },
    exports: {
      PBCS: { durationMs: 600, sizeBytes: 3 * 1024 * 1024 + 17, fileName: 'PBCS_2825_04_MAR_2026.csv' }
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
    expect(run.summary).toContain('## ✅ Succeeded · EPMware run ASOALL')
    expect(run.summary).toContain('| EPMware · ASOALL (run) |')
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
      /::warning title=ASOALL_WARN::EPMware finished with warnings: Deployment completed with warnings/
    )
    expect(run.summary).toContain('[!WARNING]')
  })

  it('fails the step on E, prints the log tail and says why in the summary', async () => {
    const run = await deploy('HFM_PROD', { 'log-lines': '5' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toBe('Deployment failed: target application is not reachable')
    expect(run.stdout).toMatch(
      /::error title=HFM_PROD::Deployment failed: target application is not reachable/
    )
    // The reason is said once: the step's failure line is the deployment's titled error.
    expect(workflowCommands(run.stdout).filter(command => command.name === 'error')).toHaveLength(1)
    expect(run.stdout).toMatch(/Last 5 lines of the remote log of HFM_PROD/)
    expect(run.summary).toContain('## ❌ Failed · EPMware run HFM_PROD')
    expect(run.summary).toMatch(/^- ❌ \*\*HFM_PROD\*\* failed: /m)
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
    expect(run.summary).toContain('| EPMware · HFM_BACKOUT (run) |')
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
      /EPMware refused POST \/service\/api\/deployment\/run: Error: Invalid Deployment Name : \[NOPE\]/,
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

  it('says the Deployment Service is down (an HTTP 200 refusal), without sending the trigger again', async () => {
    sim.serviceRunning = false
    const run = await deploy('ASOALL')
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/EPMware refused POST .*: Error: Deployment Service is not running/)
    expect(run.stdout).toMatch(/Deployment Service is not running; start it \(Administrator → Services\)/)
    expect(triggers()).toBe(1)
  })

  it('says a deployment is already in progress on 409', async () => {
    const first = await deploy('BUSY', { wait: 'false' })
    expect(first.outputs.status).toBe('started')
    const run = await deploy('BUSY')
    expect(run.outputs.message).toMatch(
      new RegExp(
        `HTTP 409: Deployment 'BUSY' is already in progress; the running task is ${first.outputs['task-id']}$`
      )
    )
    expect(run.stdout).toMatch(/if-busy: await/)
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

  it('never repeats the trigger when the connection drops; says the deployment may be running and where to look', async () => {
    sim.faults.push({ match: { path: /deployment\/run/ }, kind: 'reset' })
    const run = await deploy('ASOALL')
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(
      /POST \/service\/api\/deployment\/run failed: .*; deployment ASOALL may be running/
    )
    expect(run.stdout).toMatch(/get_execution_details\?name=ASOALL&latest_only=N/)
    expect(triggers()).toBe(1)
  })

  it('follows the task it finds when the server resets the connection after starting it: one POST', async () => {
    const run = await deploy('LOST_ANSWER')
    expect(run.outputs.status).toBe('succeeded')
    const [task] = [...sim.tasks.values()].filter(candidate => candidate.name === 'LOST_ANSWER')
    expect(run.outputs['task-id']).toBe(task?.id)
    expect(run.stdout).toMatch(/was lost .*following it/)
    expect(triggers()).toBe(1)
  })

  it('if-busy: await follows the task already running instead of starting another', async () => {
    const first = await deploy('BUSY_AWAIT', { wait: 'false' })
    const running = first.outputs['task-id']
    const run = await deploy('BUSY_AWAIT', { 'if-busy': 'await' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe(running)
    expect(run.stdout).toMatch(/already running as task \d+; following it instead of starting another/)
    expect([...sim.tasks.values()].filter(task => task.name === 'BUSY_AWAIT')).toHaveLength(1)
    expect(triggers()).toBe(2)
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
    expect(run.summary).toContain('The inputs are not valid · nothing was sent')
    expect(Object.keys(run.outputs).sort()).toEqual([
      'details',
      'duration',
      'export-file',
      'log-file',
      'message',
      'plan',
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

  it('operation: status of a deployment never run is skipped, saying so', async () => {
    const run = await deploy('NEVER_RUN', { operation: 'status' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('skipped')
    expect(run.outputs.message).toBe('Deployment NEVER_RUN has no executions yet')
  })

  it('does not fail the step with fail-on-error: false, but still reports', async () => {
    const run = await deploy('HFM_PROD', { 'fail-on-error': 'false' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('failed')
    // Not failing the step, it still annotates the failure, titled with the deployment.
    const errors = workflowCommands(run.stdout).filter(command => command.name === 'error')
    expect(errors.map(error => [error.properties, error.data])).toEqual([
      ['title=HFM_PROD', 'HFM_PROD failed: Deployment failed: target application is not reachable']
    ])
  })
})

describe('EPMware erp-import and export end to end', () => {
  it('erp-import uploads the workspace file byte for byte, waits for it to load, runs and follows the import', async () => {
    const workspace = await tempDir('ed-e2e-ws-')
    const bytes = Buffer.concat([
      Buffer.from('Account,Parent\r\n1000,"Assets"\r\n'),
      Buffer.from([0xff, 0x00, 0xc3, 0x28])
    ])
    await mkdir(path.join(workspace, 'data'))
    await writeFile(path.join(workspace, 'data', 'accounts.csv'), bytes)
    const run = await runAction(
      {
        platform: 'epmware',
        'base-url': sim.url,
        token: TOKEN,
        operation: 'erp-import',
        target: 'ASOALL_Account',
        artifacts: 'data/*.csv',
        parameters: 'delimiter_char: ","\nenclosing_char: \'"\'',
        'poll-interval': '100ms',
        timeout: '20s'
      },
      { env: { GITHUB_WORKSPACE: workspace } }
    )
    expect(run.outputs.message).toBe('ERP Import completed successfully')
    expect(run.outputs.status).toBe('succeeded')
    const upload = sim.uploads.at(-1)
    expect(upload?.data.equals(bytes)).toBe(true)
    expect(upload?.filename).toBe('accounts.csv')
    expect(upload?.fields).toEqual({ name: 'ASOALL_Account', delimiter_char: ',', enclosing_char: '"' })
    const task = sim.tasks.get(run.outputs['task-id'] ?? '')
    expect(task).toMatchObject({ kind: 'import', name: 'ASOALL_Account' })
    expect(run.stdout).toMatch(/accepted the file as task \d+; waiting for it to load/)
    const upload_file = sim.requests.find(request => request.path === '/service/api/erp/upload_file')
    expect(upload_file?.headers['content-length']).toBe(String(upload_file?.raw?.length))
  })

  it('erp-import stops when the upload task fails, without running the import', async () => {
    const workspace = await tempDir('ed-e2e-ws-')
    await writeFile(path.join(workspace, 'bad.csv'), 'x')
    const run = await runAction(
      {
        platform: 'epmware',
        'base-url': sim.url,
        token: TOKEN,
        operation: 'erp-import',
        target: 'BAD_FILE',
        artifacts: 'bad.csv',
        'poll-interval': '100ms'
      },
      { env: { GITHUB_WORKSPACE: workspace } }
    )
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(
      /The upload of bad.csv \(task \d+\) ended failed: Load failed.*; the import was not run/
    )
    expect(sim.requests.some(request => request.path === '/service/api/erp/run')).toBe(false)
  })

  it('erp-import refuses a file outside the workspace and two files, sending nothing', async () => {
    const workspace = await tempDir('ed-e2e-ws-')
    await writeFile(path.join(workspace, 'a.csv'), 'a')
    await writeFile(path.join(workspace, 'b.csv'), 'b')
    for (const artifacts of ['../outside.csv', '*.csv']) {
      const run = await runAction(
        {
          platform: 'epmware',
          'base-url': sim.url,
          token: TOKEN,
          operation: 'erp-import',
          target: 'ASOALL_Account',
          artifacts
        },
        { env: { GITHUB_WORKSPACE: workspace } }
      )
      expect(run.outputs.status).toBe('failed')
      expect(run.outputs.message).toMatch(/input 'artifacts'/)
      expect(run.outputs.message).toMatch(/outside the workspace|erp-import uploads exactly one/)
    }
    expect(sim.requests).toHaveLength(0)
  })

  it('export runs the profile, follows it and downloads its file under RUNNER_TEMP (export-file)', async () => {
    const run = await deploy('PBCS', { operation: 'export' })
    expect(run.outputs.status).toBe('succeeded')
    const file = run.outputs['export-file'] ?? ''
    expect(file.startsWith(run.runnerTemp)).toBe(true)
    expect(path.basename(file)).toBe('PBCS_2825_04_MAR_2026.csv')
    const content = await readFile(file)
    expect(content.length).toBe(3 * 1024 * 1024 + 17)
    const sent = sim.downloads.find(download => download.taskId === run.outputs['task-id'])
    expect(createHash('sha256').update(content).digest('hex')).toBe(sent?.sha256)
    expect(run.outputs.message).toMatch(/^Export Complete; file saved as /)
  })

  it('export of an unknown profile is refused with the server’s words and no download', async () => {
    const run = await deploy('TEST_CVE_EXPORT55', { operation: 'export' })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/Error: Invalid Export Profile Name : \[TEST_CVE_EXPORT55\]/)
    expect(run.outputs['export-file']).toBe('')
  })
})
