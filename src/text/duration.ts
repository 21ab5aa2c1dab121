/** How durations are printed back: used by the inputs' messages, the HTTP client, the drivers and the report. */

/** 5400000 → `1h30m`, 90000 → `1m30s`, 1500 → `1.5s`: how durations are printed back. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  return [hours && `${hours}h`, minutes && `${minutes}m`, seconds && `${seconds}s`].filter(Boolean).join('')
}
