const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const

/**
 * Parses `90s`, `30m`, `2h`, `1h30m`, `1500ms` or a bare number of minutes into milliseconds.
 * Returns undefined for anything else, so the caller can name the input in its message.
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase()
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * UNIT_MS.m)
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value)) return undefined
  let total = 0
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]
  }
  return Math.round(total)
}
