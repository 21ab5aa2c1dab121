import { ActionError } from '../errors.js'

/** One thing wrong with the inputs: which input, what it held, what would be valid. */
export interface InputProblem {
  input: string
  value?: string
  problem: string
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
  return `input '${problem.input}'${showValue(problem)}: ${problem.problem}`
}

/** Every problem at once, in one error, so a user fixes them in one round. */
export function problemsError(problems: InputProblem[]): ActionError {
  const heading =
    problems.length === 1 ? 'The inputs have 1 problem:' : `The inputs have ${problems.length} problems:`
  return new ActionError([heading, ...problems.map(p => `  - ${describeProblem(p)}`)].join('\n'), {
    hint: 'Nothing was sent to any server. See the README for every input and its valid values.'
  })
}
