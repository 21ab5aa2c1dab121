import { parseDocument } from 'yaml'
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
  const value: unknown = document.toJS({ maxAliasCount: 100 })
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
