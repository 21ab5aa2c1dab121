import type { DryRunCheck, FinalStatus } from '../drivers/driver.js'
import type { Deployment, Platform } from '../inputs/schema.js'

/** Everything the reports need about one deployment, however it ended. */
export interface DeploymentResult {
  name: string
  platform: Platform
  operation: string
  target?: string
  status: FinalStatus
  taskId?: string
  url?: string
  /** The platform's last message, or the action's own reason. */
  message: string
  /** What to do about a failure, when we know. */
  hint?: string
  /** The vendor's last status code and its plain words. */
  remoteCode?: string
  remoteLabel?: string
  percent?: number
  durationSeconds: number
  logFile?: string
  logTail: string[]
  details?: unknown
  warnings: string[]
  /** Deployments run because of this one (an EPMware rollback after a failure). */
  followUps: DeploymentResult[]
  /** With dry-run: every check made, passed or not. */
  checks?: DryRunCheck[]
}

/** A remote log as report/ saved it. */
export interface SavedLog {
  file: string
  bytes: number
  tail: string[]
  /** Why the download stopped before the server ended it (the deadline, a broken connection). */
  cut?: string
}

/** Every deployment of the step, rollbacks included, in the order they ran. */
export function flatten(results: DeploymentResult[]): DeploymentResult[] {
  return results.flatMap(result => [result, ...flatten(result.followUps)])
}

/** The worst outcome among several: what the step as a whole reports. */
export function overallStatus(results: DeploymentResult[]): FinalStatus {
  const order: FinalStatus[] = ['failed', 'timed-out', 'canceled', 'started', 'skipped', 'succeeded']
  const statuses = new Set(results.map(result => result.status))
  return order.find(status => statuses.has(status)) ?? 'succeeded'
}

/**
 * The deployment that speaks for the step: the only one, or with several the first whose outcome is the
 * overall one (the failure that failed the step); its log file, details and url are the step's.
 */
export function decidingResult(results: DeploymentResult[]): DeploymentResult | undefined {
  const all = flatten(results)
  if (results.length <= 1) return results[0]
  const overall = overallStatus(all)
  return all.find(result => result.status === overall) ?? results[0]
}

/** The result of a deployment that never started (a dependency failed, the run was cancelled). */
export function notRunResult(
  deployment: Deployment,
  status: 'skipped' | 'canceled' | 'failed',
  message: string
): DeploymentResult {
  return {
    name: deployment.name,
    platform: deployment.platform,
    operation: deployment.operation,
    target: deployment.target,
    status,
    message,
    durationSeconds: 0,
    logTail: [],
    warnings: [],
    followUps: []
  }
}
