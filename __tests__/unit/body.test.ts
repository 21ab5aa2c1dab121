/**
 * Reading an answer's body as what the caller expects (src/http/body.ts): which parser a body gets from its
 * content type and its first bytes, the one error that says what came back instead, which of those errors
 * are worth another read (`garbled`), and XML without any DOCTYPE processing.
 */
import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import {
  decodeXmlEntities,
  loadXmlParser,
  parseBody,
  parseErrorBody,
  parseXml,
  preview,
  UnreadableBodyError
} from '../../src/http/body.js'
import { ActionError } from '../../src/errors.js'
import type * as BodyModule from '../../src/http/body.js'

type Body = typeof BodyModule

/** A fresh copy of the module: its XML parser not loaded yet. */
async function freshBody(): Promise<Body> {
  let body: Body | undefined
  await jest.isolateModulesAsync(async () => {
    body = await import('../../src/http/body.js')
  })
  if (!body) throw new Error('the module did not load')
  return body
}

/** What JSON.parse says about `text` on this Node version. */
function jsonError(text: string): string {
  try {
    JSON.parse(text)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error(`${text} is valid JSON`)
}

function unreadable(read: () => unknown): UnreadableBodyError {
  try {
    read()
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableBodyError)
    expect(error).toBeInstanceOf(ActionError)
    return error as UnreadableBodyError
  }
  throw new Error('the body was read')
}

const HINT = 'A proxy, load balancer or login page may be answering instead of the API; check base-url.'

beforeAll(() => loadXmlParser())

describe('preview', () => {
  it('puts the body on one line, each run of white space one space, trimmed', () => {
    expect(preview('  {\n\t"a":  1,\r\n "b": 2 }\n')).toBe('{ "a": 1, "b": 2 }')
  })

  it('keeps 200 characters whole and cuts a longer body at 200, with an ellipsis', () => {
    expect(preview('x'.repeat(200))).toBe('x'.repeat(200))
    expect(preview(`${'x'.repeat(200)}y`)).toBe(`${'x'.repeat(200)}…`)
    expect(preview(`  ${'x'.repeat(199)}  `)).toBe('x'.repeat(199))
  })
})

describe('readyToParse', () => {
  it('loads the XML parser for an XML content type, whatever its case', async () => {
    const body = await freshBody()
    expect(() => body.parseXml('<a>1</a>')).toThrow(
      'the XML parser was not loaded (await readyToParse first)'
    )
    await body.readyToParse('{"a":1}', 'application/json')
    expect(() => body.parseXml('<a>1</a>')).toThrow(/not loaded/)
    await body.readyToParse('', 'Text/XML; charset=utf-8')
    expect(body.parseXml('<a>1</a>')).toEqual({ a: '1' })
  })

  it('loads it for a body that starts with <, after white space, whatever the content type', async () => {
    const body = await freshBody()
    await body.readyToParse('x <a>1</a>', 'text/plain')
    expect(() => body.parseXml('<a>1</a>')).toThrow(/not loaded/)
    await body.readyToParse(' \n<a>1</a>', 'text/plain')
    expect(body.parseXml('<a>1</a>')).toEqual({ a: '1' })
  })

  it('loads it once: a second load keeps the parser', async () => {
    const body = await freshBody()
    await body.loadXmlParser()
    await body.loadXmlParser()
    expect(body.parseXml('<a x="1">2</a>')).toEqual({ a: { '#text': '2', x: '1' } })
  })
})

describe('parseXml', () => {
  it('reads attributes without a prefix, every value as text, repeated elements as a list', () => {
    expect(parseXml('<job id="007"><state>SUCCESS</state><n>42</n><n>0042</n><empty/></job>')).toEqual({
      job: { id: '007', state: 'SUCCESS', n: ['42', '0042'], empty: '' }
    })
  })

  it('decodes entities everywhere once: element text, lists, nested attributes', () => {
    expect(parseXml('<r><i>&amp;lt;</i><i>x &#x41;</i><n><m k="&quot;q&quot;">&apos;</m></n></r>')).toEqual({
      r: { i: ['&lt;', 'x A'], n: { m: { '#text': "'", k: '"q"' } } }
    })
  })

  it('leaves entities it does not know as they are (no HTML entities, no DTD)', () => {
    expect(parseXml('<a>&copy; &nbsp;</a>')).toEqual({ a: '&copy; &nbsp;' })
    expect(parseXml('<a b="&toString;">&constructor;</a>')).toEqual({
      a: { '#text': '&constructor;', b: '&toString;' }
    })
  })

  it.each(['<!DOCTYPE r><r/>', '<!doctype r><r/>', '<r><!ENTITY x "y"></r>', '<r><!entity x "y"></r>'])(
    'refuses %s before parsing',
    text => expect(() => parseXml(text)).toThrow('XML with a DOCTYPE or entity declarations is refused')
  )

  it('says where invalid XML breaks', () => {
    expect(() => parseXml('<a>\n<b>\n</a>')).toThrow(
      "invalid XML at line 3: Expected closing tag 'b' (opened in line 2, col 1) instead of closing tag 'a'."
    )
  })
})

describe('decodeXmlEntities', () => {
  it.each([
    ['a &amp; b', 'a & b'],
    ['&lt;&gt;&quot;&apos;', '<>"\''],
    ['&#65;&#x42;&#X43;&#x6a;&#x6A;', 'ABCjj'],
    ['&#0;', '\u0000'],
    ['&#1114111;', String.fromCodePoint(0x10ffff)],
    ['&#x10FFFF;', String.fromCodePoint(0x10ffff)],
    ['&#x1F600;', '😀']
  ])('%p → %p', (text, decoded) => expect(decodeXmlEntities(text)).toBe(decoded))

  it.each([
    '&#1114112;',
    '&#x110000;',
    '&nbsp;',
    '&AMP;',
    '&amp',
    '&#xZ;',
    '&#;',
    '&;',
    '&constructor;',
    '&toString;',
    '&__proto__;',
    '&hasOwnProperty;'
  ])('keeps %p as it is', text => expect(decodeXmlEntities(text)).toBe(text))

  it('decodes in one pass: an escaped entity stays an entity', () => {
    expect(decodeXmlEntities('&amp;lt; &amp;#65; &amp;amp;')).toBe('&lt; &#65; &amp;')
  })
})

describe('parseBody', () => {
  it('gives text as it came when text is expected, empty or not', () => {
    expect(parseBody('  {"a":1}\n', 'application/json', 'text', 'GET /log', 200)).toBe('  {"a":1}\n')
    expect(parseBody('', 'application/json', 'text', 'GET /log', 200)).toBe('')
  })

  it('reads an empty or blank body as no body', () => {
    expect(parseBody('', 'application/json', 'json', 'GET /x', 200)).toBeUndefined()
    expect(parseBody(' \r\n\t', 'application/xml', 'xml', 'GET /x', 200)).toBeUndefined()
  })

  it.each([
    'application/json',
    'application/problem+json',
    'APPLICATION/JSON; charset=UTF-8',
    'text/plain',
    ''
  ])('reads JSON under %p', contentType =>
    expect(parseBody('{"status":"RUNNING","n":[1]}', contentType, 'json', 'GET /x', 200)).toEqual({
      status: 'RUNNING',
      n: [1]
    })
  )

  it.each([
    ['application/xml', 'json'],
    ['text/xml', 'json'],
    ['application/atom+xml', 'json'],
    ['APPLICATION/XML', 'json'],
    ['', 'json'],
    ['application/octet-stream', 'json'],
    ['text/plain', 'xml'],
    ['', 'xml']
  ] as const)('reads XML under %p when %s is expected', (contentType, expected) =>
    expect(parseBody('\n <job><id>7</id></job>', contentType, expected, 'GET /x', 200)).toEqual({
      job: { id: '7' }
    })
  )

  it('reads a body that starts with < as JSON when the server said JSON or plain text and JSON is expected', () => {
    const text = '<job/>'
    for (const [contentType, expected] of [
      ['application/json', 'json'],
      ['application/json', 'xml'],
      ['text/plain', 'json']
    ] as const) {
      const error = unreadable(() => parseBody(text, contentType, expected, 'GET /x', 200))
      expect(error.message).toBe(
        `GET /x answered HTTP 200 with ${contentType} where ${expected.toUpperCase()} was expected (${jsonError(text)}): <job/>`
      )
      expect(error.garbled).toBe(true)
    }
  })

  it('says what came back for a cut JSON answer, and calls it garbled: worth another read', () => {
    const text = '{"status": "R", "perc'
    const error = unreadable(() => parseBody(text, 'application/json', 'json', 'GET /status/7', 200))
    expect(error.message).toBe(
      `GET /status/7 answered HTTP 200 with application/json where JSON was expected (${jsonError(text)}): {"status": "R", "perc`
    )
    expect(error.hint).toBe(HINT)
    expect(error.httpStatus).toBe(200)
    expect(error.transient).toBe(false)
    expect(error.garbled).toBe(true)
  })

  it('is transient from HTTP 500 up', () => {
    expect(unreadable(() => parseBody('{', 'application/json', 'json', 'GET /x', 500)).transient).toBe(true)
    expect(unreadable(() => parseBody('{', 'application/json', 'json', 'GET /x', 499)).transient).toBe(false)
  })

  it('names a missing content type, and shows only the start of a long body on one line', () => {
    const text = `{\n${'"k": 1, '.repeat(40)}`
    const error = unreadable(() => parseBody(text, '', 'json', 'GET /x', 200))
    expect(error.message).toBe(
      `GET /x answered HTTP 200 with no content type where JSON was expected (${jsonError(text)}): ${preview(text)}`
    )
    expect(preview(text)).toHaveLength(201)
  })

  it.each([
    ['text/html', '{"a":1}'],
    ['application/xhtml+xml', '<a>1</a>'],
    ['', '<!DOCTYPE html><html><body>Login</body></html>'],
    ['application/json', '  <!doctype   HTML><html/>'],
    ['text/plain', '\n<html>'],
    ['TEXT/HTML; charset=utf-8', '<p>Login</p>']
  ])('takes %p with %p for an HTML page: no parser, not garbled', (contentType, text) => {
    const error = unreadable(() => parseBody(text, contentType, 'json', 'GET /x', 200))
    expect(error.message).toBe(
      `GET /x answered HTTP 200 with ${contentType || 'no content type'} where JSON was expected (an HTML page): ${preview(text)}`
    )
    expect(error.garbled).toBe(false)
  })

  it.each([
    ['', '<html><body/></html>'],
    ['', '\t <html><body/></html>'],
    ['', '<!DOCTYPE  html><html><body/></html>'],
    ['text/html', '<p>Login</p>']
  ])('reads %p with %p as an HTML page even where XML is expected', (contentType, text) => {
    const error = unreadable(() => parseBody(text, contentType, 'xml', 'GET /x', 200))
    expect(error.message).toBe(
      `GET /x answered HTTP 200 with ${contentType || 'no content type'} where XML was expected (an HTML page): ${preview(text)}`
    )
    expect(error.garbled).toBe(false)
  })

  it('looks for an HTML page only at the start of the body', () => {
    expect(parseBody('<page><html>x</html></page>', '', 'json', 'GET /x', 200)).toEqual({
      page: { html: 'x' }
    })
    expect(parseBody('{"note":"<html>"}', 'application/json', 'json', 'GET /x', 200)).toEqual({
      note: '<html>'
    })
    expect(parseBody('{"note":"<html>"}', '', 'json', 'GET /x', 200)).toEqual({ note: '<html>' })
  })

  it('refuses XML with a DOCTYPE as not garbled: reading it again would not help', () => {
    const text = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    const error = unreadable(() => parseBody(text, 'application/xml', 'xml', 'GET /x', 200))
    expect(error.message).toBe(
      `GET /x answered HTTP 200 with application/xml where XML was expected (XML with a DOCTYPE or entity declarations is refused): ${text}`
    )
    expect(error.garbled).toBe(false)
  })

  it('calls invalid XML garbled', () => {
    const error = unreadable(() => parseBody('<a><b>1</a>', 'text/xml', 'xml', 'GET /x', 200))
    expect(error.message).toBe(
      "GET /x answered HTTP 200 with text/xml where XML was expected (invalid XML at line 1: Expected closing tag 'b' (opened in line 1, col 4) instead of closing tag 'a'.): <a><b>1</a>"
    )
    expect(error.garbled).toBe(true)
    // text that is no XML at all under an XML content type
    expect(unreadable(() => parseBody('hello', 'application/xml', 'json', 'GET /x', 200)).garbled).toBe(true)
  })
})

describe('parseErrorBody', () => {
  it('reads JSON and XML error bodies, whatever their status', () => {
    expect(parseErrorBody('{"message":"denied"}', 'application/json')).toEqual({ message: 'denied' })
    expect(parseErrorBody('<error><message>denied</message></error>', 'application/xml')).toEqual({
      error: { message: 'denied' }
    })
  })

  it('gives anything else back as text, and nothing for an empty body; it never throws', () => {
    expect(parseErrorBody('Service Unavailable', 'text/plain')).toBe('Service Unavailable')
    expect(parseErrorBody('<html><body>Bad gateway</body></html>', 'text/html')).toBe(
      '<html><body>Bad gateway</body></html>'
    )
    expect(parseErrorBody('{"cut', 'application/json')).toBe('{"cut')
    expect(parseErrorBody('<!DOCTYPE x><x/>', 'application/xml')).toBe('<!DOCTYPE x><x/>')
    expect(parseErrorBody('', 'application/json')).toBeUndefined()
    expect(parseErrorBody('  \n', 'text/plain')).toBeUndefined()
  })
})
