import * as z from '../zod.js'

const ResultsSchema = z.array(
  z.looseObject({ name: z.string(), 'task-id': z.union([z.string(), z.number()]) })
)

/**
 * With `config` and `operation: await`, `task-id` says which job each deployment follows: the `results`
 * output of the step that started them (JSON), or `name=id` pairs separated by commas or new lines.
 */
export function parseTaskIds(text: string): { ids: Map<string, string>; problem?: string } {
  const ids = new Map<string, string>()
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) {
    let json: unknown
    try {
      json = JSON.parse(trimmed)
    } catch {
      return { ids, problem: 'looks like JSON but is not valid JSON; pass the results output unchanged' }
    }
    const results = ResultsSchema.safeParse(json)
    if (!results.success)
      return { ids, problem: 'must be the results output: a list of objects with name and task-id' }
    for (const result of results.data)
      if (String(result['task-id'])) ids.set(result.name, String(result['task-id']))
    return { ids }
  }
  for (const pair of trimmed
    .split(/[\n,]/)
    .map(item => item.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\S.*)$/.exec(pair)
    if (!match) {
      return {
        ids,
        problem: `'${pair}' is not name=id; with config, give the results output of the step that started the jobs, or name=id pairs`
      }
    }
    ids.set(match[1] ?? '', (match[2] ?? '').trim())
  }
  return { ids }
}
