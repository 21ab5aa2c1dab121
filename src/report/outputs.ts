import * as core from '@actions/core'
import type { DeploymentResult } from '../engine/result.js'
import type { Redactor } from '../secrets.js'

/** Every deployment of the step, rollbacks included, in the order they ran. */
export function flatten(results: DeploymentResult[]): DeploymentResult[] {
  return results.flatMap(result => [result, ...flatten(result.followUps)])
}

export function resultsJson(results: DeploymentResult[]): object[] {
  return flatten(results).map(result => ({
    name: result.name,
    platform: result.platform,
    status: result.status,
    'task-id': result.taskId ?? '',
    message: result.message,
    duration: result.durationSeconds
  }))
}

/** The step's outputs, all of them, whatever the outcome; every value scrubbed of secrets. */
export function writeOutputs(main: DeploymentResult, all: DeploymentResult[], redactor: Redactor): void {
  const set = (name: string, value: string) => core.setOutput(name, redactor.scrub(value))
  set('status', main.status)
  set('task-id', main.taskId ?? '')
  set('message', main.message)
  set('duration', String(main.durationSeconds))
  set('log-file', main.logFile ?? '')
  set('details', main.details === undefined ? '' : JSON.stringify(redactor.scrubValue(main.details)))
  set('url', main.url ?? '')
  set('results', JSON.stringify(resultsJson(all)))
}

/** Published the moment the platform accepts the trigger, so a cancelled run still names the job. */
export function publishTaskId(taskId: string, redactor: Redactor): void {
  core.setOutput('task-id', redactor.scrub(taskId))
}
