import { ActionError } from '../errors.js'
import { shownValue } from './shown-value.js'

/** One thing wrong with the inputs: which input, what it held, what would be valid. */
export interface InputProblem {
  input: string
  value?: string
  problem: string
  /** The parameter key a `parameters` problem is about, so a config file problem can point at its line. */
  key?: string
  /** In a config file: the entry the field belongs to, e.g. `deployments[1] 'planning-metadata'`. */
  entry?: string
  /** Where in a value the problem is, in words (`line 2, column 5` of the `parameters` input). */
  location?: string
  /** In a config file: the file and, when known, the line and column (1-based) — shown as `file:line:column`. */
  position?: FilePosition
}

/** A place in a file the workflow names (a config file): what an annotation points at. */
export interface FilePosition {
  file: string
  line?: number
  column?: number
}

/** `file:line:column`, or the file alone when the line is not known. */
export function formatPosition(position: FilePosition): string {
  return position.line === undefined
    ? position.file
    : `${position.file}:${position.line}${position.column === undefined ? '' : `:${position.column}`}`
}

const SECRET_INPUTS = new Set(['token', 'password', 'github-token'])

function showValue(problem: InputProblem, conceals?: (value: string) => boolean): string {
  if (problem.value === undefined) return ''
  if (SECRET_INPUTS.has(problem.input)) return ' (value hidden)'
  return ` '${shownValue(problem.value, conceals)}'`
}

/** The problem in one line; `conceals` says which values hold a known credential (shown as `***`). */
export function describeProblem(problem: InputProblem, conceals?: (value: string) => boolean): string {
  const at = problem.position ? formatPosition(problem.position) : problem.location
  const where = at ? ` (${at})` : ''
  const value = showValue(problem, conceals)
  if (problem.entry) return `${problem.entry} field '${problem.input}'${value}${where}: ${problem.problem}`
  return `input '${problem.input}'${value}${where}: ${problem.problem}`
}

/** Every problem at once, in one error, so a user fixes them in one round. */
export function problemsError(problems: InputProblem[], conceals?: (value: string) => boolean): ActionError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  return new ActionError(
    [`The inputs have ${count}:`, ...problems.map(p => `  - ${describeProblem(p, conceals)}`)].join('\n'),
    {
      items: problems.map(p => ({ text: describeProblem(p, conceals), ...p.position })),
      hint: 'Nothing was sent to any server. See the README (and docs/config.md for config files) for every input and its valid values.'
    }
  )
}
