/**
 * The promises at the edges (issue 11), through the bundled action as the runner runs it: a job that ends
 * just before the deadline, the log after a timeout, redirects of the trigger, signals at any moment, huge
 * answers, outputs within GitHub's limits, and outputs when the runner's output file is missing.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { runAction, type RunOptions } from '../e2e/run-action.js'
import {
  commandsIn,
  edgeInputs,
  EDGE_TOKEN,
  json,
  startEdgeServer,
  watchPeakRss,
  type EdgeServer
} from './support/edge-server.js'

const READY = /::debug::Enterprise Deploy: stop signals are caught from here on/
const servers: EdgeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function edge(routes: Parameters<typeof startEdgeServer>[0]): Promise<EdgeServer> {
  const server = await startEdgeServer(routes)
  servers.push(server)
  return server
}

const posts = (server: EdgeServer) => server.requests.filter(request => request.method === 'POST').length
const statusReads = (server: EdgeServer) =>
  server.requests.filter(request => request.path.includes('get_status')).length

describe('the deadline', () => {
  it('reads once more at the deadline: a job that ended at 3.4 s of a 4 s timeout succeeded', async () => {
    let endsAt = 0
    const server = await edge({
      run: (_request, response) => {
        endsAt = Date.now() + 3400
        json(response, { status: 'S', taskId: '77' })
      },
      status: (_request, response) =>
        json(
          response,
          Date.now() >= endsAt
            ? { status: 'S', percentCompleted: '100' }
            : { status: 'R', percentCompleted: '80' }
        )
    })
    const run = await runAction(
      edgeInputs(server, { timeout: '4s', 'poll-interval': '3s', 'max-poll-interval': '3s' })
    )
    expect(run.outputs.status).toBe('succeeded')
    expect(run.code).toBe(0)
    // One read at 3 s (still running), then the last read of the wind-down at the deadline.
    expect(statusReads(server)).toBe(2)
    expect(run.stdout).toContain('Task 77 had ended by the deadline')
  })

  it('saves the log after a timeout and shows its tail in the summary', async () => {
    const server = await edge({
      status: (_request, response) => json(response, { status: 'R', percentCompleted: '10' }),
      log: (_request, response) =>
        response.end('step 1 of 3\nstep 2 of 3: Connection to the target timed out\n')
    })
    const run = await runAction(edgeInputs(server, { timeout: '2s' }))
    expect(run.outputs.status).toBe('timed-out')
    expect(run.outputs['log-file']).toMatch(/enterprise-deploy.*77\.log$/)
    expect(Object.values(run.tempFiles).join('\n')).toContain('Connection to the target timed out')
    expect(run.summary).toContain('step 2 of 3: Connection to the target timed out')
    expect(run.outputs.message).toContain(
      'EPMware’s REST API has no call to cancel a task: task 77 may still be running on the server.'
    )
    expect(run.elapsedMs).toBeLessThan(2000 + 10_000 + 3000)
  })
})

describe('a trigger answered with a redirect', () => {
  it.concurrent.each([301, 302, 303, 307, 308])(
    'HTTP %i: exactly one POST, and the step names the Location',
    async status => {
      const server = await edge({
        run: (_request, response) => {
          response.writeHead(status, {
            location: status === 302 ? '/sso/login?next=%2Fservice' : '/elsewhere/run'
          })
          response.end()
        }
      })
      const run = await runAction(edgeInputs(server))
      expect(posts(server)).toBe(1)
      expect(server.requests.filter(request => request.path !== '/service/api/deployment/run')).toEqual([])
      expect(run.outputs.status).toBe('failed')
      expect(run.outputs.message).toContain(`answered HTTP ${status} with Location ${server.url}`)
      if (status === 302) expect(run.stdout).toContain('A login page?')
    }
  )

  it('an http base-url redirected to https says http → https?', async () => {
    const server = await edge({
      run: (request, response) => {
        response.writeHead(301, {
          location: `https://127.0.0.1:${request.socket.localPort}/service/api/deployment/run`
        })
        response.end()
      }
    })
    const run = await runAction(edgeInputs(server))
    expect(posts(server)).toBe(1)
    expect(run.stdout).toContain('http → https?')
  })
})

describe('signals at any moment', () => {
  /** Sends `signal` `delayMs` after the action says its handlers are in place, or when `when` is printed. */
  function interruptAfterReady(signal: NodeJS.Signals, delayMs: number): RunOptions {
    let pid = 0
    let sent = false
    let seen = ''
    return {
      onSpawn: id => (pid = id),
      onStdout: text => {
        seen += text
        if (!sent && READY.test(seen)) {
          sent = true
          setTimeout(() => process.kill(pid, signal), delayMs)
        }
      }
    }
  }

  it.concurrent.each([0, 50, 200])(
    'SIGINT %i ms after start: canceled, every output and the summary',
    async delay => {
      const server = await edge({
        status: (_request, response) => json(response, { status: 'R', percentCompleted: '1' })
      })
      const run = await runAction(edgeInputs(server, { timeout: '1m' }), interruptAfterReady('SIGINT', delay))
      expect(run.signal).toBeNull()
      expect(run.outputs.status).toBe('canceled')
      for (const name of [
        'task-id',
        'message',
        'duration',
        'log-file',
        'details',
        'url',
        'results',
        'remote-status'
      ])
        expect(run.outputs).toHaveProperty(name)
      expect(run.summary).toContain('canceled')
      expect(commandsIn(run.stdout).some(line => /^::error( title=[^:]+)?::/.test(line))).toBe(true)
    }
  )

  it('SIGINT while the trigger is being sent says it may have reached the server', async () => {
    let pid = 0
    const server = await edge({ run: () => process.kill(pid, 'SIGINT') })
    const run = await runAction(edgeInputs(server), { onSpawn: id => (pid = id) })
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs.message).toContain('the server may have received it')
    expect(posts(server)).toBe(1)
    expect(run.summary).toContain('canceled')
  })

  it('SIGHUP mid-poll: canceled, with the log', async () => {
    const server = await edge({
      status: (_request, response) => json(response, { status: 'R', percentCompleted: '5' })
    })
    const run = await runAction(edgeInputs(server, { timeout: '1m' }), {
      interrupt: { signal: 'SIGHUP', when: /Task id: 77/ }
    })
    expect(run.signal).toBeNull()
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs['task-id']).toBe('77')
    expect(run.outputs['log-file']).toMatch(/77\.log$/)
    expect(run.elapsedMs).toBeLessThan(20_000)
  })
})

describe('huge answers', () => {
  it('a 100 MB status body fails once with its size, under 200 MB of memory', async () => {
    let sentBytes = 0
    const server = await edge({
      status: (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(1024 * 1024, 'a')
        let left = 100
        const more = () => {
          while (left > 0) {
            left--
            sentBytes += chunk.length
            if (!response.write(chunk)) return void response.once('drain', more)
          }
          response.end()
        }
        response.on('close', () => (left = 0))
        more()
      }
    })
    let rss = { stop: () => 0 }
    const run = await runAction(edgeInputs(server), { onSpawn: pid => (rss = watchPeakRss(pid)) })
    const peak = rss.stop()
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/more than the 16 MiB this action reads/)
    expect(statusReads(server)).toBe(1)
    expect(sentBytes).toBeLessThan(100 * 1024 * 1024)
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThan(200 * 1024 * 1024)
  })

  it('a 5 MB message gives outputs within GitHub’s limits, the whole text saved beside the log', async () => {
    const big = `${'deploy output '.repeat((5 * 1024 * 1024) / 14)}END`
    const server = await edge({
      status: (_request, response) => json(response, { status: 'E', message: big })
    })
    const run = await runAction(edgeInputs(server))
    expect(run.outputs.status).toBe('failed')
    expect(Buffer.byteLength(run.outputs.message ?? '')).toBeLessThanOrEqual(4 * 1024)
    expect(run.outputs.message).toMatch(
      /\[message cut: 5 MiB in all; the whole text is in .*outputs-uncut\.json\]$/
    )
    expect(Buffer.byteLength(run.outputs.details ?? '')).toBeLessThanOrEqual(256 * 1024)
    expect(Buffer.byteLength(run.outputs.results ?? '')).toBeLessThanOrEqual(256 * 1024)
    expect(() => JSON.parse(run.outputs.details ?? '')).not.toThrow()
    expect(() => JSON.parse(run.outputs.results ?? '')).not.toThrow()
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024)
    const uncut = Object.entries(run.tempFiles).find(([file]) => file.endsWith('outputs-uncut.json'))
    expect(uncut?.[1]).toContain('END')
    expect(commandsIn(run.stdout).every(line => line.length < 64 * 1024)).toBe(true)
  })
})

describe('the runner’s files', () => {
  it('GITHUB_OUTPUT naming a missing file: status still reaches the workflow, in one short line', async () => {
    const server = await edge({})
    const run = await runAction(edgeInputs(server), { env: { GITHUB_OUTPUT: '/nonexistent/github_output' } })
    expect(commandsIn(run.stdout)).toContain('::set-output name=status::succeeded')
    expect(run.stdout).toContain("Could not write the step's outputs to GITHUB_OUTPUT")
    expect(run.stdout.split('\n').every(line => line.length < 10_000)).toBe(true)
    expect(
      run.stdout
        .split('\n')
        .filter(line => !line.startsWith('::add-mask::'))
        .join('\n')
    ).not.toContain(EDGE_TOKEN)
  })
})
