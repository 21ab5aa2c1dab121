import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { VirtualClock } from '../../src/engine/clock.js'
import { executeDeployment, type EngineEnvironment } from '../../src/engine/execute.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testEngineEnvironment } from '../fixtures/engine.js'
import { startBmcRpmSimulator, type BmcRpmSimulator } from '../../simulator/index.js'

// The engine and the driver in virtual time, over loopback to the simulator, which reads the same clock.
const START = Date.UTC(2026, 4, 1, 8, 0, 0)
const HOUR = 3_600_000
const TOKEN = 'unit-token-5b1e9d'
let clock: VirtualClock
let sim: BmcRpmSimulator
let lines: string[]

beforeAll(async () => {
  sim = await startBmcRpmSimulator({ token: TOKEN, now: () => clock.now() })
})
afterAll(() => sim.close())
beforeEach(() => {
  clock = new VirtualClock(START)
  sim.requests.length = 0
  sim.filters = true
  lines = []
})

function environment(): EngineEnvironment {
  return testEngineEnvironment(clock, lines, { secrets: [TOKEN] })
}

function deployment(target: string, overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({
    platform: 'bmc-rpm',
    baseUrl: sim.url,
    operation: 'wait-for-window',
    target,
    parameters: {},
    credentials: { token: TOKEN },
    timeoutMs: 4 * HOUR,
    ...overrides
  })
}

const gets = () => sim.requests.filter(request => request.method === 'GET')

describe('wait-for-window in virtual time', () => {
  it('sleeps toward a window two hours away with a handful of reads, and succeeds as it opens', async () => {
    sim.setEvent('40', { startAt: START + 2 * HOUR, finishAt: START + 3 * HOUR })
    const result = await executeDeployment(deployment('40'), environment())
    expect(result.status).toBe('succeeded')
    expect(result.taskId).toBe('40')
    expect(clock.now()).toBe(START + 2 * HOUR)
    expect(result.message).toMatch(/is open: the allow window runs from 2026-05-01T06:00:00-04:00/)
    expect(gets().length).toBeLessThanOrEqual(20)
    // The first read asks for everything; later reads only for the event, its series being known.
    expect(gets()[0]?.query['filters[alone]']).toBeUndefined()
    expect(
      gets()
        .slice(1)
        .every(request => request.query['filters[alone]'] === 'true')
    ).toBe(true)
    expect(gets().every(request => request.query.token === TOKEN)).toBe(true)
  })

  it('works the same on an RPM before 5.0.03.004, which ignores the filters', async () => {
    sim.filters = false
    sim.setEvent('41', { startAt: START + HOUR, finishAt: START + 2 * HOUR, behavior: 'prevent' })
    clock.advance(HOUR + 10 * 60_000)
    const result = await executeDeployment(deployment('41'), environment())
    expect(result.status).toBe('succeeded')
    expect(clock.now()).toBe(START + 2 * HOUR)
    expect(result.message).toMatch(/allows deployment: the prevent window ran .* and has ended/)
  })

  it('reads a suspended event every max-poll-interval and times out when nobody resumes it', async () => {
    sim.setEvent('42', {
      startAt: START - HOUR,
      finishAt: START + 5 * HOUR,
      state: 'suspended',
      reason: 'freeze'
    })
    const result = await executeDeployment(deployment('42', { timeoutMs: 10 * 60_000 }), environment())
    expect(result.status).toBe('timed-out')
    expect(result.message).toMatch(/last status: suspended/)
    expect(result.message).toMatch(/a deployment window is not a job/)
    expect(result.message).not.toMatch(/may still be running|keeps running/)
    expect(gets().length).toBeGreaterThanOrEqual(15)
    expect(gets().length).toBeLessThanOrEqual(25)
  })

  it('succeeds once someone resumes a suspended event', async () => {
    sim.setEvent('43', {
      startAt: START - HOUR,
      finishAt: START + 5 * HOUR,
      state: 'suspended',
      reason: 'freeze'
    })
    const run = executeDeployment(deployment('43'), environment())
    // Resumed in simulated time: the event is resumed after the fifth read.
    const resumeAfter = setInterval(() => {
      if (gets().length >= 5) {
        const event = sim.events.get('43')
        if (event) event.state = 'resumed'
        clearInterval(resumeAfter)
      }
    }, 1)
    const result = await run
    clearInterval(resumeAfter)
    expect(result.status).toBe('succeeded')
    expect(result.remoteCode).toBe('resumed')
  })

  it('fails at once for a window that has passed', async () => {
    sim.setEvent('44', { startAt: START - 3 * HOUR, finishAt: START - HOUR })
    const result = await executeDeployment(deployment('44'), environment())
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/has passed/)
    expect(gets()).toHaveLength(1)
  })

  it('watches the window again with operation: await', async () => {
    sim.setEvent('45', { startAt: START + 10 * 60_000, finishAt: START + HOUR })
    const result = await executeDeployment(
      deployment('45', { operation: 'await', target: undefined, taskId: '45' }),
      environment()
    )
    expect(result.status).toBe('succeeded')
    expect(clock.now()).toBe(START + 10 * 60_000)
    expect(gets()[0]?.query['filters[alone]']).toBeUndefined()
  })
})

describe('move, in virtual time', () => {
  const move = (start: string, finish: string) =>
    deployment('50', {
      operation: 'move',
      parameters: { reason: 'Later', start_at: start, finish_at: finish }
    })

  it('refuses, before sending, a start in the past and a move of a window in progress', async () => {
    sim.setEvent('50', { startAt: START - HOUR, finishAt: START + HOUR })
    const result = await executeDeployment(
      move('2026-05-01T05:00:00Z', '2026-05-01T10:00:00Z'),
      environment()
    )
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/cannot be moved: its window is in progress .* so its start cannot change/)
    expect(sim.requests.filter(request => request.method === 'PUT')).toHaveLength(0)
  })

  it('extends a window in progress, keeping its start', async () => {
    sim.setEvent('50', { startAt: START - HOUR, finishAt: START + HOUR, utcOffsetMinutes: 0 })
    const result = await executeDeployment(
      move('2026-05-01T07:00:00Z', '2026-05-01T10:00:00Z'),
      environment()
    )
    expect(result.status).toBe('succeeded')
    expect(result.message).toBe(
      'Deployment window event 50 moved to 2026-05-01T07:00:00Z until 2026-05-01T10:00:00Z (reason: Later)'
    )
  })
})
