import type { RemoteStatus } from '../driver.js'

/**
 * Workflow request statuses (Workflow Request API, workflowRequestStatus:
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API). The page calls only
 * COMPLETED and FAILED final, but ABORTED and REJECTED never move on either (the Jenkins plugin stops on all four).
 */
const STATUSES: Record<string, { state: RemoteStatus['state']; label: string }> = {
  INITIATED: { state: 'running', label: 'initiated' },
  PENDING_APPROVAL: { state: 'running', label: 'waiting for approval' },
  SCHEDULED: { state: 'running', label: 'scheduled' },
  READY: { state: 'running', label: 'ready' },
  SUBMITTED: { state: 'running', label: 'running' },
  COMPLETED: { state: 'succeeded', label: 'completed' },
  FAILED: { state: 'failed', label: 'failed' },
  REJECTED: { state: 'failed', label: 'rejected' },
  ABORTED: { state: 'canceled', label: 'aborted' }
}

export function isKnownStatus(code: string): boolean {
  return normalize(code) in STATUSES
}

function normalize(code: string): string {
  return code.trim().toUpperCase()
}

/** One workflow request's reading, in the shared vocabulary. */
export interface RequestReading {
  id: number
  code: string
  /** `ProcessHRRequest 1.0.8`: what the request runs, for messages. */
  subject?: string
  details: unknown
}

export function stateOf(code: string): RemoteStatus['state'] {
  return STATUSES[normalize(code)]?.state ?? 'running'
}

export function labelOf(code: string): string {
  return STATUSES[normalize(code)]?.label ?? `unknown status '${code}'`
}

function describe(reading: RequestReading): string {
  const code = normalize(reading.code)
  const name = `Workflow request ${reading.id}${reading.subject ? ` (${reading.subject})` : ''}`
  switch (code) {
    case 'PENDING_APPROVAL':
      return `${name} is waiting for approval in FlexDeploy; it starts only once an approver approves it there`
    case 'SCHEDULED':
      return `${name} is scheduled; FlexDeploy starts it at its requested start time`
    case 'COMPLETED':
      return `${name} completed`
    case 'FAILED':
      return `${name} failed`
    case 'REJECTED':
      return `${name} was rejected by an approver in FlexDeploy`
    case 'ABORTED':
      return `${name} was aborted in FlexDeploy`
    default:
      return isKnownStatus(code)
        ? `${name} is ${labelOf(code)}`
        : `${name} has status '${reading.code}', unknown to this action; still waiting`
  }
}

/** Which running label to show first when several requests run: the one a person must act on. */
const RUNNING_ORDER = ['PENDING_APPROVAL', 'SCHEDULED', 'SUBMITTED', 'READY', 'INITIATED']

/**
 * Every request of one trigger, as one status: running until all ended; succeeded only when all completed;
 * failed when any failed or was rejected; otherwise canceled (some were aborted).
 */
export function aggregate(readings: RequestReading[]): RemoteStatus {
  const first = readings[0]
  if (!first) throw new Error('aggregate needs at least one workflow request')
  const details = readings.length === 1 ? first.details : readings.map(reading => reading.details)
  const codes = [...new Set(readings.map(reading => normalize(reading.code)))]
  const code =
    readings.length === 1 ? first.code : readings.map(r => `${r.id}:${normalize(r.code)}`).join(', ')
  if (readings.length === 1) {
    return { state: stateOf(first.code), code, label: labelOf(first.code), message: describe(first), details }
  }
  const running = readings.filter(reading => stateOf(reading.code) === 'running')
  if (running.length > 0) {
    const shown =
      RUNNING_ORDER.map(status => running.find(reading => normalize(reading.code) === status)).find(
        Boolean
      ) ?? (running[0] as RequestReading)
    const ended = readings.length - running.length
    // REJECTED, FAILED or ABORTED while others still run: the outcome is already failed (issue 15).
    const broken = readings.filter(reading => ['failed', 'canceled'].includes(stateOf(reading.code)))
    const unfinished = running.map(reading => reading.id).join(', ')
    const failure = broken.length
      ? `${broken.map(describe).join('; ')}; workflow request${running.length > 1 ? 's' : ''} ${unfinished} did not finish`
      : undefined
    return {
      state: 'running',
      code,
      label: labelOf(shown.code),
      message: `${describe(shown)} (${ended} of ${readings.length} workflow requests ended${broken.length ? `; ${broken.map(describe).join('; ')}` : ''})`,
      details,
      ...(failure ? { failure } : {})
    }
  }
  const failed = readings.filter(reading => stateOf(reading.code) === 'failed')
  const aborted = readings.filter(reading => stateOf(reading.code) === 'canceled')
  if (failed.length === 0 && aborted.length === 0) {
    return {
      state: 'succeeded',
      code,
      label: 'completed',
      message: `All ${readings.length} workflow requests completed (${readings.map(r => r.id).join(', ')})`,
      details
    }
  }
  const worst = failed.length > 0 ? failed : aborted
  const completed = readings.length - failed.length - aborted.length
  return {
    state: failed.length > 0 ? 'failed' : 'canceled',
    code,
    label: codes.length === 1 ? labelOf(first.code) : labelOf((worst[0] as RequestReading).code),
    message: `${worst.map(describe).join('; ')}; ${completed} of ${readings.length} workflow requests completed`,
    details
  }
}
