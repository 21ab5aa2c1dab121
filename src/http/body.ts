import type { XMLParser, XMLValidator } from 'fast-xml-parser'
import { ActionError, errorFields } from '../errors.js'

export type BodyKind = 'json' | 'xml' | 'text'

const SHOWN_BYTES = 200

/**
 * A success status whose body is not what was asked for. `garbled` when it claimed to be the right kind but
 * did not parse (a cut or corrupted answer: worth another read); not for an HTML page or refused XML.
 */
export class UnreadableBodyError extends ActionError {
  garbled = false
}

/** The first bytes of a body, on one line, for error messages. */
export function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > SHOWN_BYTES ? `${oneLine.slice(0, SHOWN_BYTES)}…` : oneLine
}

function mediaKind(contentType: string): BodyKind | 'html' | undefined {
  const type = contentType.toLowerCase()
  if (type.includes('json')) return 'json'
  if (type.includes('html')) return 'html'
  if (type.includes('xml')) return 'xml'
  if (type.startsWith('text/')) return 'text'
  return undefined
}

let xml: { parser: XMLParser; validator: typeof XMLValidator } | undefined

/**
 * Loads the XML parser (a chunk of its own in dist/, issue 16): most runs never see XML. Whoever parses a body
 * that may be XML awaits `readyToParse` first; parseXml itself stays synchronous.
 */
export async function loadXmlParser(): Promise<void> {
  if (xml) return
  const { XMLParser, XMLValidator } = await import('fast-xml-parser')
  // No DOCTYPE processing at all: entity declarations, internal or external, are refused before parsing.
  xml ??= {
    parser: new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      processEntities: false,
      htmlEntities: false
    }),
    validator: XMLValidator
  }
}

/** Makes parseBody/parseErrorBody ready for this body: loads the XML parser when it may be XML. */
export async function readyToParse(text: string, contentType: string): Promise<void> {
  if (/xml/i.test(contentType) || text.trimStart().startsWith('<')) await loadXmlParser()
}

export function parseXml(text: string): unknown {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new Error('XML with a DOCTYPE or entity declarations is refused')
  if (!xml) throw new Error('the XML parser was not loaded (await readyToParse first)')
  const valid = xml.validator.validate(text)
  if (valid !== true) throw new Error(`invalid XML at line ${valid.err.line}: ${valid.err.msg}`)
  return decodeDeep(xml.parser.parse(text))
}

// A Map, not an object literal: `&constructor;` or `&toString;` must not read Object.prototype.
const PREDEFINED = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"]
])

/**
 * The parser processes no entities (to keep DTD tricks out), so `details="a &amp; b"` would arrive as
 * `a &amp; b`. With DOCTYPE refused only the five predefined entities and character references can occur:
 * decode those, in one pass so `&amp;lt;` stays `&lt;`.
 */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return PREDEFINED.get(name) ?? whole
  })
}

function decodeDeep(value: unknown): unknown {
  if (typeof value === 'string') return decodeXmlEntities(value)
  if (Array.isArray(value)) return value.map(decodeDeep)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, decodeDeep(inner)]))
  }
  return value
}

/**
 * Reads a body as what the caller expects. JSON where JSON was expected; XML when the server answered XML
 * (some vendors do, whatever was asked); text as it came. Anything else is an error that says what came
 * back — status, content type, first bytes — never a parser's stack trace.
 */
export function parseBody(
  text: string,
  contentType: string,
  expected: BodyKind,
  describe: string,
  status: number
): unknown {
  if (expected === 'text') return text
  if (text.trim() === '') return undefined
  const kind = mediaKind(contentType)
  const looksXml =
    text.trimStart().startsWith('<') && kind !== 'html' && !/^\s*<(!doctype\s+html|html)/i.test(text)
  try {
    if (
      kind === 'xml' ||
      (expected === 'xml' && kind !== 'json' && looksXml) ||
      (kind === undefined && looksXml)
    ) {
      return parseXml(text)
    }
    if (kind === 'html' || /^\s*<(!doctype\s+html|html)/i.test(text)) throw new Error('an HTML page')
    return JSON.parse(text)
  } catch (error) {
    const what = errorFields(error).message
    const unreadable = new UnreadableBodyError(
      `${describe} answered HTTP ${status} with ${contentType || 'no content type'} where ${expected.toUpperCase()} was expected (${what}): ${preview(text)}`,
      {
        httpStatus: status,
        transient: status >= 500,
        hint: 'A proxy, load balancer or login page may be answering instead of the API; check base-url.'
      }
    )
    unreadable.garbled = kind !== 'html' && !/DOCTYPE|entity|HTML page/.test(what)
    throw unreadable
  }
}

/** Parses an error response leniently: JSON or XML when it is, text otherwise. Never throws. */
export function parseErrorBody(text: string, contentType: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return parseBody(text, contentType, 'json', '', 0)
  } catch {
    return text
  }
}
