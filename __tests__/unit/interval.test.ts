import { describe, expect, it } from '@jest/globals'
import { nextPollDelay } from '../../src/engine/interval.js'

describe('nextPollDelay', () => {
  it('polls at the shortest interval while the job is young', () => {
    expect(nextPollDelay(0, 2000, 30_000)).toBe(2000)
    expect(nextPollDelay(15_000, 2000, 30_000)).toBe(2000)
  })

  it('grows with the job’s age, 10 % of it', () => {
    expect(nextPollDelay(100_000, 2000, 30_000)).toBe(10_000)
  })

  it('never exceeds the longest interval', () => {
    expect(nextPollDelay(6 * 3_600_000, 2000, 30_000)).toBe(30_000)
  })
})
