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
  /** In a config file: `file:line:column`. */
  location?: string
}

const SECRET_INPUTS = new Set(['token', 'password', 'github-token'])

function showValue(problem: InputProblem, conceals?: (value: string) => boolean): string {
  if (problem.value === undefined) return ''
  if (SECRET_INPUTS.has(problem.input)) return ' (value hidden)'
  return ` '${shownValue(problem.value, conceals)}'`
}

/** The problem in one line; `conceals` says which values hold a known credential (shown as `***`). */
export function describeProblem(problem: InputProblem, conceals?: (value: string) => boolean): string {
  const where = problem.location ? ` (${problem.location})` : ''
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
      hint: 'Nothing was sent to any server. See the README (and docs/config.md for config files) for every input and its valid values.'
    }
  )
}
