import { ActionError } from '../errors.js'

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
const SHOWN_VALUE_LENGTH = 80

function showValue(problem: InputProblem): string {
  if (problem.value === undefined) return ''
  if (SECRET_INPUTS.has(problem.input)) return ' (value hidden)'
  const oneLine = problem.value.replace(/\s+/g, ' ').trim()
  const shown = oneLine.length > SHOWN_VALUE_LENGTH ? `${oneLine.slice(0, SHOWN_VALUE_LENGTH)}…` : oneLine
  return ` '${shown}'`
}

export function describeProblem(problem: InputProblem): string {
  const where = problem.location ? ` (${problem.location})` : ''
  if (problem.entry)
    return `${problem.entry} field '${problem.input}'${showValue(problem)}${where}: ${problem.problem}`
  return `input '${problem.input}'${showValue(problem)}${where}: ${problem.problem}`
}

/** Every problem at once, in one error, so a user fixes them in one round. */
export function problemsError(problems: InputProblem[]): ActionError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`
  return new ActionError(
    [`The inputs have ${count}:`, ...problems.map(p => `  - ${describeProblem(p)}`)].join('\n'),
    {
      hint: 'Nothing was sent to any server. See the README (and docs/config.md for config files) for every input and its valid values.'
    }
  )
}
