import type { RemoteStatus } from '../driver.js'

/** EPMware task status codes (Task module overview; get_status page lists N, S, E). */
const CODES: Record<string, { state: RemoteStatus['state']; label: string }> = {
  N: { state: 'running', label: 'queued' },
  P: { state: 'running', label: 'pending' },
  R: { state: 'running', label: 'running' },
  S: { state: 'succeeded', label: 'completed' },
  W: { state: 'succeeded', label: 'completed with warnings' },
  E: { state: 'failed', label: 'failed' },
  C: { state: 'canceled', label: 'cancelled' }
}

export function mapTaskStatus(
  code: string,
  percent: string | null | undefined,
  message: string | null | undefined,
  details: unknown
): RemoteStatus {
  const known = CODES[code.trim().toUpperCase()]
  const percentNumber =
    percent !== null && percent !== undefined && percent !== '' ? Number(percent) : undefined
  const status: RemoteStatus = {
    state: known?.state ?? 'running',
    code,
    label: known?.label ?? `unknown status '${code}'`,
    message: message ?? undefined,
    percent: Number.isFinite(percentNumber) ? percentNumber : undefined,
    details
  }
  if (code.trim().toUpperCase() === 'W') {
    status.warning = `EPMware finished with warnings${message ? `: ${message}` : ''}`
  }
  return status
}

export function isKnownCode(code: string): boolean {
  return code.trim().toUpperCase() in CODES
}
