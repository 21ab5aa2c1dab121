import { describe, expect, it, afterEach } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { systemClock } from '../../src/engine/clock.js'
import { executeDeployment, type EngineEnvironment } from '../../src/engine/execute.js'
import { windDownDeadlines } from '../../src/engine/wind-down.js'
import { logSinkUnder, saveRemoteLog } from '../../src/report/logfile.js'
import { Redactor } from '../../src/secrets.js'
import { testDeployment } from '../fixtures/deployment.js'
import { EDGE_TOKEN, json, startEdgeServer, type EdgeServer } from '../hardening/support/edge-server.js'
import { tempDir } from '../fixtures/temp.js'

const servers: EdgeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

describe('windDownDeadlines', () => {
  it('gives the last read, the cancel and the log their shares in order, the log ending with the budget', () => {
    expect(windDownDeadlines(1000, 10_000)).toEqual({ 'last read': 4000, cancel: 7000, log: 11_000 })
    expect(windDownDeadlines(50_000, 5000)).toEqual({ 'last read': 51_500, cancel: 53_000, log: 55_000 })
  })
})

describe('saveRemoteLog', () => {
  it('keeps a character split across two chunks whole', async () => {
    const dir = await tempDir('ed-log-')
    const bytes = Buffer.from('Déploiement terminé\n')
    const split = bytes.indexOf(0xc3) + 1 // inside the two bytes of é
    const saved = await saveRemoteLog(
      Readable.from([bytes.subarray(0, split), bytes.subarray(split)]),
      dir,
      'split.log',
      new Redactor(),
      10
    )
    expect(await readFile(saved.file, 'utf8')).toBe('Déploiement terminé\n')
    expect(saved.tail).toEqual(['Déploiement terminé'])
    expect(saved.cut).toBeUndefined()
  })

  it('stops a log that never ends when its signal aborts, keeping what came and saying why', async () => {
    const dir = await tempDir('ed-log-')
    let line = 0
    const endless = new Readable({
      read() {
        setTimeout(() => this.push(`line ${++line}\n`), 20)
      }
    })
    const started = Date.now()
    const saved = await saveRemoteLog(
      endless,
      dir,
      'endless.log',
      new Redactor(),
      5,
      AbortSignal.timeout(300)
    )
    expect(Date.now() - started).toBeLessThan(2000)
    expect(saved.cut).toBe('the time for it ran out')
    const text = await readFile(saved.file, 'utf8')
    expect(text).toMatch(/^line 1\nline 2\n/)
    expect(text).toContain('[enterprise-deploy] the log download stopped here: the time for it ran out')
    expect(endless.destroyed).toBe(true)
  })

  it('keeps what came before the connection broke', async () => {
    const dir = await tempDir('ed-log-')
    const broken = new Readable({ read() {} })
    broken.push('first line\n')
    setTimeout(() => broken.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 50)
    const saved = await saveRemoteLog(broken, dir, 'broken.log', new Redactor(), 5)
    expect(saved.cut).toBe('the connection broke (ECONNRESET)')
    expect(saved.tail[0]).toBe('first line')
  })
})

function environment(tempDir: string, overrides: Partial<EngineEnvironment> = {}): EngineEnvironment {
  const redactor = new Redactor()
  redactor.add(EDGE_TOKEN)
  return {
    clock: systemClock,
    signal: new AbortController().signal,
    redactor,
    settings: {
      failOnError: true,
      logLines: 5,
      summary: false,
      maxParallel: 1,
      githubDeployment: false,
      workspace: tempDir,
      tempDir
    },
    log: { info: () => undefined, warning: () => undefined },
    onAccepted: () => undefined,
    http: { retry: { attempts: 1 } },
    saveLog: logSinkUnder(tempDir, redactor, 5),
    windDown: { afterTimeoutMs: 1000, afterSignalMs: 1000 },
    ...overrides
  }
}

function epmware(server: EdgeServer, timeoutMs: number) {
  return testDeployment({
    platform: 'epmware',
    operation: 'run',
    baseUrl: server.url,
    target: 'ASOALL',
    credentials: { token: EDGE_TOKEN },
    timeoutMs,
    pollIntervalMs: 100,
    maxPollIntervalMs: 100
  })
}

describe('the wind-down in the engine', () => {
  it('a never-ending log ends within the deadline and the budget, its start kept', async () => {
    const server = await startEdgeServer({
      log: (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' })
        const timer = setInterval(() => response.write(`still deploying ${Date.now()}\n`), 100)
        response.on('close', () => clearInterval(timer))
      }
    })
    servers.push(server)
    const dir = await tempDir('ed-wd-')
    const started = Date.now()
    const result = await executeDeployment(epmware(server, 1000), environment(dir))
    const took = Date.now() - started
    expect(result.status).toBe('succeeded')
    expect(took).toBeLessThan(1000 + 1000 + 1000)
    expect(result.logTail.some(line => line.startsWith('still deploying'))).toBe(true)
    expect(result.logTail.at(-1)).toContain('the log download stopped here')
  })

  it('a status read that hangs at the deadline cannot take the log’s time', async () => {
    let reads = 0
    const server = await startEdgeServer({
      status: (_request, response) => {
        reads++
        if (reads === 1) json(response, { status: 'R', percentCompleted: '50' })
        // Every later read hangs.
      },
      log: (_request, response) => response.end('the log of a job that hung\n')
    })
    servers.push(server)
    const dir = await tempDir('ed-wd-')
    const started = Date.now()
    const result = await executeDeployment(
      { ...epmware(server, 600), pollIntervalMs: 500, maxPollIntervalMs: 500 },
      environment(dir)
    )
    expect(result.status).toBe('timed-out')
    expect(Date.now() - started).toBeLessThan(600 + 1000 + 1000)
    expect(result.logTail).toEqual(['the log of a job that hung'])
    expect(result.message).toBe(
      'Task 77 did not finish within the timeout of 0.6s (last status: running). EPMware’s REST API has no call to cancel a task: task 77 may still be running on the server.'
    )
  })

  it('after a signal: the last read counts a job that ended as ended', async () => {
    const abort = new AbortController()
    let reads = 0
    const server = await startEdgeServer({
      status: (_request, response) => {
        reads++
        if (reads === 2) abort.abort(Object.assign(new Error('cancelled by SIGINT'), { name: 'AbortError' }))
        json(response, reads >= 2 ? { status: 'S', percentCompleted: '100' } : { status: 'R' })
      }
    })
    servers.push(server)
    const dir = await tempDir('ed-wd-')
    const result = await executeDeployment(
      epmware(server, 60_000),
      environment(dir, { signal: abort.signal })
    )
    expect(result.status).toBe('succeeded')
    expect(result.remoteCode).toBe('S')
    expect(reads).toBe(3)
  })

  it('a signal before anything is sent: canceled, nothing sent', async () => {
    const server = await startEdgeServer({})
    servers.push(server)
    const abort = new AbortController()
    abort.abort(new Error('SIGINT'))
    const dir = await tempDir('ed-wd-')
    const result = await executeDeployment(
      epmware(server, 60_000),
      environment(dir, { signal: abort.signal })
    )
    expect(result.status).toBe('canceled')
    expect(result.message).toBe('The workflow run was cancelled before anything was sent to the server')
    expect(server.requests).toEqual([])
  })
})
