import type { Driver, DriverDefinition, TaskRef } from '../drivers/driver.js'
import { toActionError } from '../errors.js'

/** Time left for the remote cancel once the runner has sent SIGINT (it kills the step 7.5 s later). */
export const ABORT_CANCEL_BUDGET_MS = 4000
export const TIMEOUT_CANCEL_BUDGET_MS = 15_000

/**
 * Asks the platform to cancel, within a budget, where the user allows it and the platform can; says what
 * happened in words for the log and summary.
 */
export async function requestRemoteCancel(
  driver: Driver,
  task: TaskRef,
  budgetMs: number,
  definition: Pick<DriverDefinition, 'noCancelReason' | 'nothingRunsRemotely'>,
  allowed: { enabled: boolean; input: 'cancel-on-timeout' | 'cancel-on-abort' }
): Promise<string> {
  if (definition.nothingRunsRemotely) return definition.noCancelReason ?? 'nothing runs on the server'
  if (!allowed.enabled) return `${allowed.input} is false; task ${task.id} keeps running on the server`
  if (!driver.cancel) {
    return `${definition.noCancelReason ?? 'this platform has no API to cancel a job'}; task ${task.id} may still be running on the server`
  }
  try {
    const answer = await driver.cancel(task, AbortSignal.timeout(budgetMs))
    return `cancel requested for task ${task.id}: ${answer}`
  } catch (error) {
    return `could not cancel task ${task.id}: ${toActionError(error).message}`
  }
}
