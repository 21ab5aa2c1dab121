import { describe, expect, it } from '@jest/globals'
import {
  encodedForms,
  jsonEscaped,
  maskableForms,
  SHORTEST_DERIVED_FORM
} from '../../src/secrets/encodings.js'

/*
 * Each form a server may echo a credential in, pinned one by one (issue 19): a form left out is a leak.
 * The secret holds a quote of each kind, HTML specials, a slash, a space, a tilde, a non-ASCII letter and
 * bytes whose base64 has `+`, `/` and padding.
 */
const SECRET = 'a/b"c\'d<é>&~ ?\u00fb\u00ff'
const forms = encodedForms(SECRET)
const base64 = Buffer.from(SECRET).toString('base64')

describe('encodedForms', () => {
  it('holds the secret itself, first among equals by length, and every form once, longest first', () => {
    expect(forms).toContain(SECRET)
    expect(new Set(forms).size).toBe(forms.length)
    expect(forms.map(form => form.length)).toEqual([...forms.map(form => form.length)].sort((a, b) => b - a))
  })

  it('knows the JSON forms: escaped, ASCII only, and escaped twice', () => {
    expect(jsonEscaped(SECRET)).toBe('a/b\\"c\'d<é>&~ ?ûÿ')
    expect(forms).toContain('a/b\\"c\'d<é>&~ ?ûÿ')
    expect(forms).toContain('a/b\\"c\'d<\\u00e9>&~ ?\\u00fb\\u00ff')
    expect(forms).toContain('a/b\\\\\\"c\'d<é>&~ ?ûÿ')
    expect(forms).toContain('a/b\\\\\\"c\'d<\\\\u00e9>&~ ?\\\\u00fb\\\\u00ff')
  })

  it('knows the URL forms: percent, form (+), strict RFC 3986, each with lower-case escapes', () => {
    const percent = encodeURIComponent(SECRET)
    expect(percent).toBe("a%2Fb%22c'd%3C%C3%A9%3E%26~%20%3F%C3%BB%C3%BF")
    expect(forms).toContain(percent)
    expect(forms).toContain("a%2Fb%22c'd%3C%C3%A9%3E%26~+%3F%C3%BB%C3%BF")
    expect(forms).toContain(new URLSearchParams({ v: SECRET }).toString().slice(2))
    expect(forms).toContain('a%2Fb%22c%27d%3C%C3%A9%3E%26~%20%3F%C3%BB%C3%BF')
    expect(forms).toContain('a%2Fb%22c%27d%3C%C3%A9%3E%26~+%3F%C3%BB%C3%BF')
    expect(forms).toContain("a%2fb%22c'd%3c%c3%a9%3e%26~%20%3f%c3%bb%c3%bf")
    expect(forms).toContain('a%2fb%22c%27d%3c%c3%a9%3e%26~+%3f%c3%bb%c3%bf')
  })

  it("writes the strict escapes of !'()* in upper case, as RFC 3986 recommends, and in lower case", () => {
    // `*` is the one of the five whose escape has a letter: %2A, not only %2a
    const strict = encodedForms("deploy*it!(now)'")
    expect(strict).toContain('deploy%2Ait%21%28now%29%27')
    expect(strict).toContain('deploy%2ait%21%28now%29%27')
  })

  it('turns %20 into + and + into %20 in the form encodings', () => {
    const form = new URLSearchParams({ v: SECRET }).toString().slice(2)
    expect(form).toContain('+')
    expect(forms).toContain(form.replace(/\+/g, '%20'))
    expect(forms).toContain(form.replace(/\+/g, '%20').replace(/%[0-9A-F]{2}/g, e => e.toLowerCase()))
  })

  it('knows the HTML and XML forms with each way of writing quotes and non-ASCII letters', () => {
    const base = 'a/b"c\'d&lt;é&gt;&amp;~ ?ûÿ'
    expect(forms).toContain(base)
    expect(forms).toContain('a/b&quot;c&#39;d&lt;é&gt;&amp;~ ?ûÿ')
    expect(forms).toContain('a/b&quot;c&apos;d&lt;é&gt;&amp;~ ?ûÿ')
    expect(forms).toContain('a/b&quot;c&#x27;d&lt;é&gt;&amp;~ ?ûÿ')
    expect(forms).toContain('a/b&#34;c&#39;d&lt;é&gt;&amp;~ ?ûÿ')
    expect(forms).toContain('a/b&quot;c&#39;d&lt;&#233;&gt;&amp;~ ?&#251;&#255;')
    expect(forms).toContain('a/b&quot;c&#39;d&lt;&#xe9;&gt;&amp;~ ?&#xfb;&#xff;')
    expect(forms).toContain('a/b"c\'d&lt;&#233;&gt;&amp;~ ?&#251;&#255;')
    // the HTML page of a URL-encoded value
    expect(forms).toContain('a%2Fb%22c&#39;d%3C%C3%A9%3E%26~%20%3F%C3%BB%C3%BF')
  })

  it('knows the backslash-escaped forms of shells, Java, C, regular expressions and PHP', () => {
    expect(forms).toContain('a/b\\"c\\\'d<é>&~ ?ûÿ')
    expect(forms).toContain('a/b\\"c\'d<é>&~ ?ûÿ')
    expect(forms).toContain('a/b"c\\\'d<é>&~ ?ûÿ')
    expect(forms).toContain('a\\/b\\"c\\\'d\\<é\\>\\&\\~\\ \\?ûÿ')
    expect(forms).toContain('a\\/b\\"c\'d<é>&~ ?ûÿ')
  })

  it('knows base64, padded and not, URL-safe, with escaped slashes and percent-encoded', () => {
    expect(base64).toMatch(/[+/].*=$/)
    expect(forms).toContain(base64)
    expect(forms).toContain(base64.replace(/=+$/, ''))
    expect(forms).toContain(Buffer.from(SECRET).toString('base64url'))
    expect(forms).toContain(base64.replace(/\//g, '\\/'))
    expect(forms).toContain(encodeURIComponent(base64))
  })

  it('knows the characters of its base64 at each of the three offsets inside a longer value', () => {
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      const inside = Buffer.from(`${prefix}${SECRET}!tail`).toString('base64')
      expect(forms.some(form => form.length >= 20 && inside.includes(form))).toBe(true)
    }
  })

  it('knows hex in lower and upper case', () => {
    const hex = Buffer.from(SECRET).toString('hex')
    expect(forms).toContain(hex)
    expect(forms).toContain(hex.toUpperCase())
  })
})

describe('encodedForms, the forms that differ only for some secrets', () => {
  it('knows the base64 inside a longer value at offsets 1 and 2, to the last character these bytes decide', () => {
    // 'abcdefgh' at offset 1: AGFiY2RlZmdo → FiY2RlZmdo (ends on a whole group); offset 2: AABhYmNkZWZnaA →
    // hYmNkZWZna (the last A depends on the byte after)
    const abc = encodedForms('abcdefgh')
    expect(abc).toContain('FiY2RlZmdo')
    expect(abc).toContain('hYmNkZWZna')
    expect(abc).not.toContain('FiY2RlZmd')
    expect(abc).not.toContain('hYmNkZWZnaA')
  })

  it('writes URL-safe base64 with - and _ for + and /', () => {
    const secret = '>>>???'
    const standard = Buffer.from(secret).toString('base64')
    expect(standard).toBe('Pj4+Pz8/')
    expect(encodedForms(secret)).toContain('Pj4-Pz8_')
  })

  it('escapes only backslash and double quote in the C-style form, keeping a tab raw', () => {
    // JSON writes the tab as \t; the C-style form keeps it and escapes the quote and the backslash
    expect(encodedForms('t\th"e\'q\\x')).toContain('t\th\\"e\'q\\\\x')
  })
})

describe('maskableForms', () => {
  it('leaves out derived forms under 6 characters, counting them, and keeps a short secret itself', () => {
    expect(SHORTEST_DERIVED_FORM).toBe(6)
    // base64 YWJj (4), and at offsets 1 and 2 inside a longer value FiY and hYm: three left out; hex kept
    expect(maskableForms('abc')).toEqual({ forms: ['616263', 'abc'], tooShort: 3 })
  })

  it('keeps a derived form of exactly 6 characters, and counts the 5-character ones', () => {
    // offsets 0, 1, 2: YWJjZ, FiY2, hYmNk (under 6); the whole value YWJjZA (6) stays
    expect(maskableForms('abcd')).toEqual({
      forms: ['YWJjZA%3D%3D', 'YWJjZA==', '61626364', 'YWJjZA', 'abcd'],
      tooShort: 3
    })
  })
})
