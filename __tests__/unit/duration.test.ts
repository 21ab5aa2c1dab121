import { describe, expect, it } from '@jest/globals'
import { parseDuration } from '../../src/inputs/duration.js'
import { formatDuration } from '../../src/text/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['45', 2_700_000],
    ['1.5', 90_000],
    ['1500ms', 1500],
    [' 2M ', 120_000],
    // fractions of more than one digit, bare and with each unit
    ['1.25', 75_000],
    ['0.75h', 2_700_000],
    ['2.25m', 135_000],
    ['1.25s', 1250],
    ['2.5ms', 3],
    ['1h30m15s500ms', 5_415_500]
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each([
    '',
    'abc',
    '5x',
    '1h-30m',
    'm30',
    '-5m',
    '1 h',
    '1.',
    '1.m',
    '.5m',
    '1.5.5m',
    '1.x5m',
    'x5m',
    '5mx'
  ])('%p is not a duration', text => expect(parseDuration(text)).toBeUndefined())
})

describe('formatDuration', () => {
  it.each([
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h']
  ])('%d ms prints as %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})
