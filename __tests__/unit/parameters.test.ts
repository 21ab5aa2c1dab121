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
    // white space YAML would read as text: a no-break space or an em space pasted from a page
    expect(parseParameters('\u00a0\n\u2003')).toEqual({ value: {}, problems: [] })
  })

  it('names the line and column of a syntax error', () => {
    const { problems } = parseParameters('a: 1\nb: [')
    expect(problems).toHaveLength(1)
    expect(problems[0]?.input).toBe('parameters')
    expect(problems[0]?.location).toBe('line 2, column 5')
    expect(problems[0]?.problem).toMatch(/^is not valid YAML or JSON: /)
  })

  const deep = (levels: number) => `a: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}`

  it.each([65, 500, 3000])(
    'refuses %d levels of nesting as a problem with its place, never a thrown stack overflow',
    levels => {
      const { problems } = parseParameters(deep(levels))
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatchObject({
        input: 'parameters',
        problem: 'is not valid YAML or JSON: nests collections more than 64 levels deep'
      })
      expect(problems[0]?.location).toMatch(/^line 1, column \d+$/)
    }
  )

  it('takes 64 levels', () => {
    expect(parseParameters(deep(64)).problems).toEqual([])
  })

  it('refuses an alias bomb, an alias to nothing and an alias inside itself, where they are', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'
    ].join('\n')
    expect(parseParameters(bomb).problems).toEqual([
      {
        input: 'parameters',
        value: bomb,
        location: 'line 3, column 8',
        problem:
          'is not valid YAML or JSON: its aliases expand to more than 100 copies (a "billion laughs"?); write the values out or share fewer'
      }
    ])
    expect(parseParameters('a: 1\nb: *nowhere').problems[0]).toMatchObject({
      location: 'line 2, column 4',
      problem: expect.stringMatching(/^is not valid YAML or JSON: Unresolved alias .*nowhere/)
    })
    expect(parseParameters('a: &loop [1, *loop]').problems[0]).toMatchObject({
      location: 'line 1, column 14',
      problem: 'is not valid YAML or JSON: alias *loop is inside the node it names, so it never ends'
    })
    expect(parseParameters('a: &x [1]\nb: *x\nc: *x').value).toEqual({ a: [1], b: [1], c: [1] })
  })

  it('refuses a parameters input longer than twice a file an input may name', () => {
    const { problems } = parseParameters(`a: "${'x'.repeat(2 * 1024 * 1024)}"`)
    expect(problems[0]?.problem).toMatch(/^is 2097157 characters long, more than the 2097152 allowed$/)
  })

  it('refuses a list or a scalar', () => {
    expect(parseParameters('- a\n- b').problems[0]?.problem).toMatch(/must be a mapping/)
    expect(parseParameters('just text').problems[0]?.problem).toMatch(/must be a mapping/)
  })

  it('takes a document of nothing (null, ~, a comment, a lone ---) as no parameters', () => {
    for (const text of ['null', '~', '# nothing to set', '---', '\t'])
      expect(parseParameters(text)).toEqual({ value: {}, problems: [] })
  })

  it('refuses a list, a scalar or a block of text as a whole, with the value', () => {
    for (const text of ['- a\n- b', 'just text', '42', '--- |\n  lines\n'])
      expect(parseParameters(text)).toEqual({
        value: {},
        problems: [
          {
            input: 'parameters',
            value: text,
            problem: 'must be a mapping of field names to values, e.g. `rollback: ASOALL_BACKOUT`'
          }
        ]
      })
  })

  it('takes a parameters input of exactly twice the file limit, and refuses one character more with the value', () => {
    const limit = 2 * 1024 * 1024
    const exact = `a: "${'x'.repeat(limit - 5)}"`
    expect(exact).toHaveLength(limit)
    expect(parseParameters(exact).problems).toEqual([])
    const over = `a: "${'x'.repeat(limit - 4)}"`
    expect(parseParameters(over)).toEqual({
      value: {},
      problems: [
        {
          input: 'parameters',
          value: over,
          problem: `is ${limit + 1} characters long, more than the ${limit} allowed`
        }
      ]
    })
  })

  it('gives every YAML problem with its value and place, and no value', () => {
    const text = 'a: 1\na: 2\nb: [1'
    const { value, problems } = parseParameters(text)
    expect(value).toEqual({})
    expect(problems.length).toBeGreaterThanOrEqual(2)
    for (const problem of problems) {
      expect(problem).toEqual({
        input: 'parameters',
        value: text,
        location: expect.stringMatching(/^line \d+, column \d+$/),
        problem: expect.stringMatching(/^is not valid YAML or JSON: \S/)
      })
    }
    expect(problems[0]).toMatchObject({
      location: 'line 2, column 1',
      problem: 'is not valid YAML or JSON: Map keys must be unique'
    })
  })

  it('gives a problem the YAML library places nowhere without a location', () => {
    // YAML 1.1 merge keys: a merge of a scalar fails when the value is built, with no position
    const text = '%YAML 1.1\n---\na: 1\n<<: 5'
    expect(parseParameters(text)).toEqual({
      value: {},
      problems: [
        {
          input: 'parameters',
          value: text,
          problem: 'is not valid YAML or JSON: Merge sources must be maps or map aliases'
        }
      ]
    })
    expect(parseParameters(text).problems[0]).not.toHaveProperty('location', expect.anything())
  })

  it('refuses duplicate keys', () => {
    expect(parseParameters('a: 1\na: 2').problems).toHaveLength(1)
  })
})
