import { decidingResult, flatten, overallStatus, type DeploymentResult } from '../engine/result.js'
import type { Host } from '../host/host.js'
import type { Redactor } from '../secrets.js'
import { cleanText, cleanValue, singleLine } from '../text/untrusted.js'
import { describeBytes } from '../text/bytes.js'
import { cutToBytes, OUTPUT_LIMITS } from './limits.js'

export function resultsJson(results: DeploymentResult[]): Array<Record<string, string | number>> {
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

/** Every output of the step, as the runner will store it. */
export type OutputValues = Record<(typeof OUTPUT_NAMES)[number], string>
export const OUTPUT_NAMES = [
  'status',
  'task-id',
  'message',
  'duration',
  'log-file',
  'details',
  'url',
  'results',
  'remote-status',
  'export-file',
  'plan'
] as const

/**
 * The step's outputs, all of them, whatever the outcome; every value scrubbed of secrets before it is
 * serialized, and cut to GitHub's limits. With several deployments: the overall status, the task ids
 * comma-joined, a one-line overview and the step's duration. `fullText` names where the uncut values go;
 * `plan` is the `plan` output as planOutput wrote it.
 */
export function outputValues(
  results: DeploymentResult[],
  redactor: Redactor,
  stepSeconds: number,
  fullText: string,
  plan = ''
): { values: OutputValues; cut: boolean } {
  const main = decidingResult(results)
  const several = results.length > 1
  let cut = false
  const marker = (what: string) => (bytes: number) => {
    cut = true
    return ` … [${what} cut: ${describeBytes(bytes)} in all; the whole text is in ${fullText}]`
  }
  const message = cleanText(several ? overviewMessage(results) : (main?.message ?? ''), redactor)
  const details = main?.details === undefined ? '' : JSON.stringify(cleanValue(main.details, redactor))
  const values: OutputValues = {
    status: several ? overallStatus(flatten(results)) : (main?.status ?? 'failed'),
    'task-id': cleanText(singleLine(several ? joinedTaskIds(results) : (main?.taskId ?? '')), redactor),
    message: cutToBytes(message, OUTPUT_LIMITS.message, marker('message')),
    duration: String(several ? stepSeconds : (main?.durationSeconds ?? 0)),
    'log-file': main?.logFile ?? '',
    details:
      Buffer.byteLength(details) <= OUTPUT_LIMITS.details
        ? details
        : JSON.stringify({
            cut: `details cut: ${describeBytes(Buffer.byteLength(details))} in all; the whole text is in ${fullText}`,
            start: cutToBytes(details, OUTPUT_LIMITS.details / 2, marker('details'))
          }),
    url: cleanText(singleLine(main?.url ?? ''), redactor),
    results: cappedResults(results, redactor, marker),
    'remote-status': cleanText(singleLine(main?.remoteCode ?? ''), redactor),
    'export-file': cleanText(singleLine(main?.exportFile ?? ''), redactor),
    plan
  }
  return { values, cut }
}

/** `results` as valid JSON within its limit: messages cut first, then the last entries, with a marker entry. */
function cappedResults(
  results: DeploymentResult[],
  redactor: Redactor,
  marker: (what: string) => (bytes: number) => string
): string {
  const entries = cleanValue(resultsJson(results), redactor).map(entry => ({
    ...entry,
    message: cutToBytes(String(entry.message), OUTPUT_LIMITS.message, marker('message'))
  }))
  let json = JSON.stringify(entries)
  let kept = entries.length
  while (Buffer.byteLength(json) > OUTPUT_LIMITS.results && kept > 0) {
    kept--
    const note = marker('results')(Buffer.byteLength(JSON.stringify(entries)))
    json = JSON.stringify([
      ...entries.slice(0, kept),
      { name: '…', status: '', message: `${entries.length - kept} more deployments${note}` }
    ])
  }
  return json
}

/** Writes the outputs through the host (which knows what to do when its output file cannot be written). */
export function writeOutputs(host: Host, values: Partial<OutputValues>): void {
  for (const [name, value] of Object.entries(values)) host.setOutput(name, value)
}

function joinedTaskIds(results: DeploymentResult[]): string {
  return results
    .map(result => result.taskId)
    .filter(Boolean)
    .join(',')
}

/** Published the moment the platform accepts the trigger, so a cancelled run still names the job. */
export function publishTaskId(host: Host, taskId: string, redactor: Redactor): void {
  writeOutputs(host, { 'task-id': cleanText(singleLine(taskId), redactor) })
}
