import { describe, expect, it } from '@jest/globals'
import { follow, leastRequests, SHAPES } from '../../scripts/bench-polling.js'

/** The floor the bench prints beside a polling row that misses its target (scripts/bench-polling.ts). */
const linear = SHAPES.linear?.shape as (t: number, d: number) => number

describe('leastRequests', () => {
  it('counts the age-rule reads until the percent moves, then max-poll-interval steps to the end', () => {
    // 10 min: reads at 2, 4 and 6 s (1 % is reached at 6 s), then 20 steps of 30 s to reach 600 s
    expect(leastRequests(600_000, linear, 0)).toBe(23)
    // 615 s: 1 % only at 6.15 s, so a fourth read at 8 s, then 21 steps; read halfway through a 300 ms
    // request, the 6 s read already sees 1 %
    expect(leastRequests(615_000, linear, 0)).toBe(25)
    expect(leastRequests(615_000, linear, 300)).toBe(24)
    // a job that ends before its percent moves is seen by the age rule's read
    expect(leastRequests(3_000, () => 0, 0)).toBe(2)
  })

  it('is never beaten by the engine, at either latency, for any shape the bench runs', async () => {
    for (const latencyMs of [0, 300])
      for (const { shape } of Object.values(SHAPES))
        for (const duration of [10_000, 60_000, 600_000, 615_000]) {
          const engine = await follow('engine', duration, shape, latencyMs)
          expect(engine.requests).toBeGreaterThanOrEqual(leastRequests(duration, shape, latencyMs))
        }
  })

  it('is what the engine makes for a linear 10-minute job: the engine is at the floor there', async () => {
    for (const latencyMs of [0, 300])
      for (const duration of [600_000, 607_500, 615_000, 622_500]) {
        const engine = await follow('engine', duration, linear, latencyMs)
        expect(engine.requests).toBe(leastRequests(duration, linear, latencyMs))
      }
  })
})
