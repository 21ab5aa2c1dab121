import { writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { DeploymentResult } from '../engine/result.js'
import { errorFields } from '../errors.js'
import type { Host } from '../host/host.js'
import type { Redactor } from '../secrets.js'
import { flatten } from '../engine/result.js'
import { cleanText, forStepLog, singleLine } from '../text/untrusted.js'
import { cutToBytes, OUTPUT_LIMITS } from './limits.js'
import { outputValues, resultsJson, writeOutputs } from './outputs.js'
import { escapeBlock, renderSummary, type RunLinks } from './summary.js'

export { overviewMessage, publishTaskId } from './outputs.js'

export interface ReportOptions {
  host: Host
  redactor: Redactor
  summary: boolean
  logLines: number
  /** Whole seconds the step took: the `duration` of several deployments. */
  stepSeconds: number
  environment?: string
  /** The workflow run and the commit, linked from the summary. */
  links?: RunLinks
  /**
   * The deployment whose reason the step's failure line gives (a single one that fails the step): it gets no
   * annotation of its own here, so its failure is said once.
   */
  failureLineSays?: string
  /** The runner's temp dir: where the uncut outputs go when an output had to be cut. */
  tempDir: string
  /** The `plan` output (planOutput), '' without a config file. */
  plan?: string
}

/** Outputs, annotations, the log tail on failure and the job summary: everything the step reports. */
export async function report(results: DeploymentResult[], options: ReportOptions): Promise<void> {
  const { redactor, host } = options
  if (results.length === 0) return
  const fullText = path.join(options.tempDir, 'enterprise-deploy', 'outputs-uncut.json')
  const { values, cut } = outputValues(results, redactor, options.stepSeconds, fullText, options.plan)
  if (cut) await saveUncut(host, fullText, results, redactor)
  writeOutputs(host, values)
  for (const result of flatten(results)) {
    const title = singleLine(result.name)
    for (const warning of result.warnings) host.warning(forStepLog(warning, redactor), { title })
    const saidByFailureLine = result === results[0] && options.failureLineSays === result.name
    if (FAILING.has(result.status) && !saidByFailureLine) annotateFailure(host, result, redactor)
  }
  for (const result of results) {
    if (
      result.status !== 'succeeded' &&
      result.status !== 'started' &&
      result.status !== 'skipped' &&
      result.logTail.length
    ) {
      host.info(
        forStepLog(`Last ${result.logTail.length} lines of the remote log of ${result.name}:`, redactor)
      )
      for (const line of result.logTail) host.info(forStepLog(`  ${line}`, redactor))
    }
  }
  if (!options.summary) return
  try {
    const markdown = renderSummary(results.map(shortened), options.logLines, {
      environment: options.environment,
      links: options.links
    })
    await host.appendSummary(cleanText(markdown, redactor))
  } catch (error) {
    host.warning(forStepLog(`Could not write the job summary: ${errorFields(error).message}`, redactor), {
      title: 'enterprise-deploy'
    })
  }
}

/** Outcomes that fail the step: each gets an error annotation titled with the deployment's name. */
const FAILING: ReadonlySet<string> = new Set(['failed', 'timed-out', 'canceled'])

/** `::error title=<deployment>::<why>`: one per deployment that failed, timed out or was canceled. */
function annotateFailure(host: Host, result: DeploymentResult, redactor: Redactor): void {
  const said = result.status === 'timed-out' ? 'timed out' : result.status
  const text = `${result.name} ${said}: ${result.message}${result.hint ? `\nHint: ${result.hint}` : ''}`
  host.error(forStepLog(text, redactor), { title: singleLine(result.name) })
}

/** The summary shows a message as the `message` output does: cut to its limit. */
function shortened(result: DeploymentResult): DeploymentResult {
  return {
    ...result,
    message: cutToBytes(result.message, OUTPUT_LIMITS.message, () => ' … [cut; see the message output]'),
    followUps: result.followUps.map(shortened)
  }
}

async function saveUncut(
  host: Host,
  file: string,
  results: DeploymentResult[],
  redactor: Redactor
): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true })
    const uncut = redactor.scrubValue({ results: resultsJson(results), details: results.map(r => r.details) })
    await writeFile(file, JSON.stringify(uncut, null, 2))
  } catch (error) {
    host.warning(forStepLog(`Could not save the uncut outputs: ${errorFields(error).message}`, redactor), {
      title: 'enterprise-deploy'
    })
  }
}

/**
 * The safety net's report: something unexpected stopped the run, yet every output is written (`failed`,
 * or `canceled` when a signal came first) and the summary says what happened in one line.
 */
export async function reportUnexpected(
  host: Host,
  line: string,
  redactor: Redactor,
  options: { summary: boolean; signal?: string; plan?: string }
): Promise<void> {
  const status = options.signal ? 'canceled' : 'failed'
  const message = cleanText(line, redactor)
  try {
    writeOutputs(host, {
      status,
      message: cutToBytes(message, OUTPUT_LIMITS.message, () => ' …'),
      'task-id': '',
      duration: '0',
      'log-file': '',
      details: '',
      url: '',
      results: JSON.stringify([{ name: '', platform: '', status, 'task-id': '', message, duration: 0 }]),
      'remote-status': '',
      'export-file': '',
      plan: options.plan ?? ''
    })
  } catch {
    // Nothing more can be written; the step's failure line still says why.
  }
  if (!options.summary) return
  await host
    .appendSummary(`## ❌ ${status}: the action stopped unexpectedly\n\n<pre>${escapeBlock(message)}</pre>\n`)
    .catch(() => undefined)
}
