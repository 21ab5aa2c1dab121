/**
 * `lastModified` as the console writes it: `%day, %dayNumber %month %year %hour:%minutes:%seconds[.%thousandths]
 * %timeZone` ("Mon, 5 Sep 2011 12:19:15 GMT-03:00" on the Managing Deployments page, "Thu, 18 Apr 2013
 * 13:54:09.443 ART" in deployments.adoc). Used only to order deployments for `operation: status` without a
 * target; undefined when the text has another form.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
/** ASSUMED: the few zone abbreviations a Java console prints by default; anything else counts as GMT. */
const ZONES: Record<string, number> = {
  GMT: 0,
  UTC: 0,
  ART: -180,
  BRT: -180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  CET: 60,
  CEST: 120,
  BST: 60,
  IST: 330
}

export function parseLastModified(text: string | null | undefined): number | undefined {
  const match =
    /^\s*\w+,\s*(\d{1,2})\s+(\w{3})\w*\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?\s*(.*)$/.exec(
      text ?? ''
    )
  if (!match) return undefined
  const [, day, month, year, hour, minute, second, millis, zone] = match
  const monthIndex = MONTHS.indexOf((month ?? '').toLowerCase())
  if (monthIndex < 0) return undefined
  const offsetMatch = /^(?:GMT|UTC)\s*([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone?.trim() ?? '')
  const offset = offsetMatch
    ? (offsetMatch[1] === '-' ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3] ?? 0))
    : (ZONES[(zone ?? '').trim().toUpperCase()] ?? 0)
  const utc = Date.UTC(
    Number(year),
    monthIndex,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number((millis ?? '0').padEnd(3, '0'))
  )
  return utc - offset * 60_000
}
