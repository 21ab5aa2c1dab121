import { ActionError } from '../errors.js'

/** `.`, `..` and their percent-encoded forms: URL parsers resolve them, climbing out of the API's path. */
const DOT_SEGMENT = /^(\.|%2e){1,2}$/i

/**
 * Refuses a request path that would not stay where the driver put it: a dot segment (from a target or a
 * task id) would be resolved away, and `?` or `#` would end the path early.
 */
export function assertContainedPath(path: string, description: string): void {
  const segments = path.split('/')
  const bad = segments.find(segment => DOT_SEGMENT.test(segment))
  if (bad === undefined && !/[?#]/.test(path)) return
  throw new ActionError(
    `Refused to send ${description}: ${bad === undefined ? 'a ? or #' : `the path segment '${bad}'`} would take the request outside the API path it is meant for`,
    { hint: 'Check target and task-id: they are sent as one path segment and cannot be . or ..' }
  )
}
