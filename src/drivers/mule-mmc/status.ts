import type { RemoteStatus } from '../driver.js'
import type { MmcDeployment } from './schemas.js'

/**
 * What ends the watch: the state the operation leads to; any settled state (`operation: await`); or, for a
 * create/add/remove the console answered IN_PROGRESS, the moment it leaves IN_PROGRESS (`changed`).
 */
export type Expectation = 'deployed' | 'undeployed' | 'gone' | 'settled' | 'changed'

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
  /** Readings equal to the starting point so far. */
  quiet?: number
  /** Readings DEPLOYED but not reconciled so far. */
  unreconciled?: number
  /** `parameters.allowPartial`: DEPLOYED and not reconciled is a success with a warning. */
  allowPartial?: boolean
}

/**
 * What is out of step on the deployment's servers ("mule1 is STOPPED", "orders-api is not deployed on
 * mule1"): empty when every server runs every application. Read only when the decision needs it.
 */
export type Inspect = (deployment: MmcDeployment) => Promise<string[]>

/**
 * Readings equal to the starting point after which a deploy or redeploy of an already DEPLOYED deployment
 * (or an undeploy of an UNDEPLOYED one) is taken as done, once the per-server state agrees. The Maven plugin
 * (pulsenintegration/Maven-Mule-REST-Plugin, plugin/Deploy.execute) takes the first reading after its POST
 * that is not IN_PROGRESS as the end; a console that finishes a redeploy without ever showing IN_PROGRESS (or
 * whose POST returns when done) therefore ends in seconds here, never by the step's timeout.
 */
export const QUIET_READINGS = 3
/** DEPLOYED but not reconciled this many readings in a row: the deploy has settled short of every server. */
export const UNRECONCILED_READINGS = 3
/** How soon the next reading comes while one of those counts runs (the poll loop keeps it in the deadline). */
export const CONFIRM_READ_MS = 1000

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

function differsFromStart(deployment: MmcDeployment, start: StartingPoint | undefined): boolean {
  if (!start) return true
  return (
    deployment.status.toUpperCase() !== start.status?.toUpperCase() ||
    (deployment.lastModified ?? undefined) !== start.lastModified
  )
}

const subjectOf = (deployment: MmcDeployment) => `Deployment ${deployment.name} (${deployment.id})`

function baseOf(deployment: MmcDeployment): Omit<RemoteStatus, 'state'> {
  return { code: deployment.status, label: labelOf(deployment.status), details: deployment }
}

/**
 * A DEPLOYED (or SUCCESSFUL) reading judged by every server: `reconciled: false` means "at least one server is
 * down and/or at least one app has not been deployed on at least one server" (deployments.adoc, the
 * `reconciled` key; deploying-applications.adoc, "Reconciled Deployments"). After UNRECONCILED_READINGS such
 * readings the deploy has settled short: failed, naming what the per-server state shows out of step, unless
 * allowPartial. `quietEnd`: the reading equals the starting point, so the per-server state must agree too.
 */
async function judgeDeployed(
  deployment: MmcDeployment,
  watch: Watch,
  inspect: Inspect,
  quietEnd: boolean
): Promise<RemoteStatus> {
  const base = baseOf(deployment)
  const subject = subjectOf(deployment)
  const status = deployment.status.toUpperCase()
  if (deployment.reconciled !== false && !quietEnd) {
    return { ...base, state: 'succeeded', message: `${subject} is ${status} and reconciled on every server` }
  }
  if (deployment.reconciled !== false) {
    const problems = await inspect(deployment)
    if (problems.length === 0) {
      return {
        ...base,
        state: 'succeeded',
        message: `${subject} is ${status}: the console never showed IN_PROGRESS, and every server runs every application`
      }
    }
  }
  watch.unreconciled = (watch.unreconciled ?? 0) + 1
  if (watch.unreconciled < UNRECONCILED_READINGS) {
    return {
      ...base,
      state: 'running',
      label: `${labelOf(status)}, not reconciled yet`,
      nextReadInMs: CONFIRM_READ_MS
    }
  }
  const problems = await inspect(deployment)
  const named = problems.length
    ? problems.join('; ')
    : 'the console marks it not reconciled, but the servers’ application lists show nothing out of step'
  const message = `${subject} is ${status} but not on every server: ${named}`
  if (watch.allowPartial) {
    return { ...base, state: 'succeeded', label: 'deployed, partially', message, warning: message }
  }
  return { ...base, state: 'failed', label: 'not reconciled', message }
}

/**
 * One reading of a deployment, mapped for the poll loop. A reading equal to the starting point counts as
 * "not started yet" and keeps the loop going, so a console that ignores a deploy ends in a timeout, never in
 * a success it did not earn; when the goal is already the starting point (a redeploy of a DEPLOYED
 * deployment) QUIET_READINGS such readings and the per-server state end it instead.
 */
export async function mapDeployment(
  deployment: MmcDeployment,
  watch: Watch,
  inspect: Inspect
): Promise<RemoteStatus> {
  const status = deployment.status.toUpperCase()
  if (differsFromStart(deployment, watch.start)) watch.left = true
  const base = baseOf(deployment)
  const subject = subjectOf(deployment)
  if (status === 'IN_PROGRESS' || status === 'DELETING') watch.progressed = true
  if (status === 'IN_PROGRESS') return { ...base, state: 'running' }
  if (status === 'DELETING') {
    return watch.expect === 'gone' || watch.expect === 'settled'
      ? { ...base, state: 'running' }
      : { ...base, state: 'failed', message: `${subject} is being deleted` }
  }
  if (watch.expect === 'changed') {
    if (status === 'FAILED') return { ...base, state: 'failed', message: `${subject} FAILED` }
    return { ...base, state: 'succeeded', message: `${subject} is ${status}` }
  }
  if (!watch.left) {
    const startStatus = watch.start?.status?.toUpperCase() ?? ''
    const goalAlready =
      (watch.expect === 'deployed' && DEPLOYED.has(startStatus)) ||
      (watch.expect === 'undeployed' && startStatus === 'UNDEPLOYED')
    watch.quiet = (watch.quiet ?? 0) + 1
    if (goalAlready && watch.quiet >= QUIET_READINGS) {
      if (watch.expect === 'deployed') return judgeDeployed(deployment, watch, inspect, true)
      return {
        ...base,
        state: 'succeeded',
        message: `${subject} is UNDEPLOYED (it was before; the console showed no change)`
      }
    }
    return {
      ...base,
      state: 'running',
      label: `${labelOf(status)}, waiting for the console to start`,
      ...(goalAlready ? { nextReadInMs: CONFIRM_READ_MS } : {})
    }
  }
  if (status === 'FAILED') return { ...base, state: 'failed', message: `${subject} FAILED` }
  if (DEPLOYED.has(status) && (watch.expect === 'deployed' || watch.expect === 'settled')) {
    return judgeDeployed(deployment, watch, inspect, false)
  }
  if (status === 'UNDEPLOYED' && (watch.expect === 'undeployed' || watch.expect === 'settled')) {
    return { ...base, state: 'succeeded', message: `${subject} is UNDEPLOYED` }
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

/**
 * `operation: status`: the deployment's own state, as the console reports it (THE RULE of the shared
 * contract): DEPLOYED or SUCCESSFUL → succeeded when reconciled (else failed, naming what is out of step,
 * unless allowPartial), UNDEPLOYED → succeeded, FAILED → failed, IN_PROGRESS or DELETING → running; the code
 * is the console's status.
 */
export async function mapCurrent(
  deployment: MmcDeployment,
  inspect: Inspect,
  allowPartial: boolean
): Promise<RemoteStatus> {
  const status = deployment.status.toUpperCase()
  const base = baseOf(deployment)
  const subject = subjectOf(deployment)
  if (status === 'IN_PROGRESS' || status === 'DELETING') {
    return { ...base, state: 'running', message: `${subject} is ${status}` }
  }
  if (DEPLOYED.has(status)) {
    if (deployment.reconciled !== false) {
      return { ...base, state: 'succeeded', message: `${subject} is ${status} and reconciled` }
    }
    const watch: Watch = { expect: 'deployed', left: true, unreconciled: UNRECONCILED_READINGS, allowPartial }
    return judgeDeployed(deployment, watch, inspect, false)
  }
  if (status === 'UNDEPLOYED') return { ...base, state: 'succeeded', message: `${subject} is UNDEPLOYED` }
  if (status === 'FAILED') return { ...base, state: 'failed', message: `${subject} FAILED` }
  return { ...base, state: 'failed', message: `${subject} has a status this action does not know: ${status}` }
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
