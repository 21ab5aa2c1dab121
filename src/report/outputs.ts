import * as core from '@actions/core'
import type { DeploymentResult } from '../engine/result.js'
import type { Redactor } from '../secrets.js'
import { overallStatus } from './summary.js'
import { cleanText, cleanValue, singleLine } from '../text/untrusted.js'

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

/**
 * `3 deployments: 1 succeeded, 1 failed, 1 skipped — hr-services failed: …`: the message of several, said to be
 * a dry run when it was one.
 */
export function overviewMessage(results: DeploymentResult[]): string {
  const all = flatten(results)
  const counts = new Map<string, number>()
  for (const result of all) counts.set(result.status, (counts.get(result.status) ?? 0) + 1)
  const tally = [...counts].map(([status, count]) => `${count} ${status}`).join(', ')
  const deciding = decidingResult(results)
  const overall = overallStatus(all)
  const reason =
    deciding && overall !== 'succeeded' && overall !== 'started'
      ? ` — ${deciding.name} ${deciding.status}: ${deciding.message.split('\n')[0]}`
      : ''
  const dryRun = all.every(result => result.checks !== undefined) ? 'Dry run, nothing triggered: ' : ''
  return `${dryRun}${all.length} deployments: ${tally}${reason}`
}

/**
 * The step's outputs, all of them, whatever the outcome; every value scrubbed of secrets. With several
 * deployments: the overall status, the task ids comma-joined, a one-line overview and the step's duration.
 */
export function writeOutputs(results: DeploymentResult[], redactor: Redactor, stepSeconds: number): void {
  const main = decidingResult(results)
  if (!main) return
  const set = (name: string, value: string) => core.setOutput(name, cleanText(value, redactor))
  const several = results.length > 1
  set('status', several ? overallStatus(flatten(results)) : main.status)
  set('task-id', singleLine(several ? joinedTaskIds(results) : (main.taskId ?? '')))
  set('message', several ? overviewMessage(results) : main.message)
  set('duration', String(several ? stepSeconds : main.durationSeconds))
  set('log-file', main.logFile ?? '')
  set('details', main.details === undefined ? '' : JSON.stringify(cleanValue(main.details, redactor)))
  set('url', main.url ?? '')
  set('results', JSON.stringify(cleanValue(resultsJson(results), redactor)))
}

function joinedTaskIds(results: DeploymentResult[]): string {
  return results
    .map(result => result.taskId)
    .filter(Boolean)
    .join(',')
}

/** Published the moment the platform accepts the trigger, so a cancelled run still names the job. */
export function publishTaskId(taskId: string, redactor: Redactor): void {
  core.setOutput('task-id', cleanText(singleLine(taskId), redactor))
}
