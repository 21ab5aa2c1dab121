import { describe, expect, it } from '@jest/globals'
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, parseYaml } from '../../src/inputs/yaml.js'

const TOO_DEEP = 'nests collections more than 64 levels deep'
const TOO_MANY_ALIASES =
  'its aliases expand to more than 100 copies (a "billion laughs"?); write the values out or share fewer'

/** `n` flow sequences, one inside the other, around `inner`. */
const nest = (n: number, inner = '') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`
const times = (n: number, item: string) => Array<string>(n).fill(item).join(', ')

/** The classic "billion laughs": each level holds ten aliases of the one before it. */
function laughs(levels: number): string {
  const names = 'abcdefghijklmnopqrstuvwxyz'
  const lines = [`a: &a [${times(10, 'x')}]`]
  for (let level = 1; level < levels; level++)
    lines.push(`${names[level]}: &${names[level]} [${times(10, `*${names[level - 1]}`)}]`)
  lines.push(`${names[levels]}: [${times(10, `*${names[levels - 1]}`)}]`)
  return lines.join('\n')
}

describe('parseYaml', () => {
  it('states its limits', () => {
    expect(MAX_YAML_DEPTH).toBe(64)
    expect(MAX_YAML_ALIASES).toBe(100)
  })

  it('reads a document into its value, with the document and no problems', () => {
    const parsed = parseYaml('a: 1\nb: [x, {c: d}]\nshared: &s {k: v}\nuse: *s\n')
    expect(parsed.value).toEqual({ a: 1, b: ['x', { c: 'd' }], shared: { k: 'v' }, use: { k: 'v' } })
    expect(parsed.problems).toEqual([])
    expect(parsed.document?.errors).toEqual([])
    expect(parsed.document?.toJS()).toEqual(parsed.value)
  })

  it('turns an offset in the text into its line and column', () => {
    const { linePos } = parseYaml('a: 1\nbb: 22\n')
    expect(linePos(0)).toEqual({ line: 1, col: 1 })
    expect(linePos(5)).toEqual({ line: 2, col: 1 })
    expect(linePos(9)).toEqual({ line: 2, col: 5 })
  })

  it('names each syntax error once, with its line and column, without the position the library repeats', () => {
    const parsed = parseYaml('a: [1\nb: {')
    expect(parsed.problems).toEqual([
      {
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 2,
        col: 1
      },
      {
        message: 'Flow map in block collection must be sufficiently indented and end with a }',
        line: 2,
        col: 5
      }
    ])
    expect(parsed.value).toBeUndefined()
    expect(parsed.document?.errors).toHaveLength(2)
    expect(parseYaml('{').problems).toEqual([{ message: 'Flow map must end with a }', line: 1, col: 2 }])
    expect(parseYaml(`${'\n'.repeat(11)}a_longer_key: b: c`).problems).toEqual([
      { message: 'Nested mappings are not allowed in compact mappings', line: 12, col: 15 }
    ])
  })

  it('reports the same error at the same place once', () => {
    // the library reports this one twice at 1:6
    expect(parseYaml('a: [[').problems).toEqual([
      {
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 1,
        col: 6
      }
    ])
    expect(parseYaml(nest(70).slice(0, 70)).problems).toEqual([
      {
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 1,
        col: 71
      },
      { message: 'Flow sequence must end with a ]', line: 1, col: 71 }
    ])
  })

  it('refuses duplicate keys, each one', () => {
    expect(parseYaml('a: 1\na: 2\na: 3').problems).toEqual([
      { message: 'Map keys must be unique', line: 2, col: 1 },
      { message: 'Map keys must be unique', line: 3, col: 1 }
    ])
  })

  it('takes 64 levels of collections, a scalar inside the last', () => {
    expect(parseYaml(`a: ${nest(63, 'x')}`).problems).toEqual([])
    expect(parseYaml(`- ${'- '.repeat(62)}x`).problems).toEqual([])
  })

  it('refuses a 65th level where it starts: in a sequence, a mapping, a key', () => {
    expect(parseYaml(`a: ${nest(64)}`).problems).toEqual([{ message: TOO_DEEP, line: 1, col: 67 }])
    expect(parseYaml(nest(65)).problems).toEqual([{ message: TOO_DEEP, line: 1, col: 65 }])
    expect(parseYaml(`${'- '.repeat(65)}x`).problems).toEqual([{ message: TOO_DEEP, line: 1, col: 129 }])
    const mappings = ['a:', ...Array.from({ length: 64 }, (_, i) => `${' '.repeat(i + 1)}a:`)].join('\n')
    expect(parseYaml(mappings).problems).toEqual([{ message: TOO_DEEP, line: 65, col: 65 }])
    expect(parseYaml(`? ${nest(64)}\n: 1`).problems).toEqual([{ message: TOO_DEEP, line: 1, col: 66 }])
  })

  it('names the first place too deep, in document order', () => {
    expect(parseYaml(`a: ${nest(64)}\nb: ${nest(70)}`).problems).toEqual([
      { message: TOO_DEEP, line: 1, col: 67 }
    ])
    expect(parseYaml(`- ${nest(64)}\n- ${nest(70)}`).problems).toEqual([
      { message: TOO_DEEP, line: 1, col: 66 }
    ])
  })

  it('reports nesting that would exhaust the stack once, as too deep, never as a thrown overflow', () => {
    const parsed = parseYaml(nest(3000).slice(0, 3000))
    expect(parsed.problems).toEqual([{ message: TOO_DEEP, line: 1, col: expect.any(Number) }])
    expect(parsed.value).toBeUndefined()
  })

  it('counts the depth an alias adds where it is used', () => {
    expect(parseYaml(`a: &a ${nest(30)}\nb: ${nest(30, '*a')}`).problems).toEqual([])
    expect(parseYaml(`a: &a ${nest(40)}\nb: ${nest(30, '*a')}`).problems).toEqual([
      { message: TOO_DEEP, line: 1, col: 40 }
    ])
  })

  it('refuses an alias inside the node it names, however far inside', () => {
    expect(parseYaml('a: &loop [1, *loop]').problems).toEqual([
      { message: 'alias *loop is inside the node it names, so it never ends', line: 1, col: 14 }
    ])
    expect(parseYaml('- &a\n  - *a').problems).toEqual([
      { message: 'alias *a is inside the node it names, so it never ends', line: 2, col: 5 }
    ])
    expect(parseYaml('a: &a {b: *a}').problems).toEqual([
      { message: 'alias *a is inside the node it names, so it never ends', line: 1, col: 11 }
    ])
    expect(parseYaml('a: &a [&b [*a]]').problems).toEqual([
      { message: 'alias *a is inside the node it names, so it never ends', line: 1, col: 12 }
    ])
    expect(parseYaml('a: &a [1]\nb: [&b [*a, *b]]').problems).toEqual([
      { message: 'alias *b is inside the node it names, so it never ends', line: 2, col: 13 }
    ])
  })

  it('takes an alias of a node beside it, or of one its own anchor holds', () => {
    expect(parseYaml('a: &a [1]\nb: &b [*a, *a]\nc: [*b]').value).toEqual({
      a: [1],
      b: [[1], [1]],
      c: [[[1], [1]]]
    })
  })

  it('names an alias to nothing where it is, not at an alias before it', () => {
    expect(parseYaml('a: &x 1\nb: *x\nc: *nowhere').problems).toEqual([
      { message: 'Unresolved alias (the anchor must be set before the alias): nowhere', line: 3, col: 4 }
    ])
    expect(parseYaml('x: [*y, *z]').problems).toEqual([
      { message: 'Unresolved alias (the anchor must be set before the alias): y', line: 1, col: 5 }
    ])
  })

  it('gives a problem the library places nowhere without a place, or at the first alias when there is one', () => {
    // YAML 1.1 merge keys: merging a scalar fails when the value is built, with no position of its own
    expect(parseYaml('%YAML 1.1\n---\na: 1\n<<: 5').problems).toStrictEqual([
      { message: 'Merge sources must be maps or map aliases' }
    ])
    expect(parseYaml('%YAML 1.1\n---\na: &x 1\nb: 2\n<<: *x').problems).toStrictEqual([
      { message: 'Merge sources must be maps or map aliases', line: 5, col: 5 }
    ])
  })

  it('refuses a billion laughs, at the first alias that names a node holding aliases', () => {
    const bomb = laughs(3)
    expect(parseYaml(bomb).problems).toEqual([{ message: TOO_MANY_ALIASES, line: 3, col: 8 }])
    expect(parseYaml(`z: &z [1]\ny: *z\n${bomb}`).problems).toEqual([
      { message: TOO_MANY_ALIASES, line: 5, col: 8 }
    ])
    const map = (value: string) => `{${Array.from({ length: 10 }, (_, i) => `k${i}: ${value}`).join(', ')}}`
    expect(
      parseYaml(`a: &a ${map('x')}\nb: &b ${map('*a')}\nc: &c ${map('*b')}\nd: [${times(10, '*c')}]`).problems
    ).toEqual([{ message: TOO_MANY_ALIASES, line: 3, col: 12 }])
  })

  it('refuses a billion laughs of nine levels at once: its aliases are never all walked', () => {
    expect(parseYaml(laughs(9)).problems).toEqual([{ message: TOO_MANY_ALIASES, line: 3, col: 8 }])
  })

  it('refuses more than 100 copies of a node without aliases (the node and 100 aliases), at the first alias', () => {
    expect(parseYaml(`a: &a [x]\nb: [${times(99, '*a')}]`).problems).toEqual([])
    expect(parseYaml(`a: &a [x]\nb: [${times(100, '*a')}]`).problems).toEqual([
      { message: TOO_MANY_ALIASES, line: 2, col: 5 }
    ])
  })
})
