import type { Driver, DriverDefinition, TaskRef } from '../drivers/driver.js'
import { toActionError } from '../errors.js'

/** What asking for a cancel came to: words for the message, and whether the job may still run. */
export interface CancelOutcome {
  said: string
  /** The one sentence that says the job goes on without us, when it does; printed once as a warning. */
  stillRunning?: string
}

/** The sentence a platform without a cancel call gets, naming the task that may still be running. */
export function noCancelSentence(reason: string, taskId: string): string {
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}: task ${taskId} may still be running on the server.`
}

/**
 * Asks the platform to cancel, within the signal's budget, where the user allows it and the platform can;
 * says what happened in words for the log and summary.
 */
export async function requestRemoteCancel(
  driver: Driver,
  task: TaskRef,
  signal: AbortSignal,
  definition: Pick<DriverDefinition, 'noCancelReason' | 'nothingRunsRemotely'>,
  allowed: { enabled: boolean; input: 'cancel-on-timeout' | 'cancel-on-abort' }
): Promise<CancelOutcome> {
  if (definition.nothingRunsRemotely)
    return { said: definition.noCancelReason ?? 'nothing runs on the server' }
  if (!allowed.enabled) {
    const sentence = `${allowed.input} is false: task ${task.id} keeps running on the server.`
    return { said: sentence, stillRunning: sentence }
  }
  if (!driver.cancel) {
    const sentence = noCancelSentence(
      definition.noCancelReason ?? 'this platform has no API to cancel a job',
      task.id
    )
    return { said: sentence, stillRunning: sentence }
  }
  try {
    const answer = await driver.cancel(task, signal)
    return { said: `cancel requested for task ${task.id}: ${answer}` }
  } catch (error) {
    const sentence = `Could not cancel task ${task.id} (${toActionError(error).message}): it may still be running on the server.`
    return { said: sentence, stillRunning: sentence }
  }
}
