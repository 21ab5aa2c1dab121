import type { InputProblem } from './problems.js'
import { MAX_INPUT_FILE_BYTES } from './small-file.js'
import { parseYaml } from './yaml.js'

/** Twice a file an input may name (a 1 MB value fits): a mapping of a few fields is far shorter. */
const MAX_PARAMETERS_LENGTH = 2 * MAX_INPUT_FILE_BYTES

/** The `parameters` input: a YAML (or JSON, which is YAML) mapping. Problems name the line and column. */
export function parseParameters(text: string | undefined): {
  value: Record<string, unknown>
  problems: InputProblem[]
} {
  if (text === undefined || text.trim() === '') return { value: {}, problems: [] }
  if (text.length > MAX_PARAMETERS_LENGTH) {
    return {
      value: {},
      problems: [
        {
          input: 'parameters',
          value: text,
          problem: `is ${text.length} characters long, more than the ${MAX_PARAMETERS_LENGTH} allowed`
        }
      ]
    }
  }
  const parsed = parseYaml(text)
  if (parsed.problems.length) {
    return {
      value: {},
      problems: parsed.problems.map(problem => ({
        input: 'parameters',
        value: text,
        location: problem.line === undefined ? undefined : `line ${problem.line}, column ${problem.col}`,
        problem: `is not valid YAML or JSON: ${problem.message}`
      }))
    }
  }
  const value = parsed.value
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
