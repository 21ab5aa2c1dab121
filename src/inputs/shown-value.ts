import { REDACTED } from '../secrets.js'

const SHOWN_VALUE_LENGTH = 80
/** `scheme://userinfo@host…`: the start of a URL that carries credentials. */
// Bounded repetitions: a 1 MB value must not make these backtrack quadratically.
const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]{0,31}):\/\/[^/?#]{0,1024}@([^/?#]{0,1024})/i
// Anywhere in the value: whatever follows a `://` up to its last `@` before the host, whatever the scheme (one
// that starts with a digit or runs long still counts: more is masked, never less), since a password may hold
// an `@` unencoded.
const USERINFO_ANYWHERE = /:\/\/[^\s/?#]{0,1024}@/g

/**
 * How a refused input value is quoted in the problem: on one line, cut to a readable length, and never
 * with a secret in it. A value that is or holds a known credential shows as `***`; a URL with user info
 * (`https://user:password@host`) shows as its scheme and host only.
 */
export function shownValue(value: string, conceals?: (value: string) => boolean): string {
  if (conceals?.(value)) return REDACTED
  const withUserinfo = URL_WITH_USERINFO.exec(value.trim())
  if (withUserinfo) return `${withUserinfo[1]}://${withUserinfo[2]}`
  // Only the start is ever shown; the rest need not be searched.
  const oneLine = value
    .slice(0, 16 * SHOWN_VALUE_LENGTH)
    .replace(USERINFO_ANYWHERE, `://${REDACTED}@`)
    .replace(/\s+/g, ' ')
    .trim()
  return oneLine.length > SHOWN_VALUE_LENGTH ? `${oneLine.slice(0, SHOWN_VALUE_LENGTH)}…` : oneLine
}
