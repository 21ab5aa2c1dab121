import { fileSinkUnder } from '../../src/report/files.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Driver, RemoteStatus } from '../../src/drivers/driver.js'
import { epmware } from '../../src/drivers/epmware/index.js'
import { ExecutionDetailsSchema, statusCodeOf, taskIdOf } from '../../src/drivers/epmware/schemas.js'
import { systemClock } from '../../src/engine/clock.js'
import { ActionError } from '../../src/errors.js'
import type { HttpClientOptions } from '../../src/http/client.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { startEpmwareSimulator, type EpmwareSimulator } from '../../simulator/index.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testHttpClient } from '../fixtures/http-client.js'
import { tempDir as makeTempDir } from '../fixtures/temp.js'

const TOKEN = 'driver-test-token-5b1c'
let sim: EpmwareSimulator
let legacySim: EpmwareSimulator
let tempDir: string
const warnings: string[] = []

beforeAll(async () => {
  const deployments = {
    ASOALL: { durationMs: 300 },
    LONG: { durationMs: 60 * 60_000 },
    NEVER_RUN: {}
  }
  sim = await startEpmwareSimulator({ token: TOKEN, deployments })
  legacySim = await startEpmwareSimulator({ token: TOKEN, deployments, legacy: true })
  tempDir = await makeTempDir('epmware-driver-')
})

afterAll(async () => {
  await sim.close()
  await legacySim.close()
})

beforeEach(() => {
  sim.requests.length = 0
  sim.faults.length = 0
  warnings.length = 0
})

const signal = () => new AbortController().signal

function driverFor(
  overrides: Partial<Deployment>,
  http: Partial<HttpClientOptions> = {},
  server: EpmwareSimulator = sim
): Driver {
  const deployment = testDeployment({
    platform: 'epmware',
    baseUrl: server.url,
    operation: 'run',
    credentials: { token: TOKEN },
    pollIntervalMs: 50,
    ...overrides
  })
  return epmware.create({
    deployment,
    http: testHttpClient(server.url, { kind: 'token-header', scheme: 'Token', token: TOKEN }, http),
    clock: systemClock,
    log: { info: () => {}, warning: message => warnings.push(message) },
    files: fileSinkUnder(tempDir)
  })
}

const posts = (server = sim, path = '/service/api/deployment/run') =>
  server.requests.filter(request => request.method === 'POST' && request.path === path).length

async function followToEnd(driver: Driver, taskId: string, context?: Record<string, unknown>) {
  for (let read = 0; read < 200; read++) {
    const status: RemoteStatus = await driver.status({ id: taskId, context }, signal())
    if (status.state !== 'running') return status
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error('the task did not end')
}

describe('EPMware driver: a trigger that may block', () => {
  it('waits for a trigger held 1 s although the per-request timeout is 200 ms', async () => {
    sim.setDeployment('HELD', { durationMs: 5000, holdAnswerMs: 1000 })
    const driver = driverFor({ target: 'HELD' }, { requestTimeoutMs: 200 })
    const started = await driver.start(signal())
    expect(started).toMatchObject({ kind: 'task', task: { id: expect.stringMatching(/^\d+$/) } })
    expect(posts()).toBe(1)
    // The same client bounds an ordinary read by the 200 ms: the trigger alone is exempt.
    sim.faults.push({ match: { path: /get_status/ }, kind: 'delay', delayMs: 1000 })
    const reading = driver.status({ id: started.kind === 'task' ? started.task.id : '' }, signal())
    await expect(reading).rejects.toThrow(/got no answer within 0\.2s/)
  })

  it('follows the task through get_execution_details when the answer is lost, with exactly one POST', async () => {
    sim.setDeployment('LOST', { durationMs: 300, resetAfterAccept: true })
    const driver = driverFor({ target: 'LOST' })
    const started = await driver.start(signal())
    const created = [...sim.tasks.values()].filter(task => task.name === 'LOST')
    expect(created).toHaveLength(1)
    expect(started).toMatchObject({ kind: 'task', task: { id: created[0]?.id } })
    expect(started.kind === 'task' && started.message).toMatch(
      /answer to POST \/service\/api\/deployment\/run was lost .*task \d+ .*following it/
    )
    expect(posts()).toBe(1)
    expect(sim.requests.some(request => request.path.endsWith('/deployment/get_execution_details'))).toBe(
      true
    )
    expect((await followToEnd(driver, created[0]?.id ?? '')).state).toBe('succeeded')
  })

  it('never takes an execution from before the trigger; says the deployment may be running and where to look', async () => {
    let error: unknown
    // The earlier execution started a minute ago by the server's clock.
    let offset = -60_000
    const server = await startEpmwareSimulator({
      token: TOKEN,
      now: () => Date.now() + offset,
      deployments: { EARLIER: { durationMs: 10 } }
    })
    try {
      await driverFor({ target: 'EARLIER' }, {}, server).start(signal())
      offset = 0
      server.requests.length = 0
      // The server resets the connection before it starts anything.
      server.faults.push({ match: { path: /deployment\/run/ }, kind: 'reset' })
      error = await driverFor({ target: 'EARLIER' }, {}, server)
        .start(signal())
        .catch((caught: unknown) => caught as ActionError)
      expect(posts(server)).toBe(1)
      expect(server.tasks.size).toBe(1)
    } finally {
      await server.close()
    }
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).message).toMatch(/deployment EARLIER may be running$/)
    expect((error as ActionError).hint).toMatch(
      /No execution started after the trigger was found; check the executions of deployment EARLIER in EPMware \(GET \/service\/api\/deployment\/get_execution_details\?name=EARLIER&latest_only=N\)/
    )
  })

  it('a trigger still open at the step’s deadline is not sent again and names where to look', async () => {
    sim.setDeployment('SLOW', { durationMs: 60_000, holdAnswerMs: 5000 })
    const driver = driverFor({ target: 'SLOW' }, { deadline: Date.now() + 500 })
    const error = (await driver.start(signal()).catch((caught: unknown) => caught)) as ActionError
    expect(error.message).toMatch(/got no answer before the step's timeout; deployment SLOW may be running/)
    expect(error.hint).toMatch(/get_execution_details\?name=SLOW/)
    expect(posts()).toBe(1)
  })
})

describe('EPMware driver: lost answers of export and ERP triggers', () => {
  it('an export whose answer is lost is found through export/get_execution_details, with one POST', async () => {
    sim.setExport('LOST_EXPORT', { durationMs: 100, resetAfterAccept: true, content: 'a,b\n' })
    const driver = driverFor({ target: 'LOST_EXPORT', operation: 'export' })
    const started = await driver.start(signal())
    const [task] = [...sim.tasks.values()].filter(candidate => candidate.name === 'LOST_EXPORT')
    expect(started).toMatchObject({ kind: 'task', task: { id: task?.id, context: { kind: 'export' } } })
    expect(posts(sim, '/service/api/export/run')).toBe(1)
    expect(sim.requests.some(request => request.path === '/service/api/export/get_execution_details')).toBe(
      true
    )
    if (started.kind !== 'task') return
    const ended = await followToEnd(driver, started.task.id, started.task.context)
    expect(await readFile(ended.exportFile ?? '', 'utf8')).toBe('a,b\n')
  })

  it('an ERP run whose answer is lost cannot be looked up: it may be running, check in EPMware', async () => {
    const workspace = await makeTempDir('epmware-ws-')
    const previous = process.env.GITHUB_WORKSPACE
    process.env.GITHUB_WORKSPACE = workspace
    try {
      await writeFile(path.join(workspace, 'in.csv'), 'a,b\n')
      sim.setImport('LOST_IMPORT', { durationMs: 100, uploadDurationMs: 50, resetAfterAccept: true })
      const error = (await driverFor({
        target: 'LOST_IMPORT',
        operation: 'erp-import',
        artifacts: ['in.csv']
      })
        .start(signal())
        .catch((caught: unknown) => caught)) as ActionError
      expect(error.message).toMatch(
        /POST \/service\/api\/erp\/run failed: .*; ERP import LOST_IMPORT may be running$/
      )
      expect(error.hint).toMatch(
        /EPMware has no call to look the task up; check the ERP import LOST_IMPORT's tasks in EPMware/
      )
      expect(posts(sim, '/service/api/erp/run')).toBe(1)
      expect(posts(sim, '/service/api/erp/upload_file')).toBe(1)
    } finally {
      if (previous === undefined) delete process.env.GITHUB_WORKSPACE
      else process.env.GITHUB_WORKSPACE = previous
    }
  })
})

describe('EPMware driver: if-busy', () => {
  it('fail names the running task; await follows it without a second task', async () => {
    sim.setDeployment('BUSY', { durationMs: 60 * 60_000 })
    const first = await driverFor({ target: 'BUSY' }).start(signal())
    const running = first.kind === 'task' ? first.task.id : ''
    const error = (await driverFor({ target: 'BUSY' })
      .start(signal())
      .catch((caught: unknown) => caught)) as ActionError
    expect(error.message).toMatch(
      /HTTP 409: Deployment 'BUSY' is already in progress; the running task is (\d+)$/
    )
    expect(error.message).toContain(running)
    expect(error.hint).toMatch(/if-busy: await/)
    const awaited = await driverFor({ target: 'BUSY', ifBusy: 'await' }).start(signal())
    expect(awaited).toMatchObject({ kind: 'task', task: { id: running } })
    expect(awaited.kind === 'task' && awaited.message).toMatch(/already running as task \d+; following it/)
    expect([...sim.tasks.values()].filter(task => task.name === 'BUSY')).toHaveLength(1)
    expect(posts()).toBe(3)
  })
})

describe('EPMware driver: refusals in an HTTP 200 body', () => {
  it('an unknown deployment is refused with the server’s message and the 404 hint', async () => {
    const error = (await driverFor({ target: 'NOPE' })
      .start(signal())
      .catch((caught: unknown) => caught)) as ActionError
    expect(error.message).toBe(
      'EPMware refused POST /service/api/deployment/run: Error: Invalid Deployment Name : [NOPE].'
    )
    expect(error.hint).toMatch(/Check target/)
  })

  it('a stopped Deployment Service is named as such, HTTP 200 (default) or 503 (legacy)', async () => {
    for (const server of [sim, legacySim]) {
      server.serviceRunning = false
      try {
        const error = (await driverFor({ target: 'ASOALL' }, {}, server)
          .start(signal())
          .catch((caught: unknown) => caught)) as ActionError
        expect(error.message).toMatch(/Deployment Service is not running/)
        expect(error.hint).toMatch(/start it/)
      } finally {
        server.serviceRunning = true
      }
    }
  })
})

describe('EPMware driver: operation status (THE RULE)', () => {
  const statusOf = async (target: string, server = sim) => {
    const started = await driverFor({ target, operation: 'status' }, {}, server).start(signal())
    if (started.kind !== 'final') throw new Error('status must end at once')
    return started
  }

  it.each([
    ['the evidenced wrapper', () => sim],
    ['the legacy {status,count,data}', () => legacySim]
  ])('reads the latest execution from %s: running, then its outcome', async (_shape, server) => {
    const driver = driverFor({ target: 'ASOALL' }, {}, server())
    const started = await driver.start(signal())
    const taskId = started.kind === 'task' ? started.task.id : ''
    const during = await statusOf('ASOALL', server())
    expect(during.status.state).toBe('running')
    expect(during.task?.id).toBe(taskId)
    await new Promise(resolve => setTimeout(resolve, 350))
    const after = await statusOf('ASOALL', server())
    expect(after.status).toMatchObject({ state: 'succeeded', code: 'S' })
  })

  it('reads statusCode where the server writes it', async () => {
    const other = await startEpmwareSimulator({
      token: TOKEN,
      statusField: 'statusCode',
      deployments: { X: { durationMs: 0 } }
    })
    try {
      await driverFor({ target: 'X' }, {}, other).start(signal())
      const read = await driverFor({ target: 'X', operation: 'status' }, {}, other).start(signal())
      expect(read).toMatchObject({ kind: 'final', status: { state: 'succeeded', code: 'S' } })
    } finally {
      await other.close()
    }
  })

  it('is skipped with "no executions yet" for an empty list, and an error for a refusal or an HTTP error', async () => {
    expect((await statusOf('NEVER_RUN')).status).toMatchObject({
      state: 'skipped',
      message: 'Deployment NEVER_RUN has no executions yet'
    })
    await expect(statusOf('NOPE')).rejects.toThrow(/Invalid Deployment Name : \[NOPE\]/)
    await expect(statusOf('NOPE', legacySim)).rejects.toThrow(/HTTP 404/)
    sim.faults.push({ match: { path: /get_execution_details/ }, kind: 'status', status: 500, times: 5 })
    await expect(statusOf('ASOALL')).rejects.toThrow(/HTTP 500/)
  })
})

describe('EPMware execution details: every documented and earlier form parses', () => {
  const one = { taskId: '13436', id: '2825', status: 'S', statusMeaning: 'Success' }
  it.each([
    ['vEWVExportExecutions (export page)', { totalCount: '1', vEWVExportExecutions: [one] }],
    ['vEWVDeploymentExecutions', { vEWVDeploymentExecutions: [one] }],
    ['statusCode (first revision)', { vEWVExportExecutions: [{ taskId: '13436', statusCode: 'S' }] }],
    ['a bare array', [one]],
    ['{executions:[…]}', { executions: [one] }],
    ['{data:[…]} (legacy)', { status: 'S', count: 1, data: [one] }],
    ['one bare object', one],
    ['task_id', [{ task_id: 13436, status: 'S' }]]
  ])('%s', (_form, body) => {
    const [execution] = ExecutionDetailsSchema.parse(body)
    expect(execution && taskIdOf(execution)).toBe('13436')
    expect(execution && statusCodeOf(execution)).toBe('S')
  })
})

describe('EPMware driver: export download', () => {
  it('streams a file larger than any body the client reads whole, byte for byte, under tempDir', async () => {
    sim.setExport('BIG', { durationMs: 50, sizeBytes: 40 * 1024 * 1024, fileName: 'BIG_1.zip' })
    const driver = driverFor({ target: 'BIG', operation: 'export' })
    const started = await driver.start(signal())
    if (started.kind !== 'task') throw new Error('export must give a task')
    const ended = await followToEnd(driver, started.task.id, started.task.context)
    expect(ended.state).toBe('succeeded')
    const file = ended.exportFile ?? ''
    expect(file).toBe(path.join(tempDir, 'enterprise-deploy', `export-${started.task.id}`, 'BIG_1.zip'))
    expect((await stat(file)).size).toBe(40 * 1024 * 1024)
    const digest = createHash('sha256')
      .update(await readFile(file))
      .digest('hex')
    expect(digest).toBe(sim.downloads.at(-1)?.sha256)
    // A second final read does not download again.
    await driver.status(started.task, signal())
    expect(sim.downloads.filter(download => download.taskId === started.task.id)).toHaveLength(1)
  }, 30_000)
})

describe('EPMware inputs: erp-import and export', () => {
  const problems = (overrides: Partial<Deployment>) =>
    epmware
      .validate(testDeployment({ platform: 'epmware', operation: 'run', ...overrides }))
      .map(problem => `${problem.input}${problem.value ? ` '${problem.value}'` : ''}: ${problem.problem}`)

  it('names the operation a parameter belongs to', () => {
    expect(problems({ operation: 'run', target: 'A', parameters: { delimiter_char: ';' } })).toEqual([
      "parameters 'delimiter_char: ;': delimiter_char applies only to operation: erp-import"
    ])
    expect(problems({ operation: 'export', target: 'A', parameters: { rollback: 'B' } })).toEqual([
      "parameters 'rollback: B': rollback applies only to operation: run"
    ])
  })

  it('export takes target or book_name, not both, and needs one of them', () => {
    expect(problems({ operation: 'export', parameters: { book_name: 'PBCS_BOOK' } })).toEqual([])
    expect(problems({ operation: 'export', target: 'PBCS', parameters: { book_name: 'PBCS_BOOK' } })).toEqual(
      [
        "parameters 'book_name: PBCS_BOOK': export runs either the profile named by target or the book named by book_name, not both"
      ]
    )
    expect(problems({ operation: 'export' })).toEqual([
      'target: is required for epmware export: the export profile name, e.g. PBCS (or parameters.book_name for an export book)'
    ])
  })

  it('erp-import needs exactly one file inside the workspace', () => {
    expect(problems({ operation: 'erp-import', target: 'IMP' })).toEqual([
      'artifacts: is required for epmware erp-import: the file to import, e.g. data/accounts.csv'
    ])
    expect(problems({ operation: 'erp-import', target: 'IMP', artifacts: ['../../etc/passwd'] })[0]).toMatch(
      /^artifacts '\.\.\/\.\.\/etc\/passwd': is outside the workspace/
    )
  })

  it('delimiter_char is one character; enclosing_char one or none', () => {
    const parse = (parameters: object) => epmware.parameters.safeParse(parameters).success
    expect(parse({ delimiter_char: ',', enclosing_char: '' })).toBe(true)
    expect(parse({ delimiter_char: '\t', enclosing_char: '"' })).toBe(true)
    expect(parse({ delimiter_char: ',,' })).toBe(false)
    expect(parse({ enclosing_char: '""' })).toBe(false)
  })
})

describe('EPMware dry run: export and erp-import read, never run', () => {
  it('export resolves the profile through export/get_execution_details; an unknown one fails its check', async () => {
    sim.setExport('DRY', { durationMs: 0 })
    const checks = await driverFor({ operation: 'export', target: 'DRY', dryRun: true }).dryRun?.(signal())
    expect(checks?.map(check => `${check.check}: ${check.ok}`)).toEqual([
      'server reachable: true',
      'credentials accepted: true',
      'target resolved: true'
    ])
    expect(checks?.[2]?.detail).toBe('export configuration DRY exists; never run')
    const unknown = await driverFor({ operation: 'export', target: 'NOPE', dryRun: true }).dryRun?.(signal())
    expect(unknown?.at(-1)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/Invalid Export Profile Name/)
    })
    expect(sim.requests.every(request => request.method === 'GET')).toBe(true)
  })

  it('erp-import checks the file and the token, and says the import itself cannot be checked', async () => {
    const workspace = await makeTempDir('epmware-ws-')
    const previous = process.env.GITHUB_WORKSPACE
    process.env.GITHUB_WORKSPACE = workspace
    try {
      await writeFile(path.join(workspace, 'in.csv'), 'a,b\n')
      const checks = await driverFor({
        operation: 'erp-import',
        target: 'IMP',
        artifacts: ['in.csv'],
        dryRun: true
      }).dryRun?.(signal())
      expect(checks?.map(check => `${check.check}: ${check.ok}`)).toEqual([
        'server reachable: true',
        'credentials accepted: true',
        'artifacts resolved: true',
        'target resolved: true'
      ])
      expect(checks?.[2]?.detail).toBe('in.csv (4 bytes) would be uploaded')
      expect(checks?.[3]?.detail).toMatch(/^not checked: EPMware has no call that reads ERP import IMP/)
      expect(sim.requests.every(request => request.method === 'GET')).toBe(true)
    } finally {
      if (previous === undefined) delete process.env.GITHUB_WORKSPACE
      else process.env.GITHUB_WORKSPACE = previous
    }
  })
})
