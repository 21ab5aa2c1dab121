/**
 * Values blanked in structured output (`details`, `results`) whatever they hold: fields whose name says they
 * hold a secret, and the password inside any URL or connection string. SECURITY.md lists these patterns.
 */

/** Case-insensitive parts of a field name that mark it as secret: `dbPassword`, `refresh_token`, `privateKey`. */
export const SECRET_FIELD_PARTS = [
  'pass',
  'pwd',
  'secret',
  'token',
  'key',
  'credential',
  'cookie',
  'authorization',
  'session'
] as const

const SECRET_FIELD = new RegExp(SECRET_FIELD_PARTS.join('|'), 'i')

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name)
}

// Every repetition is bounded: an unbounded one would backtrack quadratically over a long run of letters.
// After any `://` (whatever scheme precedes it), the user, then the password up to the last `@` before the host:
// a password may hold an `@` unencoded, and a token used as one may run to a kilobyte.
const URL_PASSWORD = /(:\/\/[^\s/?#@:]{0,256}):[^\s/?#]{0,1024}@/g
/** Oracle's thin driver: `jdbc:oracle:thin:scott/tiger@//host:1521/service`. */
const ORACLE_PASSWORD = /(jdbc:oracle:[a-z0-9]{1,16}:[^\s/@:]{1,256})\/[^\s@]{0,256}@/gi
/** `jdbc:mysql://host/db?user=app&password=…`, `;password=…` (SQL Server), `&pwd=…`. */
const QUERY_PASSWORD = /([?&;](?:password|passwd|pwd|pass)=)[^&;\s]*/gi

/** The text with the password of every URL or connection string in it replaced by `***`; the user is kept. */
export function blankUrlPasswords(text: string, replacement: string): string {
  let result = text
  // Fast paths: each pattern needs that text to match, so skipping it changes nothing but time (every log line
  // comes through here: 2000 ordinary lines take 13 ms with them, 786 ms without). Their mutants are equivalent.
  // Stryker disable next-line ConditionalExpression,StringLiteral: fast path, equivalent
  if (result.includes('@')) {
    // Stryker disable next-line ConditionalExpression,StringLiteral: fast path, equivalent
    if (result.includes('://')) result = result.replace(URL_PASSWORD, `$1:${replacement}@`)
    // Stryker disable next-line ConditionalExpression,Regex: fast path, equivalent
    if (/jdbc:oracle:/i.test(result)) result = result.replace(ORACLE_PASSWORD, `$1/${replacement}@`)
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: fast path, equivalent
  if (result.includes('=')) result = result.replace(QUERY_PASSWORD, `$1${replacement}`)
  return result
}
