import { describe, expect, it } from '@jest/globals'
import { shownValue } from '../../src/inputs/shown-value.js'

describe('shownValue', () => {
  it('shows a plain value as it is', () => {
    expect(shownValue('ASOALL')).toBe('ASOALL')
    expect(shownValue('')).toBe('')
  })

  it('shows a value that holds a known credential as *** (and asks about the value as given)', () => {
    const asked: string[] = []
    const conceals = (value: string) => {
      asked.push(value)
      return value.includes('s3cret')
    }
    expect(shownValue(' my s3cret value ', conceals)).toBe('***')
    expect(shownValue(' harmless ', conceals)).toBe('harmless')
    expect(asked).toEqual([' my s3cret value ', ' harmless '])
  })

  it('shows a URL with user info as its scheme and host alone', () => {
    expect(shownValue('https://deployer:pa55w0rd@epm.example.com:8443/api?x=1#y')).toBe(
      'https://epm.example.com:8443'
    )
    expect(shownValue('  http://token@host  ')).toBe('http://host')
    expect(shownValue('git+ssh.v2-x://u:p@repo.example.com/x')).toBe('git+ssh.v2-x://repo.example.com')
    expect(shownValue('HTTPS://Admin:Pw@Host.Example')).toBe('HTTPS://Host.Example')
    // the user info may hold '@' (unencoded); everything up to the last '@' before the path goes
    expect(shownValue('https://user:p@ss@host/x')).toBe('https://host')
  })

  it('keeps the host of a URL without user info, and an @ after its path, query or fragment', () => {
    expect(shownValue('https://host/a@b')).toBe('https://host/a@b')
    expect(shownValue('https://host?x=a@b')).toBe('https://host?x=a@b')
    expect(shownValue('https://host#a@b')).toBe('https://host#a@b')
    expect(shownValue('see https://host/a@b')).toBe('see https://host/a@b')
    expect(shownValue('see https://host?x=a@b')).toBe('see https://host?x=a@b')
    expect(shownValue('see https://host#a@b')).toBe('see https://host#a@b')
    expect(shownValue('mailto:someone@example.com')).toBe('mailto:someone@example.com')
  })

  it('blanks the user info of every URL further in the value, keeping scheme and host', () => {
    expect(shownValue('see https://deployer:pa55w0rd@host/x and ftp://anon@files, then a://u@h')).toBe(
      'see https://***@host/x and ftp://***@files, then a://***@h'
    )
    expect(shownValue('url=git+ssh://u:p@repo')).toBe('url=git+ssh://***@repo')
    expect(shownValue('URL=HTTPS://U:P@Host')).toBe('URL=HTTPS://***@Host')
    // a user info ends at white space: the word before an '@' further on is not taken for one
    expect(shownValue('at https://host me@example.com')).toBe('at https://host me@example.com')
  })

  it('writes the value on one line, runs of white space as one space', () => {
    expect(shownValue('  a\n\t b\r\nc  d ')).toBe('a b c d')
  })

  it('shows 80 characters at most, marking a cut with …', () => {
    const eighty = 'x'.repeat(80)
    expect(shownValue(eighty)).toBe(eighty)
    expect(shownValue(`${eighty}y`)).toBe(`${eighty}…`)
    expect(shownValue(`  ${eighty}  `)).toBe(eighty)
  })

  it('reads the first 1280 characters alone, before white space is folded', () => {
    expect(shownValue(`${' '.repeat(1279)}abc`)).toBe('a')
    expect(shownValue(`${' '.repeat(1278)}abc`)).toBe('ab')
    // a URL with user info far on is cut before its '@', so nothing after the cut is shown either
    expect(shownValue(`x${' '.repeat(1271)}https://user:pw@host`)).toBe('x https://')
  })
})

describe('shownValue: user info in unusual places', () => {
  it('masks the user info up to its last @ when a password holds an unencoded @', () => {
    expect(shownValue('see https://user:p@ss@host/path')).toBe('see https://***@host/path')
  })

  it('masks the user info after a scheme that starts with a digit', () => {
    expect(shownValue('see 1http://user:pw@host')).toBe('see 1http://***@host')
  })

  it('masks the user info after a scheme longer than 32 characters', () => {
    const scheme = 'x'.repeat(40)
    const shown = shownValue(`see ${scheme}://user:pw@host`)
    expect(shown).not.toContain('user:pw')
    expect(shown).toContain('***@host')
  })
})
