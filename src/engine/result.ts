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
  /** EPMware export: the downloaded file (the `export-file` output). */
  exportFile?: string
  logTail: string[]
  details?: unknown
  warnings: string[]
  /** Deployments run because of this one (an EPMware rollback after a failure). */
  followUps: DeploymentResult[]
  /** With dry-run: every check made, passed or not. */
  checks?: DryRunCheck[]
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
