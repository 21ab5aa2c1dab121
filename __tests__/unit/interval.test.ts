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

  it('rounds to whole milliseconds and meets the bounds exactly at their edges', () => {
    expect(nextPollDelay(20_015, 2000, 30_000)).toBe(2002)
    expect(nextPollDelay(20_014, 2000, 30_000)).toBe(2001)
    expect(nextPollDelay(20_000, 2000, 30_000)).toBe(2000)
    expect(nextPollDelay(300_000, 2000, 30_000)).toBe(30_000)
    expect(nextPollDelay(299_990, 2000, 30_000)).toBe(29_999)
    expect(nextPollDelay(300_010, 2000, 30_000)).toBe(30_000)
  })

  it('never exceeds the longest interval', () => {
    expect(nextPollDelay(6 * 3_600_000, 2000, 30_000)).toBe(30_000)
  })
})
