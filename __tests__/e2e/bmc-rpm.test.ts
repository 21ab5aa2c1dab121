import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startBmcRpmSimulator, type BmcRpmEventSpec, type BmcRpmSimulator } from '../../simulator/index.js'
import { runAction, type ActionRun, everythingWritten } from './run-action.js'

const TOKEN = 'e2e-rpm-token-8c41f07a2b'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
let sim: BmcRpmSimulator
/** Every run of this file, searched for the token at the end. */
const runs: ActionRun[] = []
/** Every token value the simulator received, in the query. */
const tokensSent = new Set<string | undefined>()

beforeAll(async () => {
  sim = await startBmcRpmSimulator({ token: TOKEN })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.requests.length = 0
  sim.faults.length = 0
  sim.format = 'asked'
  sim.filters = true
})

/** An event whose times are relative to now, in whole seconds as RPM renders them. */
function event(id: string, fromMs: number, toMs: number, extra: Partial<BmcRpmEventSpec> = {}): string {
  const now = Math.ceil(Date.now() / 1000) * 1000
  sim.setEvent(id, { startAt: now + fromMs, finishAt: now + toMs, ...extra })
  return id
}

async function rpm(target: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  const run = await runAction({
    platform: 'bmc-rpm',
    'base-url': `${sim.url}/`,
    token: TOKEN,
    target,
    'poll-interval': '100ms',
    'max-poll-interval': '300ms',
    timeout: '20s',
    ...extra
  })
  runs.push(run)
  for (const request of sim.requests) tokensSent.add(request.query.token)
  return run
}

const puts = () => sim.requests.filter(request => request.method === 'PUT')
const gets = () => sim.requests.filter(request => request.method === 'GET')
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')

describe('BMC RPM check-window end to end', () => {
  it('succeeds inside an allow window and reports the event', async () => {
    event('12', -10 * MINUTE, 2 * HOUR)
    const run = await rpm('12')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe('12')
    expect(run.outputs.message).toMatch(
      /^Deployment window event 12 \(series 'Allow DW Test series', allow, environment 'QA environment closed'\) is open: the allow window runs from \S+-04:00 until \S+-04:00 \(closes in (1h59m\d+s|2h(\d+s)?)\)$/
    )
    expect(JSON.parse(run.outputs.details ?? '')).toMatchObject({
      id: 12,
      state: 'created',
      series: { behavior: 'allow', name: 'Allow DW Test series' },
      environment: { name: 'QA environment closed' }
    })
    expect(run.summary).toContain('## ✅ Succeeded · BMC Release Process Management check-window 12')
    expect(gets()).toHaveLength(1)
    expect(gets()[0]?.path).toBe('/v1/deployment_window/events/12')
    expect(gets()[0]?.headers.accept).toBe('application/json')
    expect(gets()[0]?.query.token).toBe(TOKEN)
  })

  it.each([
    [
      'not open yet',
      () => event('20', 2 * HOUR, 3 * HOUR),
      /is not open yet: the allow window opens at \S+ \(in (1h59m\d+s|2h(\d+s)?)\)/
    ],
    [
      'passed',
      () => event('21', -3 * HOUR, -HOUR),
      /has passed: .*ended (59m\d+s|1h(\d+s)?) ago\); it will not open again/
    ],
    [
      'suspended',
      () => event('22', -10 * MINUTE, HOUR, { state: 'suspended', reason: 'Change freeze' }),
      /is suspended \(reason: Change freeze\): no deployment until it is resumed/
    ],
    [
      'inside a prevent window',
      () => event('23', -10 * MINUTE, 50 * MINUTE, { behavior: 'prevent' }),
      /\(series 'Prevent DW Test series', prevent, .*\) forbids deployment now: .*deployment is allowed again at \S+ \(in (49m\d+s|50m(\d+s)?)\)/
    ]
  ])('fails when the window is %s, saying why and when', async (_what, setUp, message) => {
    const run = await rpm(setUp())
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(run.stdout).toMatch(/::error title=\d+::Deployment window event \d+/)
    expect(run.summary).toContain('## ❌ Failed · BMC Release Process Management')
  })

  it.each([
    [
      'before a prevent window',
      () => event('24', HOUR, 2 * HOUR, { behavior: 'prevent' }),
      /prevent window starts at/
    ],
    ['after a prevent window', () => event('25', -2 * HOUR, -HOUR, { behavior: 'prevent' }), /has ended/],
    [
      'inside a suspended prevent window',
      () => event('26', -HOUR, HOUR, { behavior: 'prevent', state: 'suspended', reason: 'hotfix' }),
      /is suspended \(reason: hotfix\)/
    ]
  ])('succeeds %s', async (_what, setUp, message) => {
    const run = await rpm(setUp())
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(message)
  })

  it('reads XML answers the same', async () => {
    sim.format = 'xml'
    event('27', -10 * MINUTE, HOUR, { reason: null })
    const run = await rpm('27')
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(/Deployment window event 27 \(series 'Allow DW Test series', allow/)
    expect(JSON.parse(run.outputs.details ?? '')).toMatchObject({
      id: 27,
      reason: null,
      occurrence: { position: 10 }
    })
  })

  it('ends the step on a bad token (403 in XML), without showing any token', async () => {
    event('12', -10 * MINUTE, HOUR)
    const run = await rpm('12', { token: 'wrong-token-4711' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toBe(
      'RPM refused the token for GET /v1/deployment_window/events/12: HTTP 403: Invalid API Key'
    )
    expect(run.stdout).toMatch(/Hint: Check the token input/)
    expect(everythingWritten(run)).not.toContain('wrong-token-4711')
    expect(gets()).toHaveLength(1)
  })

  it('ends the step on an unknown event (404 without a body)', async () => {
    const run = await rpm('9999')
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toBe(
      'RPM has no deployment window event 9999 (GET /v1/deployment_window/events/9999 answered HTTP 404)'
    )
    expect(run.summary).toMatch(/not of its series/)
  })
})

describe('BMC RPM wait-for-window end to end', () => {
  it('waits for a window opening a few seconds into the run, without reading every poll-interval', async () => {
    const id = event('30', 3000, HOUR)
    const run = await rpm(id, { operation: 'wait-for-window' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe('30')
    expect(run.stdout).toMatch(/Waiting for the window: .*is not open yet: the allow window opens at/)
    expect(run.stdout).toMatch(/open for deployment \(created\)/)
    const startAt = sim.events.get(id)?.startAt ?? 0
    expect(gets()[0]?.at).toBeLessThan(startAt)
    expect(gets().at(-1)?.at).toBeGreaterThanOrEqual(startAt)
    // Every 100 ms (poll-interval) would be about 25 reads; sleeping toward start_at takes far fewer.
    expect(gets().length).toBeLessThanOrEqual(12)
    expect(
      gets()
        .slice(1)
        .every(request => request.query['filters[alone]'] === 'true')
    ).toBe(true)
  })

  it('fails at once for a window that has passed', async () => {
    const run = await rpm(event('31', -2 * HOUR, -HOUR), { operation: 'wait-for-window' })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/has passed/)
    expect(gets()).toHaveLength(1)
  })

  it('ends at once, timed-out, for a window opening after the timeout, saying when it opens', async () => {
    const began = Date.now()
    const run = await rpm(event('32', HOUR, 2 * HOUR), { operation: 'wait-for-window', timeout: '30s' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('timed-out')
    expect(run.outputs['task-id']).toBe('32')
    expect(run.outputs.message).toMatch(
      /Deployment window event 32 .* is not open yet: the allow window opens at \S+ \(in (1h|1h1s|59m\d+s)\)/
    )
    expect(run.outputs.message).toMatch(
      /That is after this step's deadline \(.*, timeout 30s\): not waiting for it/
    )
    expect(run.outputs.message).not.toMatch(/Task 32/)
    // It did not wait the 30 s out: one read, then the end.
    expect(Date.now() - began).toBeLessThan(20_000)
    expect(gets()).toHaveLength(1)
  })
})

describe('BMC RPM by environment end to end', () => {
  it('finds the environment’s event open now among its series’ events; task-id is that event', async () => {
    const env = { id: 77, name: 'Production EU' }
    event('70', -3 * HOUR, -2 * HOUR, { seriesId: 70, seriesName: 'EU release train', environment: env })
    event('71', -10 * MINUTE, HOUR, { seriesId: 70, seriesName: 'EU release train', environment: env })
    event('72', 23 * HOUR, 25 * HOUR, { seriesId: 70, seriesName: 'EU release train', environment: env })
    const run = await rpm('Production EU')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe('71')
    expect(run.outputs.message).toMatch(
      /Deployment window event 71 \(series 'EU release train', allow, environment 'Production EU'\) is open/
    )
    expect(run.stdout).toMatch(
      /Deployment window event 71 is the one of environment 'Production EU', series 'EU release train' open now or next/
    )
    expect(gets().map(request => request.path)).toEqual([
      '/v1/environments',
      '/v1/deployment_window/series',
      '/v1/deployment_window/events/71'
    ])
  })

  it('refuses an environment in several series, listing them; parameters.series picks one', async () => {
    const env = { id: 78, name: 'Production US' }
    event('73', -10 * MINUTE, HOUR, { seriesId: 73, seriesName: 'US weekly', environment: env })
    event('74', 2 * HOUR, 3 * HOUR, { seriesId: 74, seriesName: 'US hotfix', environment: env })
    const ambiguous = await rpm('Production US')
    expect(ambiguous.code).toBe(1)
    expect(ambiguous.outputs.message).toMatch(
      /is in 2 deployment window series, so which window counts is ambiguous: .*'US weekly' \(id 73, allow\).*'US hotfix' \(id 74, allow\)/
    )
    const next = await rpm('', {
      target: '',
      parameters: 'environment: Production US\nseries: US hotfix'
    })
    expect(next.code).toBe(1)
    expect(next.outputs.status).toBe('failed')
    expect(next.outputs['task-id']).toBe('74')
    expect(next.outputs.message).toMatch(/is not open yet: the allow window opens at/)
  })
})

describe('BMC RPM suspend, resume, move end to end', () => {
  it('suspends with the reason, then check-window fails, then resumes', async () => {
    event('40', -10 * MINUTE, HOUR)
    const suspended = await rpm('40', { operation: 'suspend', parameters: 'reason: Incident INC-1234' })
    expect(suspended.code).toBe(0)
    expect(suspended.outputs.status).toBe('succeeded')
    expect(suspended.outputs.message).toBe('Deployment window event 40 suspended (reason: Incident INC-1234)')
    expect(puts()).toHaveLength(1)
    expect(puts()[0]?.query.token).toBe(TOKEN)
    expect(JSON.parse(puts()[0]?.body ?? '')).toEqual({
      deployment_window_event: { state: 'suspended', reason: 'Incident INC-1234' }
    })
    expect(sim.events.get('40')?.state).toBe('suspended')

    const checked = await rpm('40')
    expect(checked.outputs.status).toBe('failed')
    expect(checked.outputs.message).toMatch(/is suspended \(reason: Incident INC-1234\)/)

    const resumed = await rpm('40', { operation: 'resume', parameters: '{"reason": "Incident closed"}' })
    expect(resumed.outputs.status).toBe('succeeded')
    expect(resumed.outputs.message).toBe('Deployment window event 40 resumed (reason: Incident closed)')
    expect(sim.events.get('40')?.state).toBe('resumed')
    expect((await rpm('40')).outputs.status).toBe('succeeded')
  })

  it('moves a window to new times', async () => {
    const now = Date.now()
    sim.setEvent('41', {
      startAt: now + HOUR,
      finishAt: now + 2 * HOUR,
      occurrence: { startAt: now, finishAt: now + 6 * HOUR },
      utcOffsetMinutes: 0
    })
    const start = iso(now + 3 * HOUR)
    const finish = iso(now + 4 * HOUR)
    const run = await rpm('41', {
      operation: 'move',
      parameters: `reason: Release slipped\nstart_at: ${start}\nfinish_at: ${finish}`
    })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toBe(
      `Deployment window event 41 moved to ${start} until ${finish} (reason: Release slipped)`
    )
    expect(JSON.parse(puts()[0]?.body ?? '')).toEqual({
      deployment_window_event: {
        state: 'moved',
        reason: 'Release slipped',
        start_at: start,
        finish_at: finish
      }
    })
    expect(sim.events.get('41')).toMatchObject({ state: 'moved', startAt: Date.parse(start) })
  })

  it.each([
    ['suspend without a reason', { operation: 'suspend' }, /reason is required with operation: suspend/],
    ['resume without a reason', { operation: 'resume' }, /reason is required with operation: resume/],
    [
      'move without times',
      { operation: 'move', parameters: 'reason: x' },
      /start_at is required[\s\S]*finish_at is required/
    ],
    [
      'move with finish before start',
      {
        operation: 'move',
        parameters: 'reason: x\nstart_at: 2030-01-01T12:00:00+01:00\nfinish_at: 2030-01-01T11:30:00+01:00'
      },
      /start_at must be before finish_at/
    ],
    [
      'move with a time without its offset',
      {
        operation: 'move',
        parameters: "reason: x\nstart_at: '2030-01-01 12:00'\nfinish_at: 2030-01-01T13:00:00Z"
      },
      /use an ISO 8601 date and time with its offset/
    ]
  ])('refuses %s and sends nothing', async (_what, inputs, message) => {
    event('42', HOUR, 2 * HOUR)
    const run = await rpm('42', inputs)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses to move a suspended event after reading it, without sending the change', async () => {
    event('43', HOUR, 2 * HOUR, { state: 'suspended', reason: 'freeze' })
    const run = await rpm('43', {
      operation: 'move',
      parameters: `reason: x\nstart_at: ${iso(Date.now() + 3 * HOUR)}\nfinish_at: ${iso(Date.now() + 4 * HOUR)}`
    })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/cannot be moved: it is suspended.*resume it first/)
    expect(puts()).toHaveLength(0)
  })

  it.each(['asked', 'xml'] as const)('shows each validation error of a 422 (%s answers)', async format => {
    sim.format = format
    const now = Date.now()
    sim.setEvent('44', {
      startAt: now + HOUR,
      finishAt: now + 2 * HOUR,
      occurrence: { startAt: now + HOUR, finishAt: now + 2 * HOUR }
    })
    const run = await rpm('44', {
      operation: 'move',
      parameters: `reason: x\nstart_at: ${iso(now + 5 * HOUR)}\nfinish_at: ${iso(now + 6 * HOUR)}`
    })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toBe(
      'RPM refused PUT /v1/deployment_window/events/44: HTTP 422, the event did not validate:\n' +
        '  - Occurrence overlap. Please check event start end event finish.'
    )
    expect(run.stdout).toMatch(/Hint: Nothing was changed/)
    expect(puts()).toHaveLength(1)
    expect(sim.events.get('44')?.state).toBe('created')
  })

  it('suspends with XML answers (202)', async () => {
    sim.format = 'xml'
    event('45', HOUR, 2 * HOUR)
    const run = await rpm('45', { operation: 'suspend', parameters: 'reason: xml' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toBe('Deployment window event 45 suspended (reason: xml)')
  })
})

describe('BMC RPM token', () => {
  it('is redacted even where RPM echoes it back', async () => {
    event('50', -MINUTE, HOUR, { state: 'suspended', reason: `pasted ${TOKEN} by mistake` })
    const run = await rpm('50')
    expect(run.outputs.message).toContain('pasted *** by mistake')
  })

  it('appears in no output, summary, log line or file of any run above, and travels only in the query', () => {
    expect(runs.length).toBeGreaterThanOrEqual(20)
    for (const run of runs) expect(everythingWritten(run)).not.toContain(TOKEN)
    expect(runs.filter(run => run.stdout.includes(`::add-mask::${TOKEN}`)).length).toBe(runs.length - 1)
    expect([...tokensSent].sort()).toEqual([TOKEN, 'wrong-token-4711'].sort())
  })
})
