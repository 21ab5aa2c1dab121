import type * as z from 'zod/mini'
import type { InputProblem } from './problems.js'
import { ActionInputsSchema, INPUT_DEFAULTS, type ActionInputs, type InputName } from './schema.js'

/**
 * Parses each named input from its string form on its own, so one bad value hides no other problem; a bad
 * value is replaced by its default (or left out) to let the checks that follow run too. Action inputs and
 * config file fields both come through here.
 */
export function parseFields<Name extends InputName>(
  raw: Partial<Record<Name, string>>,
  names: readonly Name[]
): { values: Pick<ActionInputs, Name>; problems: InputProblem[] } {
  const problems: InputProblem[] = []
  const values: Record<string, unknown> = {}
  for (const name of names) {
    const schema = ActionInputsSchema.shape[name] as z.ZodMiniType
    const text = raw[name]
    const parsed = schema.safeParse(text)
    if (parsed.success) {
      values[name] = parsed.data
      continue
    }
    for (const issue of parsed.error.issues)
      problems.push({ input: name, value: text, problem: issue.message })
    const fallback = INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]
    values[name] = fallback === undefined ? undefined : schema.parse(fallback)
  }
  return { values: values as Pick<ActionInputs, Name>, problems }
}
