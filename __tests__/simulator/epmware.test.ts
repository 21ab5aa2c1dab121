import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  EPMWARE_FIRST_TASK_ID,
  EPMWARE_TOKEN,
  Router,
  sendJson,
  startEpmwareSimulator,
  startHttpServer,
  type EpmwareSimulator
} from '../../simulator/index.js'

const TOKEN = '0f6b2c1e-8d4a-4c55-9f0e-3a7b1d2e4c6f'
const START = Date.UTC(2025, 0, 15, 9, 0, 0)
let clock = START
let sim: EpmwareSimulator
/** Answers in the evidenced shapes (the default). */
let evidenced: EpmwareSimulator
/** Answers in the shapes of the pages the action started from (`legacy: true`). */
let legacySim: EpmwareSimulator

interface TaskStatus {
  taskId: string
  status: string
  percentCompleted: string
  message: string
}

beforeAll(async () => {
  const options = {
    token: TOKEN,
    now: () => clock,
    deployments: { ASOALL: { durationMs: 1000, pendingMs: 200 } }
  }
  evidenced = await startEpmwareSimulator(options)
  legacySim = await startEpmwareSimulator({ ...options, legacy: true })
  sim = evidenced
})

afterAll(async () => {
  await evidenced.close()
  await legacySim.close()
})

/** The tests of a describe block talk to the legacy simulator. */
function useLegacyShapes() {
  beforeAll(() => {
    sim = legacySim
  })
  afterAll(() => {
    sim = evidenced
  })
}

beforeEach(() => {
  clock += 24 * 3600_000
  sim.requests.length = 0
  sim.faults.length = 0
  sim.serviceRunning = true
})

function call(path: string, init: { method?: string; body?: string; token?: string | null } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (init.token !== null) headers.authorization = `Token ${init.token ?? TOKEN}`
  return fetch(`${sim.url}${path}`, { method: init.method ?? 'GET', body: init.body, headers })
}

const run = (name: string, token?: string) =>
  call('/service/api/deployment/run', {
    method: 'POST',
    body: JSON.stringify({ name, timeout_min: 30 }),
    token
  })

async function start(name: string): Promise<string> {
  const response = await run(name)
  expect(response.status).toBe(200)
  return ((await response.json()) as { taskId: string }).taskId
}

async function status(taskId: string): Promise<TaskStatus> {
  return (await (await call(`/service/api/task/get_status/${taskId}`)).json()) as TaskStatus
}

async function log(taskId: string): Promise<string> {
  return (await call(`/service/api/task/get_log_file/${taskId}`)).text()
}

const details = (name: string, latestOnly = 'Y') =>
  call(
    `/service/api/deployment/get_execution_details?name=${encodeURIComponent(name)}&latest_only=${latestOnly}`
  )

describe('EPMware simulator: authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'not-the-token'],
    ['the default token of another simulator', EPMWARE_TOKEN]
  ])('answers 401 with the error shape for %s', async (_what, token) => {
    const response = await run('ASOALL', token as string)
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ status: 'E', message: 'Invalid or missing token' })
    expect(sim.tasks.size).toBe(0)
  })

  it('guards every endpoint, and a Bearer scheme is not a Token', async () => {
    for (const path of [
      '/service/api/task/get_status/1',
      '/service/api/task/get_log_file/1',
      '/service/api/deployment/get_execution_details?name=ASOALL'
    ]) {
      expect((await call(path, { token: null })).status).toBe(401)
    }
    const bearer = await fetch(`${sim.url}/service/api/task/get_status/1`, {
      headers: { authorization: `Bearer ${TOKEN}` }
    })
    expect(bearer.status).toBe(401)
  })

  it('uses the documented example token by default', async () => {
    const other = await startEpmwareSimulator()
    try {
      expect(other.token).toBe('15388ad5-c9af-4cf3-af47-8021c1ab3fb7')
      const response = await fetch(`${other.url}/service/api/deployment/run`, {
        method: 'POST',
        headers: { authorization: `Token ${other.token}` },
        body: '{"name":"ASOALL","timeout_min":60}'
      })
      expect(await response.json()).toEqual({ status: 'S', taskId: String(EPMWARE_FIRST_TASK_ID) })
    } finally {
      await other.close()
    }
  })
})

describe('EPMware simulator: run and status', () => {
  it('answers run with a string taskId that increments, and records the request', async () => {
    sim.setDeployment('RUN_IDS', { durationMs: 0 })
    const first = await start('RUN_IDS')
    const second = await start('RUN_IDS')
    expect(first).toMatch(/^\d+$/)
    expect(Number(second)).toBe(Number(first) + 1)
    const recorded = sim.requests.filter(request => request.method === 'POST')
    expect(recorded).toHaveLength(2)
    expect(recorded[0]).toMatchObject({ path: '/service/api/deployment/run', query: {} })
    expect(JSON.parse(recorded[0]?.body ?? '')).toEqual({ name: 'RUN_IDS', timeout_min: 30 })
    expect(sim.tasks.get(first)).toMatchObject({ name: 'RUN_IDS', timeoutMin: 30 })
  })

  it('moves N → P → R with rising percent → S at 100, all fields strings, by the injected clock', async () => {
    const taskId = await start('ASOALL')
    const seen: TaskStatus[] = []
    for (const at of [0, 99, 150, 200, 600, 999, 1000, 5000]) {
      clock = sim.tasks.get(taskId)!.startedAt + at
      seen.push(await status(taskId))
    }
    expect(seen.map(s => `${s.status}${s.percentCompleted}`)).toEqual([
      'N0',
      'N0',
      'P0',
      'R0',
      'R50',
      'R99',
      'S100',
      'S100'
    ])
    for (const body of seen) {
      expect(Object.keys(body).sort()).toEqual(['message', 'percentCompleted', 'status', 'taskId'])
      expect(Object.values(body).every(value => typeof value === 'string')).toBe(true)
      expect(body.taskId).toBe(taskId)
    }
    expect(seen[4]?.message).toBe('Deploying ASOALL to its target applications')
    expect(seen[6]?.message).toBe('Deployment completed successfully')
  })

  it.each([
    ['W', '100', 'Deployment completed with warnings: 2 members skipped', false],
    ['E', '60', 'Deployment failed: target application is not reachable', false],
    ['C', '60', 'Deployment was cancelled by user', true]
  ] as const)('ends with outcome %s at %s%%', async (outcome, percent, message, canceled) => {
    const name = `OUTCOME_${outcome}`
    sim.setDeployment(name, { durationMs: 500, outcome })
    const taskId = await start(name)
    clock += 250
    const midway = await status(taskId)
    expect(midway.status).toBe('R')
    expect(Number(midway.percentCompleted)).toBeLessThan(Number(percent))
    clock += 250
    expect(await status(taskId)).toEqual({ taskId, status: outcome, percentCompleted: percent, message })
    expect(sim.tasks.get(taskId)).toMatchObject({ status: outcome, ended: true, canceled })
  })

  it('reports a deployment’s own final message', async () => {
    const message = 'Deployment failed: Target application HFM_PROD is not reachable'
    sim.setDeployment('HFM_PROD', { durationMs: 100, outcome: 'E', message })
    const taskId = await start('HFM_PROD')
    clock += 100
    expect((await status(taskId)).message).toBe(message)
  })
})

describe('EPMware simulator: documented errors', () => {
  async function expectError(response: Response, code: number, body: Record<string, string>) {
    expect(response.status).toBe(code)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ status: 'E', ...body })
  }

  it('an unknown deployment is an HTTP 200 refusal with taskId "0" (response-formats page)', async () => {
    await expectError(await run('INVALID_NAME'), 200, {
      taskId: '0',
      message: 'Error: Invalid Deployment Name : [INVALID_NAME]. '
    })
  })

  it('a stopped Deployment Service is an HTTP 200 refusal too', async () => {
    sim.serviceRunning = false
    await expectError(await run('ASOALL'), 200, {
      taskId: '0',
      message: 'Error: Deployment Service is not running. '
    })
  })

  it('404 with taskId "0" for an unknown task, on status and log alike', async () => {
    const expected = { message: 'Task 999 not found', taskId: '0' }
    await expectError(await call('/service/api/task/get_status/999'), 404, expected)
    await expectError(await call('/service/api/task/get_log_file/999'), 404, expected)
  })

  it('409 while the previous task of that deployment runs, and a new task once it has ended', async () => {
    sim.setDeployment('BUSY', { durationMs: 1000 })
    const first = await start('BUSY')
    await expectError(await run('BUSY'), 409, { message: "Deployment 'BUSY' is already in progress" })
    clock += 1000
    expect(await start('BUSY')).not.toBe(first)
  })

  it('500 for a deployment set to fail on run, starting no task', async () => {
    sim.setDeployment('BROKEN', { failWith: 500 })
    await expectError(await run('BROKEN'), 500, {
      message: "Deployment 'BROKEN' failed to start: target application error"
    })
    expect([...sim.tasks.values()].some(task => task.name === 'BROKEN')).toBe(false)
  })

  it('400 when name is missing or the body is not JSON; 404 for an unknown path', async () => {
    const post = (body: string) => call('/service/api/deployment/run', { method: 'POST', body })
    await expectError(await post('{"timeout_min":60}'), 400, { message: "Parameter 'name' is required" })
    await expectError(await post('{"name":'), 400, { message: 'Request body must be a JSON object' })
    await expectError(await call('/service/api/task/cancel/1', { method: 'POST' }), 404, {
      message: 'No API at POST /service/api/task/cancel/1'
    })
  })
})

describe('EPMware simulator: legacy errors (legacy: true)', () => {
  useLegacyShapes()

  async function expectError(response: Response, code: number, body: Record<string, string>) {
    expect(response.status).toBe(code)
    expect(await response.json()).toEqual({ status: 'E', ...body })
  }

  it('404 for an unknown deployment configuration', async () => {
    await expectError(await run('INVALID_NAME'), 404, {
      message: "Deployment configuration 'INVALID_NAME' not found"
    })
  })

  it('503 when the Deployment Service is not running, from the option or later', async () => {
    sim.serviceRunning = false
    await expectError(await run('ASOALL'), 503, { message: 'Deployment Service is not running' })
    const stopped = await startEpmwareSimulator({ serviceRunning: false, legacy: true })
    try {
      const response = await fetch(`${stopped.url}/service/api/deployment/run`, {
        method: 'POST',
        headers: { authorization: `Token ${stopped.token}` },
        body: '{"name":"ASOALL"}'
      })
      expect(response.status).toBe(503)
    } finally {
      await stopped.close()
    }
  })
})

describe('EPMware simulator: log file', () => {
  it('is timestamped text/plain that grows with progress and ends with the outcome', async () => {
    sim.setDeployment('LOGGED', {
      durationMs: 1000,
      pendingMs: 200,
      outcome: 'W',
      logLine: 'secret Token abc'
    })
    const taskId = await start('LOGGED')
    const queued = await log(taskId)
    clock += 600
    const response = await call(`/service/api/task/get_log_file/${taskId}`)
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    const running = await response.text()
    clock += 400
    const ended = await log(taskId)

    const lines = (text: string) => text.trimEnd().split('\n')
    expect(lines(queued)).toHaveLength(2)
    expect(queued).toContain('secret Token abc')
    expect(lines(running).length).toBeGreaterThan(lines(queued).length)
    expect(lines(ended).length).toBeGreaterThan(lines(running).length)
    expect(ended.startsWith(running)).toBe(true)
    expect(ended.match(/\] Step \d+/g)).toHaveLength(40)
    for (const line of lines(ended))
      expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (INFO |WARN |ERROR) /)
    expect(lines(ended).at(-1)).toMatch(
      /WARN {2}Task \d+ ended with status W: Deployment completed with warnings: 2 members skipped$/
    )
    expect(sim.tasks.get(taskId)?.counts.getLogFile).toBe(3)
  })

  it('streams a large log in chunks without a Content-Length', async () => {
    const logBytes = 16 * 1024 * 1024
    sim.setDeployment('BIG_LOG', { durationMs: 100, logBytes })
    const taskId = await start('BIG_LOG')
    clock += 100
    const response = await call(`/service/api/task/get_log_file/${taskId}`)
    expect(response.headers.get('content-length')).toBeNull()
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    const reader = response.body!.getReader()
    let bytes = 0
    let chunks = 0
    let tail = ''
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.byteLength
      chunks++
      tail = Buffer.from(read.value).toString('utf8').slice(-300)
    }
    expect(chunks).toBeGreaterThan(10)
    expect(Math.abs(bytes - logBytes)).toBeLessThan(1024)
    expect(tail).toMatch(/ended with status S: Deployment completed successfully\n$/)
  })
})

describe('EPMware simulator: execution details (legacy: true)', () => {
  useLegacyShapes()

  it('gives the latest execution with latest_only=Y and all, newest first, with N', async () => {
    sim.setDeployment('HISTORY', { durationMs: 100, outcome: 'W' })
    const first = await start('HISTORY')
    clock += 100
    const second = await start('HISTORY')
    clock += 50

    const latest = (await (await details('HISTORY')).json()) as { count: number; data: object[] }
    expect(latest).toEqual({
      status: 'S',
      count: 1,
      data: [
        {
          taskId: second,
          name: 'HISTORY',
          status: 'R',
          percentCompleted: expect.stringMatching(/^\d+$/),
          message: 'Deploying HISTORY to its target applications',
          startTime: new Date(clock - 50).toISOString(),
          endTime: null
        }
      ]
    })
    const all = (await (await details('HISTORY', 'N')).json()) as { count: number; data: object[] }
    expect(all.count).toBe(2)
    expect(all.data.map(execution => (execution as { taskId: string }).taskId)).toEqual([second, first])
    expect(all.data[1]).toMatchObject({
      status: 'W',
      percentCompleted: '100',
      endTime: new Date(clock - 50).toISOString()
    })
  })

  it('answers an empty list for a deployment never run, 404 for an unknown one, 400 without a name', async () => {
    sim.setDeployment('NEVER_RUN', {})
    expect(await (await details('NEVER_RUN')).json()).toEqual({ status: 'S', count: 0, data: [] })
    expect(await (await details('NOPE')).json()).toEqual({
      status: 'E',
      message: "Deployment configuration 'NOPE' not found"
    })
    expect((await details('NOPE')).status).toBe(404)
    expect((await call('/service/api/deployment/get_execution_details')).status).toBe(400)
  })
})

describe('EPMware simulator: execution details', () => {
  it('answers the vendor wrapper, newest first, the deployment under vEWVDeploymentExecutions', async () => {
    sim.setDeployment('HISTORY', { durationMs: 100, outcome: 'W' })
    const first = await start('HISTORY')
    clock += 100
    const second = await start('HISTORY')
    clock += 50
    const latest = (await (await details('HISTORY')).json()) as Record<string, unknown>
    expect(latest).toEqual({
      startIndex: '0',
      pageSize: '0',
      totalCount: '2',
      resultSize: '0',
      queryTimeMS: String(clock),
      vEWVDeploymentExecutions: [
        {
          createTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          updateTime: expect.any(String),
          createdBy: '41',
          updatedBy: '41',
          id: expect.stringMatching(/^\d+$/),
          deploymentName: 'HISTORY',
          status: 'R',
          message: 'Deploying HISTORY to its target applications',
          startDate: new Date(clock - 50).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          endDate: '',
          userName: 'API_USER',
          name: 'HISTORY',
          statusMeaning: 'Running',
          taskId: second
        }
      ]
    })
    const all = (await (await details('HISTORY', 'N')).json()) as {
      vEWVDeploymentExecutions: { taskId: string; id: string; status: string; statusMeaning: string }[]
    }
    const executions = all.vEWVDeploymentExecutions
    expect(executions.map(execution => execution.taskId)).toEqual([second, first])
    expect(executions[1]).toMatchObject({ status: 'W', statusMeaning: 'Warning' })
    expect(executions[0]?.id).not.toBe(second)
  })

  it('writes statusCode instead of status with statusField: statusCode (the page’s first revision)', async () => {
    const other = await startEpmwareSimulator({ token: TOKEN, statusField: 'statusCode' })
    try {
      const headers = { authorization: `Token ${TOKEN}` }
      await fetch(`${other.url}/service/api/deployment/run`, {
        method: 'POST',
        headers,
        body: '{"name":"ASOALL"}'
      })
      const body = (await (
        await fetch(`${other.url}/service/api/deployment/get_execution_details?name=ASOALL`, { headers })
      ).json()) as { vEWVDeploymentExecutions: Record<string, unknown>[] }
      expect(body.vEWVDeploymentExecutions[0]).toHaveProperty('statusCode')
      expect(body.vEWVDeploymentExecutions[0]).not.toHaveProperty('status')
    } finally {
      await other.close()
    }
  })

  it('answers an empty wrapper for a deployment never run and an HTTP 200 refusal for an unknown one', async () => {
    sim.setDeployment('NEVER_RUN', {})
    expect(await (await details('NEVER_RUN')).json()).toMatchObject({
      totalCount: '0',
      vEWVDeploymentExecutions: []
    })
    const unknown = await details('NOPE')
    expect(unknown.status).toBe(200)
    expect(await unknown.json()).toEqual({
      status: 'E',
      taskId: '0',
      message: 'Error: Invalid Deployment Name : [NOPE]. '
    })
    expect((await call('/service/api/deployment/get_execution_details')).status).toBe(400)
  })

  it('counts the requests each endpoint served, in stats() and per task', async () => {
    const before = sim.stats()
    sim.setDeployment('COUNTED', { durationMs: 10 })
    const taskId = await start('COUNTED')
    await status(taskId)
    await status(taskId)
    await log(taskId)
    await details('COUNTED')
    await run('ASOALL', 'bad-token')
    expect(sim.stats()).toEqual({
      ...before,
      run: before.run + 1,
      getStatus: before.getStatus + 2,
      getLogFile: before.getLogFile + 1,
      getExecutionDetails: before.getExecutionDetails + 1
    })
    expect(sim.tasks.get(taskId)?.counts).toEqual({ getStatus: 2, getLogFile: 1 })
  })
})

describe('fault injection', () => {
  const statusPath = /get_status/

  it('reset drops the connection unanswered; the request is still recorded', async () => {
    const before = sim.stats().getStatus
    sim.faults.push({ match: { path: statusPath }, kind: 'reset' })
    await expect(call('/service/api/task/get_status/1')).rejects.toThrow('fetch failed')
    expect(sim.requests.map(request => request.path)).toEqual(['/service/api/task/get_status/1'])
    expect(sim.stats().getStatus).toBe(before)
    expect((await call('/service/api/task/get_status/1')).status).toBe(404)
  })

  it('status answers the given status and headers, for `times` matching requests only', async () => {
    sim.faults.push({ kind: 'status', status: 429, headers: { 'Retry-After': '3' }, times: 2 })
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await call('/service/api/task/get_status/1')
      expect(response.status).toBe(429)
      expect(response.headers.get('retry-after')).toBe('3')
      expect(await response.json()).toEqual({ status: 'E', message: 'Too Many Requests' })
    }
    expect((await call('/service/api/task/get_status/1')).status).toBe(404)
    expect(sim.faults).toHaveLength(0)
  })

  it('status defaults to 503 and matches by method and path', async () => {
    sim.faults.push({ match: { method: 'post', path: /deployment\/run/ }, kind: 'status' })
    expect((await call('/service/api/task/get_status/1')).status).toBe(404)
    expect((await call('/service/api/deployment/get_execution_details?name=ASOALL')).status).toBe(200)
    expect((await run('NOPE')).status).toBe(503)
    expect(await (await run('NOPE')).json()).toMatchObject({ status: 'E', taskId: '0' })
  })

  it('html answers 502 with an HTML page', async () => {
    sim.faults.push({ kind: 'html' })
    const response = await call('/service/api/task/get_status/1')
    expect(response.status).toBe(502)
    expect(response.headers.get('content-type')).toBe('text/html')
    expect(await response.text()).toMatch(/^<!DOCTYPE html>.*502 Bad Gateway/s)
  })

  it('garbage answers 200 application/json that does not parse', async () => {
    sim.faults.push({ kind: 'garbage' })
    const response = await call('/service/api/task/get_status/1')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    await expect(response.json()).rejects.toThrow(/JSON/)
  })

  it('truncated answers 200 JSON and drops the connection halfway through the body', async () => {
    sim.faults.push({ kind: 'truncated' })
    const response = await call('/service/api/task/get_status/1')
    expect(response.status).toBe(200)
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100)
    await expect(response.text()).rejects.toThrow()
  })

  it('delay waits, then the vendor answers normally', async () => {
    sim.faults.push({ match: { path: statusPath }, kind: 'delay', delayMs: 150 })
    const started = Date.now()
    const response = await call('/service/api/task/get_status/1')
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(await response.json()).toEqual({ status: 'E', message: 'Task 1 not found', taskId: '0' })
  })
})

describe('HTTP server base', () => {
  it('routes with decoded params and records method, path, query, headers and body', async () => {
    const router = new Router().post('/items/:name/parts/:part', (request, response, params) =>
      sendJson(response, 201, { params, query: request.query })
    )
    const server = await startHttpServer(router.handler((_request, response) => sendJson(response, 404, {})))
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      const response = await fetch(`${server.url}/items/a%20b%2Fc/parts/7/?x=1&y=two`, {
        method: 'POST',
        headers: { 'x-probe': 'yes' },
        body: 'payload'
      })
      expect(response.status).toBe(201)
      expect(await response.json()).toEqual({
        params: { name: 'a b/c', part: '7' },
        query: { x: '1', y: 'two' }
      })
      expect((await fetch(`${server.url}/items/a/parts/7`)).status).toBe(404)
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        path: '/items/a%20b%2Fc/parts/7/',
        query: { x: '1', y: 'two' },
        headers: expect.objectContaining({ 'x-probe': 'yes' }),
        body: 'payload',
        at: expect.any(Number)
      })
    } finally {
      await server.close()
    }
  })

  it('answers 500 when a handler throws', async () => {
    const server = await startHttpServer(() => {
      throw new Error('boom')
    })
    try {
      const response = await fetch(server.url)
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ status: 'E', message: 'Simulator error: Error: boom' })
    } finally {
      await server.close()
    }
  })

  it('close() ends keep-alive sockets, streams and pending delays at once', async () => {
    const server = await startEpmwareSimulator({
      deployments: { BIG: { durationMs: 0, logBytes: 200 * 1024 * 1024 } }
    })
    const headers = { authorization: `Token ${server.token}` }
    const run = await fetch(`${server.url}/service/api/deployment/run`, {
      method: 'POST',
      headers,
      body: '{"name":"BIG"}'
    })
    const { taskId } = (await run.json()) as { taskId: string }
    const stream = await fetch(`${server.url}/service/api/task/get_log_file/${taskId}`, { headers })
    const reader = stream.body!.getReader()
    expect((await reader.read()).done).toBe(false)
    server.faults.push({ kind: 'delay', delayMs: 60_000 })
    const delayed = fetch(`${server.url}/service/api/task/get_status/${taskId}`, { headers })
    while (server.requests.length < 3) await new Promise(resolve => setTimeout(resolve, 5))

    const started = Date.now()
    await server.close()
    expect(Date.now() - started).toBeLessThan(1000)
    await expect(delayed).rejects.toThrow('fetch failed')
    await expect(
      (async () => {
        while (!(await reader.read()).done);
      })()
    ).rejects.toThrow()
    await expect(fetch(`${server.url}/service/api/task/get_status/${taskId}`, { headers })).rejects.toThrow(
      'fetch failed'
    )
  })
})

describe('EPMware simulator: triggers that block or lose their answer', () => {
  it('holds the answer for holdAnswerMs while the task already runs', async () => {
    sim.setDeployment('HELD', { durationMs: 5000, holdAnswerMs: 150 })
    const sent = Date.now()
    const taskId = await start('HELD')
    expect(Date.now() - sent).toBeGreaterThanOrEqual(140)
    expect(sim.tasks.get(taskId)?.name).toBe('HELD')
  })

  it('starts the task and resets the connection with resetAfterAccept', async () => {
    sim.setDeployment('LOST', { durationMs: 5000, resetAfterAccept: true })
    await expect(run('LOST')).rejects.toThrow('fetch failed')
    const started = [...sim.tasks.values()].filter(task => task.name === 'LOST')
    expect(started).toHaveLength(1)
    const listed = (await (await details('LOST')).json()) as {
      vEWVDeploymentExecutions: { taskId: string }[]
    }
    expect(listed.vEWVDeploymentExecutions[0]?.taskId).toBe(started[0]?.id)
  })
})

describe('EPMware simulator: ERP import', () => {
  const form = (fields: Record<string, string>, file?: { name: string; data: Buffer }) => {
    const body = new FormData()
    for (const [name, value] of Object.entries(fields)) body.append(name, value)
    if (file) body.append('file', new Blob([new Uint8Array(file.data)]), file.name)
    return body
  }
  const upload = (body: FormData) =>
    fetch(`${sim.url}/service/api/erp/upload_file`, {
      method: 'POST',
      headers: { authorization: `Token ${TOKEN}` },
      body
    })
  const erpRun = (name: string) =>
    call('/service/api/erp/run', { method: 'POST', body: JSON.stringify({ name, timeout_min: 5 }) })

  it('receives the file byte for byte, answers a task that loads it, then runs the import', async () => {
    sim.setImport('ASOALL_Account', { durationMs: 400, uploadDurationMs: 100 })
    const data = Buffer.from([0, 255, 13, 10, 0xc3, 0x28, 65, 44, 66])
    const response = await upload(
      form({ name: 'ASOALL_Account', delimiter_char: ',', enclosing_char: '"' }, { name: 'a.csv', data })
    )
    const answer = (await response.json()) as { taskId: string }
    expect(answer).toEqual({
      message: 'Task Submitted Succesfully.',
      status: 'S',
      taskId: expect.any(String)
    })
    const received = sim.uploads.at(-1)
    expect(received?.data.equals(data)).toBe(true)
    expect(received?.fields).toEqual({ name: 'ASOALL_Account', delimiter_char: ',', enclosing_char: '"' })
    expect(received?.filename).toBe('a.csv')
    expect(await erpRun('ASOALL_Account').then(r => r.json())).toMatchObject({
      status: 'E',
      message: 'Error: No data loaded in the interface table for [ASOALL_Account]. '
    })
    clock += 100
    expect((await status(answer.taskId)).status).toBe('S')
    const run = (await (await erpRun('ASOALL_Account')).json()) as { status: string; taskId: string }
    expect(run.status).toBe('S')
    expect(sim.tasks.get(run.taskId)).toMatchObject({ kind: 'import', timeoutMin: 5 })
    expect((await erpRun('ASOALL_Account')).status).toBe(409)
  })

  it('refuses an unknown import name in an HTTP 200 body, missing fields with 400, a large file with 413', async () => {
    const data = Buffer.from('a,b\n')
    const unknown = await upload(
      form({ name: 'AV_GENERIC_CVE_E4', delimiter_char: ',' }, { name: 'x.csv', data })
    )
    expect(unknown.status).toBe(200)
    expect(await unknown.json()).toEqual({
      status: 'E',
      taskId: '0',
      message: 'Error: Invalid ERP Import Name : [AV_GENERIC_CVE_E4]. '
    })
    sim.setImport('IMP', {})
    expect((await upload(form({ name: 'IMP' }, { name: 'x.csv', data }))).status).toBe(400)
    expect((await upload(form({ name: 'IMP', delimiter_char: ',' }))).status).toBe(400)
    const small = await startEpmwareSimulator({ token: TOKEN, imports: { IMP: {} }, maxUploadBytes: 100 })
    try {
      const response = await fetch(`${small.url}/service/api/erp/upload_file`, {
        method: 'POST',
        headers: { authorization: `Token ${TOKEN}` },
        body: form({ name: 'IMP', delimiter_char: ',' }, { name: 'x.csv', data: Buffer.alloc(200) })
      })
      expect(response.status).toBe(413)
    } finally {
      await small.close()
    }
  })
})

describe('EPMware simulator: export', () => {
  const exportRun = (body: object) =>
    call('/service/api/export/run', { method: 'POST', body: JSON.stringify(body) })

  it('runs a profile, lists it under vEWVExportExecutions and serves its file once complete', async () => {
    sim.setExport('PBCS', { durationMs: 200, content: 'Account,Parent\n1000,Assets\n' })
    const { taskId } = (await (await exportRun({ name: 'PBCS' })).json()) as { taskId: string }
    expect((await call(`/service/api/export/download_file/${taskId}`)).status).toBe(404)
    clock += 200
    const listed = (await (await call('/service/api/export/get_execution_details?name=PBCS')).json()) as {
      vEWVExportExecutions: Record<string, string>[]
    }
    expect(listed.vEWVExportExecutions[0]).toMatchObject({
      exportName: 'PBCS',
      status: 'S',
      statusMeaning: 'Success',
      message: 'Export Complete',
      taskId,
      outputFileName: expect.stringMatching(/^PBCS_\d+\.csv$/),
      outputFileSize: '27'
    })
    const file = await call(`/service/api/export/download_file/${taskId}`)
    expect(file.headers.get('content-type')).toBe('text/csv')
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="PBCS_\d+\.csv"$/)
    expect(await file.text()).toBe('Account,Parent\n1000,Assets\n')
    expect(sim.downloads.at(-1)).toMatchObject({ taskId, bytes: 27 })
  })

  it('runs a book by book_name and refuses unknown names in an HTTP 200 body', async () => {
    sim.setExport('PBCS_BOOK', { book: true, durationMs: 10 })
    expect(await (await exportRun({ book_name: 'PBCS_BOOK' })).json()).toMatchObject({ status: 'S' })
    expect(await (await exportRun({ name: 'PBCS_BOOK' })).json()).toEqual({
      status: 'E',
      taskId: '0',
      message: 'Error: Invalid Export Profile Name : [PBCS_BOOK]. '
    })
    expect(await (await exportRun({ name: 'TEST_CVE_EXPORT55' })).json()).toEqual({
      status: 'E',
      taskId: '0',
      message: 'Error: Invalid Export Profile Name : [TEST_CVE_EXPORT55]. '
    })
  })
})
