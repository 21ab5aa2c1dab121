import { describe, expect, it } from '@jest/globals'
import { parseParameters } from '../../src/inputs/parameters.js'

describe('parseParameters', () => {
  it('reads YAML and JSON mappings', () => {
    expect(parseParameters('rollback: ASOALL_BACKOUT').value).toEqual({ rollback: 'ASOALL_BACKOUT' })
    expect(parseParameters('{"environmentId": 11210, "instanceIds": [1]}').value).toEqual({
      environmentId: 11210,
      instanceIds: [1]
    })
  })

  it('treats an empty input as no parameters', () => {
    expect(parseParameters(undefined)).toEqual({ value: {}, problems: [] })
    expect(parseParameters('  \n')).toEqual({ value: {}, problems: [] })
  })

  it('names the line and column of a syntax error', () => {
    const { problems } = parseParameters('a: 1\nb: [')
    expect(problems).toHaveLength(1)
    expect(problems[0]?.input).toBe('parameters')
    expect(problems[0]?.problem).toMatch(/not valid YAML or JSON at line \d+, column \d+/)
  })

  it('refuses a list or a scalar', () => {
    expect(parseParameters('- a\n- b').problems[0]?.problem).toMatch(/must be a mapping/)
    expect(parseParameters('just text').problems[0]?.problem).toMatch(/must be a mapping/)
  })

  it('refuses duplicate keys', () => {
    expect(parseParameters('a: 1\na: 2').problems).toHaveLength(1)
  })
})
