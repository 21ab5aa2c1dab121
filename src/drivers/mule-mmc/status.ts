import type { RemoteStatus } from '../driver.js'
import type { MmcDeployment } from './schemas.js'

/** What ends the watch: the state the operation leads to, or any settled state (`operation: await`). */
export type Expectation = 'deployed' | 'undeployed' | 'gone' | 'settled'

/** The deployment as it stood before the trigger: a reading equal to it is not yet the operation's result. */
export interface StartingPoint {
  status?: string
  lastModified?: string
}

export interface Watch {
  expect: Expectation
  start?: StartingPoint
  /** Whether a reading has differed from the starting point (the console picked the operation up). */
  left: boolean
  /** Whether IN_PROGRESS (or DELETING) was seen: only then is another settled state the operation's end. */
  progressed?: boolean
}

const DEPLOYED = new Set(['DEPLOYED', 'SUCCESSFUL'])

const LABELS: Record<string, string> = {
  DEPLOYED: 'deployed',
  SUCCESSFUL: 'successful',
  UNDEPLOYED: 'undeployed',
  IN_PROGRESS: 'in progress',
  FAILED: 'failed',
  DELETING: 'deleting'
}

export const KNOWN_STATUSES = Object.keys(LABELS)

export function labelOf(status: string): string {
  return LABELS[status.toUpperCase()] ?? `unknown status '${status}'`
}

function reached(expect: Expectation, status: string): boolean {
  if (expect === 'deployed') return DEPLOYED.has(status)
  if (expect === 'undeployed') return status === 'UNDEPLOYED'
  if (expect === 'settled') return DEPLOYED.has(status) || status === 'UNDEPLOYED'
  return false
}

function differsFromStart(deployment: MmcDeployment, start: StartingPoint | undefined): boolean {
  if (!start) return true
  return (
    deployment.status.toUpperCase() !== start.status?.toUpperCase() ||
    (deployment.lastModified ?? undefined) !== start.lastModified
  )
}

/**
 * One reading of a deployment, mapped for the poll loop. A reading equal to the starting point counts as
 * "not started yet" and keeps the loop going, so a console that ignores the trigger ends in a timeout,
 * never in a success it did not earn (redeploying a DEPLOYED deployment reads DEPLOYED before it starts).
 */
export function mapDeployment(deployment: MmcDeployment, watch: Watch): RemoteStatus {
  const status = deployment.status.toUpperCase()
  if (differsFromStart(deployment, watch.start)) watch.left = true
  const base = {
    code: deployment.status,
    label: labelOf(status),
    details: deployment,
    url: deployment.href ?? undefined
  }
  const subject = `Deployment ${deployment.name} (${deployment.id})`
  if (status === 'IN_PROGRESS' || status === 'DELETING') watch.progressed = true
  if (status === 'IN_PROGRESS') return { ...base, state: 'running' }
  if (status === 'DELETING') {
    return watch.expect === 'gone' || watch.expect === 'settled'
      ? { ...base, state: 'running' }
      : { ...base, state: 'failed', message: `${subject} is being deleted` }
  }
  if (!watch.left) {
    return { ...base, state: 'running', label: `${labelOf(status)}, waiting for the console to start` }
  }
  if (status === 'FAILED') return { ...base, state: 'failed', message: `${subject} FAILED` }
  if (reached(watch.expect, status)) {
    return { ...base, state: 'succeeded', message: `${subject} is ${status}` }
  }
  if (watch.expect === 'gone' || !watch.progressed || !KNOWN_STATUSES.includes(status)) {
    return { ...base, state: 'running' }
  }
  return {
    ...base,
    state: 'failed',
    message: `${subject} ended ${status}, not ${watch.expect === 'deployed' ? 'DEPLOYED' : 'UNDEPLOYED'}`
  }
}

/** A 404 while watching: the end of a delete, the failure of anything else. */
export function mapGone(id: string, watch: Watch): RemoteStatus {
  if (watch.expect === 'gone' || watch.expect === 'settled') {
    return { state: 'succeeded', code: 'DELETED', label: 'deleted', message: `Deployment ${id} was deleted` }
  }
  return {
    state: 'failed',
    code: 'NOT_FOUND',
    label: 'not found',
    message: `Deployment ${id} disappeared from the console while it was being watched`
  }
}
