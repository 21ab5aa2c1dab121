import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { encodedForms } from '../../src/secrets/encodings.js'
import { actionsHost } from '../../src/host/actions.js'
import { REDACTED, Redactor } from '../../src/secrets.js'

/*
 * The redactor's promises, pinned exactly (issue 19). Equivalent mutants left alive (docs/mutation.md):
 * - `if (result.includes(form))` → `if (true)` (secrets/form-set.ts): splitting on a form that is absent and joining
 *   gives the text back.
 */

/** The workflow commands the runner reads from stdout (`::add-mask::…`, `::debug::…`). */
let commands: string[] = []
beforeEach(() => {
  commands = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    commands.push(String(chunk))
    return true
  })
})
afterEach(() => {
  jest.restoreAllMocks()
})

const masks = () => commands.filter(line => line.startsWith('::add-mask::'))

describe('Redactor.add', () => {
  it('masks every form of a secret with the runner, once each', () => {
    const redactor = new Redactor(actionsHost())
    redactor.add('s3cret-value')
    expect(masks()).toHaveLength(encodedForms('s3cret-value').length)
    expect(masks()).toContain('::add-mask::s3cret-value\n')
    const before = masks().length
    redactor.add('s3cret-value')
    expect(masks()).toHaveLength(before)
    expect(redactor.scrub('x s3cret-value y')).toBe('x *** y')
  })

  it('registers a secret of three characters or more, and nothing shorter', () => {
    const redactor = new Redactor(actionsHost())
    redactor.add('ab')
    redactor.add('')
    redactor.add(undefined)
    expect(masks()).toEqual([])
    expect(redactor.scrub('ab cd')).toBe('ab cd')
    redactor.add('abc')
    expect(redactor.scrub('xx abc yy')).toBe('xx *** yy')
  })

  it('says in the debug log how many encoded forms are too short to mask, only when there are some', () => {
    new Redactor(actionsHost()).add('a-long-enough-secret')
    expect(commands.filter(line => line.startsWith('::debug::'))).toEqual([])
    new Redactor(actionsHost()).add('abc')
    const debug = commands.filter(line => line.startsWith('::debug::'))
    expect(debug).toHaveLength(1)
    expect(debug[0]).toMatch(
      /^::debug::\d+ encoded forms of a credential are shorter than 6 characters: neither masked nor scrubbed\n$/
    )
  })

  it('scrubs a secret inside another whole, whichever was added first', () => {
    for (const order of [
      ['inner1', 'xx-inner1-yy'],
      ['xx-inner1-yy', 'inner1']
    ]) {
      const redactor = new Redactor(actionsHost())
      for (const secret of order) redactor.add(secret)
      expect(redactor.scrub('a xx-inner1-yy b inner1 c')).toBe('a *** b *** c')
    }
  })
})

describe('Redactor.addBasic', () => {
  it('registers the password, user:password and the header value, so none leaves a fragment', () => {
    const redactor = new Redactor(actionsHost())
    redactor.addBasic('alice', 'pa55word')
    const header = Buffer.from('alice:pa55word').toString('base64')
    expect(redactor.scrub('pa55word')).toBe(REDACTED)
    expect(redactor.scrub('alice:pa55word')).toBe(REDACTED)
    expect(redactor.scrub(`Authorization: Basic ${header}`)).toBe('Authorization: Basic ***')
    expect(redactor.scrub(Buffer.from(header).toString('hex'))).toBe(REDACTED)
    expect(redactor.scrub('alice')).toBe('alice')
  })

  it('registers only the password without a user, and nothing without a password', () => {
    const noUser = new Redactor(actionsHost())
    noUser.addBasic(undefined, 'pa55word')
    expect(noUser.scrub('undefined:pa55word')).toBe('undefined:***')

    const noPassword = new Redactor(actionsHost())
    noPassword.addBasic('alice', undefined)
    noPassword.addBasic('alice', '')
    expect(noPassword.scrub('alice:undefined alice:')).toBe('alice:undefined alice:')
    expect(masks()).toHaveLength(encodedForms('pa55word').length)
  })
})

describe('Redactor.longest and reveals', () => {
  it('knows the length of its longest form, 0 when it holds none', () => {
    const redactor = new Redactor(actionsHost())
    expect(redactor.longest).toBe(0)
    redactor.add('abcdefgh')
    expect(redactor.longest).toBe(Math.max(...encodedForms('abcdefgh').map(form => form.length)))
    expect(redactor.longest).toBe(encodedForms('abcdefgh')[0]?.length)
  })

  it('tells whether a text holds any form of any secret', () => {
    const redactor = new Redactor(actionsHost())
    redactor.add('first-secret')
    redactor.add('second-secret')
    expect(redactor.reveals('has second-secret in it')).toBe(true)
    expect(redactor.reveals(`has ${encodeURIComponent('first-secret!')}`)).toBe(true)
    expect(redactor.reveals('has neither')).toBe(false)
    expect(new Redactor(actionsHost()).reveals('anything')).toBe(false)
  })
})

describe('Redactor.scrub and scrubValue', () => {
  it('blanks URL passwords in any text, with or without secrets', () => {
    expect(new Redactor(actionsHost()).scrub('see https://user:hunter22@host/x')).toBe(
      'see https://user:***@host/x'
    )
  })

  it('keeps nothing as null and leaves numbers, booleans and null alone', () => {
    const redactor = new Redactor(actionsHost())
    expect(redactor.scrubValue(undefined)).toBeNull()
    expect(redactor.scrubValue(null)).toBeNull()
    expect(redactor.scrubValue(3)).toBe(3)
    expect(redactor.scrubValue(false)).toBe(false)
    expect(redactor.scrubValue({ a: null, b: 0, c: true })).toEqual({ a: null, b: 0, c: true })
  })

  it('drops undefined and function fields, as JSON would', () => {
    const value = { a: 'x', b: undefined, c: () => 1 }
    const scrubbed = new Redactor(actionsHost()).scrubValue(value) as Record<string, unknown>
    expect(Object.keys(scrubbed)).toEqual(['a'])
  })

  it('blanks scalar values of secret-named fields, keeps their null and scrubs inside their objects', () => {
    const redactor = new Redactor(actionsHost())
    redactor.add('hunter22')
    expect(
      redactor.scrubValue({ token: 5, password: null, session: { id: 'a hunter22 b', n: 1 }, keys: ['x'] })
    ).toEqual({ token: REDACTED, password: null, session: { id: 'a *** b', n: 1 }, keys: ['x'] })
  })

  it('scrubs keys, array items and what toJSON gives', () => {
    const redactor = new Redactor(actionsHost())
    redactor.add('hunter22')
    const when = new Date('2026-12-01T12:00:00Z')
    expect(
      redactor.scrubValue({
        'k-hunter22': ['hunter22', 'ok'],
        when,
        custom: { toJSON: () => 'x hunter22' }
      })
    ).toEqual({ 'k-***': ['***', 'ok'], when: '2026-12-01T12:00:00.000Z', custom: 'x ***' })
  })

  it('marks a cycle as redacted but scrubs an object shared twice both times', () => {
    const redactor = new Redactor(actionsHost())
    redactor.add('hunter22')
    const shared = { note: 'hunter22' }
    expect(redactor.scrubValue({ a: shared, b: [shared] })).toEqual({
      a: { note: REDACTED },
      b: [{ note: REDACTED }]
    })
    const cyclic: Record<string, unknown> = { name: 'n' }
    cyclic.self = cyclic
    expect(redactor.scrubValue(cyclic)).toEqual({ name: 'n', self: REDACTED })
  })
})
