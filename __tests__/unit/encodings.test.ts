import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { decodeXmlEntities } from '../../src/http/body.js'
import { encodedForms, maskableForms, SHORTEST_DERIVED_FORM } from '../../src/secrets/encodings.js'
import { Redactor } from '../../src/secrets.js'

/** Printable ASCII and a few characters outside it, two of them outside the BMP. */
const character = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map(code => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ß', 'ñ', '€', '日', 'Ж', '😀', '𝄞') }
)
const secret = fc
  .array(character, { minLength: 8, maxLength: 24 })
  .map(chars => chars.join(''))
  .filter(text => text.trim() === text)
const context = fc.array(character, { maxLength: 5 }).map(chars => chars.join(''))

const tryOr = (decode: () => string) => {
  try {
    return decode()
  } catch {
    return ''
  }
}

/** How a server might echo text, and how a reader would decode it again. */
const ENCODINGS: Record<string, { encode(text: string): string; decode(text: string): string }> = {
  json: { encode: text => JSON.stringify(text), decode: text => tryOr(() => JSON.parse(text) as string) },
  'json, ASCII only': {
    encode: text =>
      JSON.stringify(text).replace(
        /[^\x20-\x7e]/g,
        c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
      ),
    decode: text => tryOr(() => JSON.parse(text) as string)
  },
  'json twice': {
    encode: text => JSON.stringify(JSON.stringify(text)),
    decode: text => tryOr(() => JSON.parse(JSON.parse(text) as string) as string)
  },
  'percent (%20)': { encode: encodeURIComponent, decode: text => tryOr(() => decodeURIComponent(text)) },
  'form (+)': {
    encode: text => new URLSearchParams({ v: text }).toString(),
    decode: text => new URLSearchParams(text).get('v') ?? ''
  },
  html: {
    encode: text =>
      text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;'),
    decode: decodeXmlEntities
  },
  xml: {
    encode: text =>
      text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&apos;'),
    decode: decodeXmlEntities
  },
  backslash: {
    encode: text => text.replace(/[\\"']/g, '\\$&'),
    decode: text => text.replace(/\\(.)/g, '$1')
  },
  base64: {
    encode: text => Buffer.from(text).toString('base64'),
    decode: text => Buffer.from(text, 'base64').toString('utf8')
  },
  base64url: {
    encode: text => Buffer.from(text).toString('base64url'),
    decode: text => Buffer.from(text, 'base64url').toString('utf8')
  },
  hex: {
    encode: text => Buffer.from(text).toString('hex'),
    decode: text => Buffer.from(text, 'hex').toString('utf8')
  },
  HEX: {
    encode: text => Buffer.from(text).toString('hex').toUpperCase(),
    decode: text => Buffer.from(text, 'hex').toString('utf8')
  }
}

describe('encodedForms', () => {
  it('leaves out derived forms shorter than the limit, never the secret itself', () => {
    const forms = encodedForms('a"b')
    expect(forms).toContain('a"b')
    for (const form of forms.filter(form => form !== 'a"b')) {
      expect(form.length).toBeGreaterThanOrEqual(SHORTEST_DERIVED_FORM)
    }
  })

  it('counts the derived forms it leaves out for being short, and only those', () => {
    expect(maskableForms('a"b').tooShort).toBeGreaterThan(0)
    expect(maskableForms('long-enough"secret').tooShort).toBe(0)
  })

  it('knows the form-encoded BMC RPM token of the issue', () => {
    expect(encodedForms("rpm key!*'()~ 9")).toContain('rpm+key%21*%27%28%29%7E+9')
  })
})

describe('Redactor: every encoding, inside any surrounding text', () => {
  for (const [name, { encode, decode }] of Object.entries(ENCODINGS)) {
    it(`scrubs the ${name} form so that decoding gives the secret back no more`, () => {
      fc.assert(
        fc.property(secret, context, context, (value, before, after) => {
          const redactor = new Redactor()
          redactor.add(value)
          const encoded = encode(`${before}${value}${after}`)
          // The test sees the secret when nothing is scrubbed: it can fail.
          expect(decode(encoded)).toContain(value)
          const scrubbed = redactor.scrub(encoded)
          expect(decode(scrubbed)).not.toContain(value)
          expect(scrubbed).not.toContain(value)
        }),
        { numRuns: 150 }
      )
    })
  }
})
