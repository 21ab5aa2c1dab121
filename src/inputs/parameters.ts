import { parseDocument } from 'yaml'
import { errorFields } from '../errors.js'
import type { InputProblem } from './problems.js'

/** The `parameters` input: a YAML (or JSON, which is YAML) mapping. Problems name the line and column. */
export function parseParameters(text: string | undefined): {
  value: Record<string, unknown>
  problems: InputProblem[]
} {
  if (text === undefined || text.trim() === '') return { value: {}, problems: [] }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  const firstError = document.errors[0]
  if (firstError) {
    const where = firstError.linePos?.[0]
    const position = where ? ` at line ${where.line}, column ${where.col}` : ''
    const reason = firstError.message.split('\n')[0] ?? 'unreadable'
    return {
      value: {},
      problems: [
        { input: 'parameters', value: text, problem: `is not valid YAML or JSON${position}: ${reason}` }
      ]
    }
  }
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // An alias to nothing, or one that expands too far (a "billion laughs"), only fails when resolved.
    const reason = errorFields(error).message.split('\n')[0]
    return {
      value: {},
      problems: [{ input: 'parameters', value: text, problem: `is not usable YAML or JSON: ${reason}` }]
    }
  }
  if (value === null || value === undefined) return { value: {}, problems: [] }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      value: {},
      problems: [
        {
          input: 'parameters',
          value: text,
          problem: 'must be a mapping of field names to values, e.g. `rollback: ASOALL_BACKOUT`'
        }
      ]
    }
  }
  return { value: value as Record<string, unknown>, problems: [] }
}
