/** A point in time as RPM (or the user) wrote it: the text kept for messages, the instant for comparing. */
export interface RpmTime {
  text: string
  ms: number
}

// ISO 8601 with an explicit offset, as Rails renders datetimes (`2014-04-24T08:00:00-04:00`, REST deployment
// window events page); a space instead of `T` and `UTC` for `Z` are accepted too (Ruby's `Time#to_s`).
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})$/i

/**
 * Reads a date and time with its offset. A time without one is refused: it would mean the RPM server's
 * own time zone, which the runner cannot know.
 */
export function parseRpmTime(text: string): RpmTime | undefined {
  const trimmed = text.trim()
  const match = ISO_WITH_OFFSET.exec(trimmed)
  if (!match) return undefined
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone = 'Z'] = match
  const fields = [year, month, day, hour, minute].map(Number) as [number, number, number, number, number]
  const [y, mo, d, h, mi] = fields
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || Number(second) > 59) return undefined
  const local = Date.UTC(y, mo - 1, d, h, mi, Number(second), Math.round(Number(`0.${fraction}`) * 1000))
  const check = new Date(local)
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined
  return { text: trimmed, ms: local - offsetMinutes(zone) * 60_000 }
}

function offsetMinutes(zone: string): number {
  if (/^(z|utc)$/i.test(zone)) return 0
  const digits = zone.replace(':', '')
  const sign = digits.startsWith('-') ? -1 : 1
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)))
}

export const TIME_FORMAT_HINT =
  'use an ISO 8601 date and time with its offset, e.g. 2026-05-01T22:00:00+02:00'
