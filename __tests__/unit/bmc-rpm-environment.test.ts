import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { VirtualClock } from '../../src/engine/clock.js'
import { executeDeployment, type EngineEnvironment } from '../../src/engine/execute.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testEngineEnvironment } from '../fixtures/engine.js'
import { startBmcRpmSimulator, type BmcRpmSimulator } from '../../simulator/index.js'

// Issue 13: a window by environment, answers checked not trusted, and a deadline the window cannot meet.
const START = Date.UTC(2026, 4, 1, 8, 0, 0)
const HOUR = 3_600_000
const TOKEN = 'unit-token-env-7c2f'
const PROD = { id: 11, name: 'production' }
const QA = { id: 12, name: 'qa' }
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
  sim.events.clear()
  sim.series.clear()
  sim.seriesList = 'embedded'
  sim.updateStatus = 200
  lines = []
})

function environment(): EngineEnvironment {
  return testEngineEnvironment(clock, lines, { secrets: [TOKEN] })
}

function deployment(target: string | undefined, overrides: Partial<Deployment> = {}): Deployment {
  return testDeployment({
    platform: 'bmc-rpm',
    baseUrl: sim.url,
    operation: 'check-window',
    target,
    parameters: {},
    credentials: { token: TOKEN },
    timeoutMs: 4 * HOUR,
    ...overrides
  })
}

/** A weekly allow series for production: last week's event, this one, next week's. */
function weekly(seriesId = 7, name = 'Weekly release', offsetMs = 0) {
  const week = 7 * 24 * HOUR
  const base = seriesId * 10
  for (const [index, at] of [-week, 0, week].entries()) {
    sim.setEvent(String(base + index), {
      startAt: START + at + offsetMs - HOUR,
      finishAt: START + at + offsetMs + HOUR,
      seriesId,
      seriesName: name,
      environment: PROD
    })
  }
}

const paths = () => sim.requests.map(request => request.path)

describe('bmc-rpm by environment', () => {
  it('gates on the event of the environment that is open now; task-id is that event', async () => {
    weekly()
    const result = await executeDeployment(deployment('production'), environment())
    expect(result.status).toBe('succeeded')
    expect(result.taskId).toBe('71')
    expect(result.message).toMatch(
      /Deployment window event 71 \(series 'Weekly release', allow, environment 'production'\) is open/
    )
    expect(paths()).toEqual(
      expect.arrayContaining([
        '/v1/environments',
        '/v1/deployment_window/series',
        '/v1/deployment_window/events/71'
      ])
    )
    const seriesRead = sim.requests.find(request => request.path === '/v1/deployment_window/series')
    expect(seriesRead?.query['filters[environment]']).toBe('11')
    // The event of last week is over: it is not even read.
    expect(paths()).not.toContain('/v1/deployment_window/events/70')
  })

  it('waits for the next event when none is open (parameters.environment), in virtual time', async () => {
    weekly(7, 'Weekly release', 3 * HOUR)
    const result = await executeDeployment(
      deployment(undefined, { operation: 'wait-for-window', parameters: { environment: 'production' } }),
      environment()
    )
    expect(result.status).toBe('succeeded')
    expect(result.taskId).toBe('71')
    expect(clock.now()).toBe(START + 2 * HOUR)
  })

  it('skips the events of the series’ other environments and reads a bare series list through series/{id}', async () => {
    sim.seriesList = 'bare'
    sim.setEvent('80', {
      startAt: START - HOUR,
      finishAt: START + HOUR,
      seriesId: 8,
      seriesName: 'Shared',
      environment: QA
    })
    sim.setEvent('81', {
      startAt: START + HOUR,
      finishAt: START + 2 * HOUR,
      seriesId: 8,
      seriesName: 'Shared',
      environment: PROD
    })
    const result = await executeDeployment(deployment('production'), environment())
    expect(result.taskId).toBe('81')
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/is not open yet: the allow window opens at/)
    expect(paths()).toContain('/v1/deployment_window/series/8')
  })

  it('refuses an environment in several series, listing them, and takes the one named in parameters.series', async () => {
    weekly(7, 'Weekly release')
    weekly(9, 'Hotfix window', 5 * HOUR)
    const ambiguous = await executeDeployment(deployment('production'), environment())
    expect(ambiguous.status).toBe('failed')
    expect(ambiguous.message).toMatch(/is in 2 deployment window series, so which window counts is ambiguous/)
    expect(ambiguous.message).toMatch(/'Weekly release' \(id 7, allow\)/)
    expect(ambiguous.message).toMatch(/'Hotfix window' \(id 9, allow\)/)
    expect(paths()).not.toContain('/v1/deployment_window/events/71')
    const chosen = await executeDeployment(
      deployment('production', { parameters: { series: 'Hotfix window' } }),
      environment()
    )
    expect(chosen.taskId).toBe('91')
    const byId = await executeDeployment(
      deployment('production', { parameters: { series: 7 } }),
      environment()
    )
    expect(byId.taskId).toBe('71')
  })

  it('leaves archived series out and says when an environment is unknown', async () => {
    weekly(7, 'Weekly release')
    weekly(9, 'Old window')
    sim.series.set('9', { archived: true })
    const result = await executeDeployment(deployment('production'), environment())
    expect(result.taskId).toBe('71')
    const unknown = await executeDeployment(deployment('staging'), environment())
    expect(unknown.status).toBe('failed')
    expect(unknown.message).toMatch(/RPM has no environment named 'staging'/)
  })

  it('fails when an allow series has no event open now or ahead for the environment', async () => {
    sim.setEvent('65', {
      startAt: START - 3 * HOUR,
      finishAt: START - HOUR,
      seriesId: 6,
      seriesName: 'Done',
      environment: PROD
    })
    const result = await executeDeployment(
      deployment('production', { operation: 'wait-for-window' }),
      environment()
    )
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(
      /Environment 'production' has no deployment window event open now or ahead in series 'Done' \(allow\)/
    )
    expect(clock.now()).toBe(START)
  })

  it('allows deployment when a prevent series has no event in force or ahead', async () => {
    sim.setEvent('60', {
      startAt: START - 3 * HOUR,
      finishAt: START - HOUR,
      behavior: 'prevent',
      seriesId: 6,
      environment: PROD
    })
    const result = await executeDeployment(deployment('production'), environment())
    expect(result.status).toBe('succeeded')
    expect(result.message).toMatch(
      /No prevent window of environment 'production', series .* is in force now or ahead/
    )
  })
})

describe('bmc-rpm answers checked, not trusted', () => {
  it('refuses an inverted prevent window, naming the event, instead of letting the deployment through', async () => {
    sim.setEvent('30', { startAt: START + HOUR, finishAt: START - HOUR, behavior: 'prevent' })
    const result = await executeDeployment(deployment('30'), environment())
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/deployment window event 30 is malformed: it finishes .* before it starts/)
  })

  it('refuses an inverted event in a series listing too', async () => {
    sim.setEvent('31', { startAt: START + HOUR, finishAt: START - HOUR, seriesId: 3, environment: PROD })
    const result = await executeDeployment(deployment('production'), environment())
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/event 31 is malformed/)
  })

  it('never takes an event in a state it does not know as open', async () => {
    sim.setEvent('32', { startAt: START - HOUR, finishAt: START + HOUR, rawState: 'archived' })
    const result = await executeDeployment(deployment('32'), environment())
    expect(result.status).toBe('failed')
    expect(result.remoteCode).toBe('archived')
    expect(result.message).toMatch(
      /is in state 'archived', which RPM does not document .*: not taken as open/
    )
  })

  it('ends wait-for-window at once, timed-out, when the window opens after the deadline', async () => {
    sim.setEvent('33', { startAt: START + 3 * HOUR, finishAt: START + 4 * HOUR, utcOffsetMinutes: 0 })
    const result = await executeDeployment(
      deployment('33', { operation: 'wait-for-window', timeoutMs: 2 * HOUR }),
      environment()
    )
    expect(result.status).toBe('timed-out')
    expect(clock.now()).toBe(START)
    expect(result.message).toMatch(/opens at 2026-05-01T11:00:00Z/)
    expect(result.message).toMatch(/after this step's deadline \(2026-05-01T10:00:00.000Z, timeout 2h\)/)
    expect(result.message).not.toMatch(/Task 33/)
    expect(sim.requests).toHaveLength(1)
  })

  it('accepts an update answered 200 (RPM source) and 202 (BMC notes)', async () => {
    for (const status of [200, 202] as const) {
      sim.updateStatus = status
      sim.setEvent('34', { startAt: START + HOUR, finishAt: START + 2 * HOUR })
      const result = await executeDeployment(
        deployment('34', { operation: 'suspend', parameters: { reason: 'freeze' } }),
        environment()
      )
      expect(result.status).toBe('succeeded')
      expect(result.remoteCode).toBe('suspended')
    }
  })
})
