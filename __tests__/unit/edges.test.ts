import { afterEach, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import path from 'node:path'
import type { Clock } from '../../src/engine/clock.js'
import { redirectRefusal } from '../../src/http/redirect.js'
import { actionsHost } from '../../src/host/actions.js'
import type { Host } from '../../src/host/host.js'
import { run } from '../../src/main.js'
import { cutToBytes, OUTPUT_LIMITS } from '../../src/report/limits.js'
import { outputValues } from '../../src/report/outputs.js'
import { parseOutputFile } from '../../scripts/run-action.js'
import { Redactor } from '../../src/secrets.js'
import { signalLatch } from '../../src/signals.js'
import { EventEmitter } from 'node:events'
import type { DeploymentResult } from '../../src/engine/result.js'
import { testHttpClient } from '../fixtures/http-client.js'
import { startEdgeServer, type EdgeServer } from '../hardening/support/edge-server.js'
import { tempDir } from '../fixtures/temp.js'

const servers: EdgeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

function answer(statusCode: number, location?: string): IncomingMessage {
  return { statusCode, headers: location ? { location } : {} } as IncomingMessage
}

describe('redirectRefusal', () => {
  const scrub = (text: string) => text.replaceAll('s3cret-token', '***')
  it.each([301, 302, 303, 307, 308])('refuses HTTP %i, naming the status and the Location', status => {
    const refusal = redirectRefusal(answer(status, '/next'), 'http://h:1/run', 'POST /run', scrub)
    expect(refusal?.message).toBe(
      `POST /run was answered HTTP ${status} with Location http://h:1/next; a request that starts or changes something is never sent again to another address, so nothing was sent there`
    )
    expect(refusal?.transient).toBe(false)
    expect(refusal?.httpStatus).toBe(status)
  })

  it('is no refusal for an answer that is no redirect, or a redirect without a Location', () => {
    expect(redirectRefusal(answer(200, '/x'), 'http://h/run', 'POST /run', scrub)).toBeUndefined()
    expect(redirectRefusal(answer(304, '/x'), 'http://h/run', 'POST /run', scrub)).toBeUndefined()
    expect(redirectRefusal(answer(302), 'http://h/run', 'POST /run', scrub)).toBeUndefined()
  })

  it('says http → https? for the same host on https, a login page? for a login path, and hides a token', () => {
    expect(redirectRefusal(answer(301, 'https://h/run'), 'http://h/run', 'POST', scrub)?.hint).toMatch(
      /^http → https\?/
    )
    expect(redirectRefusal(answer(302, '/adfs/ls?x=1'), 'http://h/run', 'POST', scrub)?.hint).toMatch(
      /^A login page\?/
    )
    const refusal = redirectRefusal(
      answer(302, 'https://o/s3cret-token/x?token=s3cret-token'),
      'https://h/r',
      'POST',
      scrub
    )
    expect(refusal?.message).toContain('Location https://o/***/x;')
    expect(refusal?.message).not.toContain('s3cret-token')
  })
})

describe('body size cap', () => {
  it('a declared 100 MB answer fails at once, naming its size, and is not read again', async () => {
    let reads = 0
    const server = await startEdgeServer({
      status: (_request, response) => {
        reads++
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(100 * 1024 * 1024)
        })
        response.write('{"status":"')
      }
    })
    servers.push(server)
    const client = testHttpClient(server.url, { kind: 'none' }, { retry: { attempts: 5, baseDelayMs: 1 } })
    await expect(
      client.send({ method: 'GET', path: '/service/api/task/get_status/1' })
    ).rejects.toMatchObject({
      message:
        'GET /service/api/task/get_status/1 answered HTTP 200 with a body of 100 MiB, more than the 16 MiB this action reads',
      transient: false
    })
    expect(reads).toBe(1)
  })
})

describe('output limits', () => {
  const result = (name: string, message: string): DeploymentResult => ({
    name,
    platform: 'epmware',
    operation: 'run',
    status: 'failed',
    message,
    durationSeconds: 1,
    logTail: [],
    warnings: [],
    followUps: []
  })

  it('cuts on a character boundary and leaves room for the marker', () => {
    const cut = cutToBytes('é'.repeat(5000), 4096, () => ' [cut]')
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4096)
    expect(cut).toMatch(/^é+ \[cut\]$/)
    expect(cutToBytes('short', 10, () => '!')).toBe('short')
  })

  it('keeps results valid JSON under 256 KiB for 200 deployments with long messages, with a marker entry', () => {
    const many = Array.from({ length: 200 }, (_, index) => result(`d${index}`, 'x'.repeat(10_000)))
    const { values, cut } = outputValues(many, new Redactor(), 5, '/tmp/uncut.json')
    expect(cut).toBe(true)
    expect(Buffer.byteLength(values.results)).toBeLessThanOrEqual(OUTPUT_LIMITS.results)
    const parsed = JSON.parse(values.results) as { name: string; message: string }[]
    expect(parsed.at(-1)?.name).toBe('…')
    expect(parsed.at(-1)?.message).toMatch(
      /^\d+ more deployments … \[results cut: .* in all; the whole text is in \/tmp\/uncut\.json\]$/
    )
    expect(Buffer.byteLength(values.message)).toBeLessThanOrEqual(OUTPUT_LIMITS.message)
  })
})

/** The runner's host, but the masks it would print (`::add-mask::<secret>`) kept out of the test output. */
function quietHost(): Host & { masks: string[] } {
  const masks: string[] = []
  return { ...actionsHost(), mask: form => void masks.push(form), masks }
}

describe('the safety net', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
    process.exitCode = undefined
  })

  it('an error thrown inside the engine still writes status, every output and the summary', async () => {
    const dir = await tempDir('ed-net-')
    const outputs = path.join(dir, 'out')
    const summary = path.join(dir, 'summary')
    await writeFile(outputs, '')
    await writeFile(summary, '')
    Object.assign(process.env, {
      INPUT_PLATFORM: 'epmware',
      'INPUT_BASE-URL': 'http://127.0.0.1:9',
      INPUT_TARGET: 'ASOALL',
      INPUT_TOKEN: 'net-token-123456',
      GITHUB_OUTPUT: outputs,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: dir,
      GITHUB_WORKSPACE: dir
    })
    let calls = 0
    const brokenClock: Clock = {
      now: () => {
        if (++calls > 1) throw new Error('the clock broke\n    at a very long stack')
        return 0
      },
      sleep: () => Promise.resolve()
    }
    const host = quietHost()
    await run({
      host,
      clock: brokenClock,
      signals: signalLatch(new EventEmitter() as unknown as NodeJS.Process)
    })
    expect(host.masks).toContain('net-token-123456')
    const written = parseOutputFile(await readFile(outputs, 'utf8'))
    expect(written.status).toBe('failed')
    expect(written.message).toBe('The action stopped on an unexpected error: the clock broke')
    for (const name of ['task-id', 'duration', 'log-file', 'details', 'url', 'results', 'remote-status'])
      expect(written).toHaveProperty(name)
    expect(await readFile(summary, 'utf8')).toContain('the action stopped unexpectedly')
    expect(process.exitCode).toBe(1)
  })

  it('a signal from the latch cancels a run whose inputs were read, before anything is sent', async () => {
    const dir = await tempDir('ed-net-')
    const outputs = path.join(dir, 'out')
    await writeFile(outputs, '')
    const server = await startEdgeServer({})
    servers.push(server)
    Object.assign(process.env, {
      INPUT_PLATFORM: 'epmware',
      'INPUT_BASE-URL': server.url,
      INPUT_TARGET: 'ASOALL',
      INPUT_TOKEN: 'net-token-123456',
      INPUT_SUMMARY: 'false',
      GITHUB_OUTPUT: outputs,
      RUNNER_TEMP: dir,
      GITHUB_WORKSPACE: dir
    })
    const emitter = new EventEmitter()
    const signals = signalLatch(emitter as unknown as NodeJS.Process)
    emitter.emit('SIGHUP')
    const host = quietHost()
    await run({ host, signals })
    expect(host.masks).toContain('net-token-123456')
    const written = parseOutputFile(await readFile(outputs, 'utf8'))
    expect(written.status).toBe('canceled')
    expect(written.message).toBe('The workflow run was cancelled before anything was sent to the server')
    expect(server.requests).toEqual([])
  })
})
