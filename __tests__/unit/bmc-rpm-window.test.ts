import { describe, expect, it } from '@jest/globals'
import {
  decideWindow,
  LONGEST_SLEEP_MS,
  nextReadDelay,
  type WindowFacts
} from '../../src/drivers/bmc-rpm/window.js'
import { parseRpmTime, type RpmTime } from '../../src/drivers/bmc-rpm/time.js'
import { VirtualClock } from '../../src/engine/clock.js'
import { pollUntilDone } from '../../src/engine/poll.js'
import type { RemoteStatus } from '../../src/drivers/driver.js'

const time = (text: string): RpmTime => {
  const parsed = parseRpmTime(text)
  if (!parsed) throw new Error(`bad time ${text}`)
  return parsed
}
const at = (text: string) => time(text).ms

// The page's sample event: 08:00 to 10:30 at -04:00, i.e. 12:00 to 14:30 UTC.
function window(overrides: Partial<WindowFacts> = {}): WindowFacts {
  return {
    id: '12',
    state: 'created',
    start: time('2014-04-24T08:00:00-04:00'),
    finish: time('2014-04-24T10:30:00-04:00'),
    behavior: 'allow',
    ...overrides
  }
}

describe('parseRpmTime', () => {
  it('reads ISO 8601 with an offset, Z or UTC, with T or a space', () => {
    expect(at('2014-04-24T08:00:00-04:00')).toBe(Date.UTC(2014, 3, 24, 12, 0, 0))
    expect(at('2014-04-24T12:00:00Z')).toBe(Date.UTC(2014, 3, 24, 12, 0, 0))
    expect(at('2014-04-24 17:30 +0530')).toBe(Date.UTC(2014, 3, 24, 12, 0, 0))
    expect(at('2014-04-24 12:00:00 UTC')).toBe(Date.UTC(2014, 3, 24, 12, 0, 0))
    expect(at('2014-04-24T12:00:00.250Z')).toBe(Date.UTC(2014, 3, 24, 12, 0, 0, 250))
    expect(time('2014-04-24T08:00:00-04:00').text).toBe('2014-04-24T08:00:00-04:00')
  })

  it('refuses a time without an offset, and impossible dates', () => {
    expect(parseRpmTime('2014-04-24T08:00:00')).toBeUndefined()
    expect(parseRpmTime('11th Apr 2014 05:00')).toBeUndefined()
    expect(parseRpmTime('2014-02-30T08:00:00Z')).toBeUndefined()
    expect(parseRpmTime('2014-04-24T25:00:00Z')).toBeUndefined()
  })
})

describe('decideWindow: allow', () => {
  it('is open from start_at (inclusive) until finish_at (exclusive), whatever the time zones', () => {
    const facts = window()
    expect(decideWindow(facts, at('2014-04-24T11:59:59Z')).verdict.open).toBe(false)
    expect(decideWindow(facts, at('2014-04-24T12:00:00Z')).verdict.open).toBe(true)
    // 10:00 in Paris (+02:00) is 08:00 UTC: before the window, though 10:00 reads "inside" 08:00–10:30.
    expect(decideWindow(facts, at('2014-04-24T10:00:00+02:00')).verdict.open).toBe(false)
    expect(decideWindow(facts, at('2014-04-24T18:00:00+08:00')).verdict.open).toBe(false)
    expect(decideWindow(facts, at('2014-04-24T14:29:59Z')).verdict.open).toBe(true)
    expect(decideWindow(facts, at('2014-04-24T14:30:00Z')).verdict.open).toBe(false)
  })

  it('says when a window that is not open yet opens, with the time as RPM gave it', () => {
    const decision = decideWindow(window(), at('2014-04-24T10:00:00Z'))
    expect(decision.verdict).toEqual({ open: false, opensAt: time('2014-04-24T08:00:00-04:00') })
    expect(decision.message).toMatch(
      /is not open yet: the allow window opens at 2014-04-24T08:00:00-04:00 \(in 2h\)/
    )
  })

  it('says an open window closes when', () => {
    const decision = decideWindow(window(), at('2014-04-24T13:00:00Z'))
    expect(decision.verdict).toEqual({ open: true, closesAt: time('2014-04-24T10:30:00-04:00') })
    expect(decision.message).toMatch(/is open: .*\(closes in 1h30m\)/)
  })

  it('says a finished window has passed and will not open again', () => {
    const decision = decideWindow(window(), at('2014-04-24T15:00:00Z'))
    expect(decision.verdict).toEqual({ open: false, passed: true })
    expect(decision.message).toMatch(/has passed: .*ended 30m ago.*will not open again/)
  })

  it('keeps a suspended window closed, even inside its times, and gives the reason', () => {
    const decision = decideWindow(
      window({ state: 'suspended', reason: 'Change freeze' }),
      at('2014-04-24T13:00:00Z')
    )
    expect(decision.verdict).toEqual({ open: false, suspended: true })
    expect(decision.message).toMatch(
      /is suspended \(reason: Change freeze\): no deployment until it is resumed/
    )
  })

  it('treats resumed and moved events like created ones', () => {
    for (const state of ['resumed', 'moved'])
      expect(decideWindow(window({ state }), at('2014-04-24T13:00:00Z')).verdict.open).toBe(true)
  })
})

describe('decideWindow: prevent (a window that forbids deployment)', () => {
  const prevent = (overrides: Partial<WindowFacts> = {}) => window({ behavior: 'prevent', ...overrides })

  it('forbids deployment inside, and says when it is allowed again', () => {
    const decision = decideWindow(prevent(), at('2014-04-24T13:00:00Z'))
    expect(decision.verdict).toEqual({ open: false, opensAt: time('2014-04-24T10:30:00-04:00') })
    expect(decision.message).toMatch(
      /forbids deployment now: .*allowed again at 2014-04-24T10:30:00-04:00 \(in 1h30m\)/
    )
  })

  it('allows deployment before (until it starts) and after it', () => {
    const before = decideWindow(prevent(), at('2014-04-24T11:00:00Z'))
    expect(before.verdict).toEqual({ open: true, closesAt: time('2014-04-24T08:00:00-04:00') })
    expect(before.message).toMatch(/allows deployment: the prevent window starts at .* \(in 1h\)/)
    expect(decideWindow(prevent(), at('2014-04-24T14:30:00Z')).verdict.open).toBe(true)
  })

  it('allows deployment inside a suspended prevent window', () => {
    const decision = decideWindow(
      prevent({ state: 'suspended', reason: 'hotfix' }),
      at('2014-04-24T13:00:00Z')
    )
    expect(decision.verdict.open).toBe(true)
    expect(decision.message).toMatch(/prevent window .* is suspended \(reason: hotfix\)/)
  })
})

describe('nextReadDelay', () => {
  const opensAt = (ms: number) => ({ open: false as const, opensAt: { text: 'x', ms } })

  it('sleeps half the time left, within bounds, then exactly to the opening', () => {
    expect(nextReadDelay(opensAt(10 * 60_000), 0, 2000, 30_000)).toBe(5 * 60_000)
    expect(nextReadDelay(opensAt(5 * 3_600_000), 0, 2000, 30_000)).toBe(LONGEST_SLEEP_MS)
    expect(nextReadDelay(opensAt(3000), 0, 2000, 30_000)).toBe(2000)
    expect(nextReadDelay(opensAt(1500), 0, 2000, 30_000)).toBe(1500)
  })

  it('re-reads a suspended event every max-poll-interval', () => {
    expect(nextReadDelay({ open: false, suspended: true }, 0, 2000, 30_000)).toBe(30_000)
  })

  it('takes a handful of reads for a window two hours away, and notices it opening on time', async () => {
    const clock = new VirtualClock(at('2014-04-24T10:00:00Z'))
    const facts = window()
    const readsAt: number[] = []
    const read = async (): Promise<RemoteStatus> => {
      readsAt.push(clock.now())
      const { verdict } = decideWindow(facts, clock.now())
      return {
        state: verdict.open ? 'succeeded' : 'running',
        code: 'created',
        nextReadInMs: verdict.open ? undefined : nextReadDelay(verdict, clock.now(), 2000, 30_000)
      }
    }
    const result = await pollUntilDone({
      clock,
      signal: new AbortController().signal,
      deadline: clock.now() + 3 * 3_600_000,
      startedAt: clock.now(),
      minIntervalMs: 2000,
      maxIntervalMs: 30_000,
      read,
      onStatus: () => undefined,
      onTransientError: () => undefined
    })
    expect(result.kind).toBe('ended')
    expect(clock.now()).toBe(facts.start.ms)
    // A read every 30 s would be 240 reads.
    expect(readsAt.length).toBeLessThanOrEqual(20)
    const gaps = readsAt.slice(1).map((time, index) => time - (readsAt[index] ?? 0))
    expect(Math.max(...gaps)).toBe(LONGEST_SLEEP_MS)
  })
})
