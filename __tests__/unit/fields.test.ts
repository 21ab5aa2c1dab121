import { describe, expect, it } from '@jest/globals'
import { parseFields } from '../../src/inputs/fields.js'
import type { InputName } from '../../src/inputs/schema.js'

describe('parseFields', () => {
  it('parses each named input from its string form', () => {
    expect(
      parseFields(
        { platform: ' EPMware ', timeout: '90s', wait: 'FALSE', 'log-lines': '7', target: ' ASOALL ' },
        ['platform', 'timeout', 'wait', 'log-lines', 'target']
      )
    ).toStrictEqual({
      values: { platform: 'epmware', timeout: 90_000, wait: false, 'log-lines': 7, target: 'ASOALL' },
      problems: []
    })
  })

  it('reads only the names it is given', () => {
    const raw: Partial<Record<InputName, string>> = { wait: 'true', 'log-lines': 'many' }
    expect(parseFields(raw, ['wait'])).toStrictEqual({
      values: { wait: true },
      problems: []
    })
  })

  it('reports every bad value, in the order of the names, each with its input and value', () => {
    const { problems } = parseFields(
      { wait: 'maybe', platform: 'jenkins', timeout: 'soon', 'if-busy': 'await' },
      ['platform', 'timeout', 'wait', 'if-busy']
    )
    expect(problems).toStrictEqual([
      {
        input: 'platform',
        value: 'jenkins',
        problem: 'use one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy'
      },
      {
        input: 'timeout',
        value: 'soon',
        problem: 'use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes'
      },
      { input: 'wait', value: 'maybe', problem: 'use true or false' }
    ])
  })

  it('puts the default in place of a bad value, or nothing when the input has none, so later checks still run', () => {
    const { values } = parseFields(
      { timeout: 'soon', wait: 'maybe', 'max-parallel': '0', 'base-url': 'ftp://host', platform: 'x' },
      ['timeout', 'wait', 'max-parallel', 'base-url', 'platform']
    )
    expect(values).toStrictEqual({
      timeout: 3_600_000,
      wait: true,
      'max-parallel': 4,
      'base-url': undefined,
      platform: undefined
    })
  })

  it('leaves an optional input that is not given undefined, without a problem', () => {
    expect(parseFields({}, ['target', 'platform'])).toStrictEqual({
      values: { target: undefined, platform: undefined },
      problems: []
    })
  })
})
