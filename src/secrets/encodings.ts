/**
 * Every form a credential can take when a server echoes it back: in a JSON string, a URL, an HTML or XML
 * page, a backslash-escaped string, base64 (standard and URL-safe, at each of the three byte alignments it
 * can have inside a longer encoded value) and hex. The runner's own secret masker registers the JSON, URI,
 * XML and base64 forms of every secret; the action writes files and outputs the runner never masks, so it
 * registers at least as much.
 */

/** Derived forms shorter than this are neither masked nor scrubbed: too short to be told from ordinary text. */
export const SHORTEST_DERIVED_FORM = 6

/** The text inside a JSON string literal. */
export function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

/** As a JSON encoder that writes ASCII only (Python's default, Jackson's ESCAPE_NON_ASCII) would. */
function jsonEscapedAscii(text: string): string {
  return jsonEscaped(text).replace(
    /[^\x20-\x7e]/g,
    char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** `encodeURIComponent`: space as `%20`, `!'()*~` kept. */
function percentEncoded(text: string): string {
  return encodeURIComponent(text)
}

/** Form encoding (`application/x-www-form-urlencoded`, URLSearchParams, Java's URLEncoder): space as `+`. */
function formEncoded(text: string): string {
  return new URLSearchParams({ v: text }).toString().slice(2)
}

/** RFC 3986 strict: everything but unreserved characters percent-encoded. */
function strictPercentEncoded(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    char => `%${char.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

function lowerCasePercents(text: string): string {
  return text.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase())
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** HTML/XML escaping in the variants servers use for quotes, and with non-ASCII as character references. */
function htmlEscapedForms(text: string): string[] {
  const base = text.replace(/[&<>]/g, char => HTML_ENTITIES[char] ?? char)
  const quotes: [string, string][] = [
    ['&quot;', '&#39;'],
    ['&quot;', '&apos;'],
    ['&quot;', '&#x27;'],
    ['&#34;', '&#39;']
  ]
  const forms = [base]
  for (const [double, single] of quotes) forms.push(base.replace(/"/g, double).replace(/'/g, single))
  for (const form of [...forms]) {
    forms.push(form.replace(/[^\x20-\x7e]/gu, char => `&#${char.codePointAt(0)};`))
    forms.push(form.replace(/[^\x20-\x7e]/gu, char => `&#x${char.codePointAt(0)?.toString(16)};`))
  }
  return forms
}

/** Backslash escaping as shells, Java/C string literals and regular expressions write it. */
function backslashEscapedForms(text: string): string[] {
  return [
    text.replace(/[\\"']/g, '\\$&'),
    text.replace(/[\\"]/g, '\\$&'),
    text.replace(/[\\']/g, '\\$&'),
    text.replace(/[^\w\u0080-\uffff]/g, '\\$&'),
    // PHP's json_encode also escapes the slash.
    jsonEscaped(text).replace(/\//g, '\\/')
  ]
}

/**
 * The base64 of `bytes` as it appears inside a longer base64 value, for each of the three offsets (mod 3)
 * the bytes can start at: the characters that depend only on these bytes. Plus the whole value with and
 * without padding, for when the secret is encoded on its own.
 */
function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = []
  for (const shift of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString('base64')
      .replace(/=+$/, '')
    const head = [0, 2, 3][shift] ?? 0
    const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1
    forms.push(encoded.slice(head, encoded.length - tail))
  }
  forms.push(bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''))
  return forms
}

function base64Url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Every form of `secret` worth masking, longest first, without duplicates; derived forms under the limit left out. */
export function encodedForms(secret: string): string[] {
  return maskableForms(secret).forms
}

/** The forms, and how many derived forms were left out for being shorter than SHORTEST_DERIVED_FORM. */
export function maskableForms(secret: string): { forms: string[]; tooShort: number } {
  const bytes = Buffer.from(secret, 'utf8')
  const base64 = base64Forms(bytes)
  const hex = bytes.toString('hex')
  const url = [percentEncoded(secret), formEncoded(secret), strictPercentEncoded(secret)]
  url.push(...url.map(form => form.replace(/%20/g, '+')), ...url.map(form => form.replace(/\+/g, '%20')))
  url.push(...url.map(lowerCasePercents))
  const json = [jsonEscaped(secret), jsonEscapedAscii(secret)]
  const forms = [
    ...json,
    ...json.map(jsonEscaped),
    ...url,
    ...url.flatMap(htmlEscapedForms),
    ...htmlEscapedForms(secret),
    ...backslashEscapedForms(secret),
    ...base64,
    ...base64.map(base64Url),
    ...base64.map(form => form.replace(/\//g, '\\/')),
    ...base64.map(percentEncoded),
    hex,
    hex.toUpperCase()
  ]
  const distinct = new Set(forms.filter(form => form !== secret))
  const derived = [...distinct].filter(form => form.length >= SHORTEST_DERIVED_FORM)
  return {
    forms: [secret, ...derived].sort((a, b) => b.length - a.length),
    tooShort: distinct.size - derived.length
  }
}
