import * as core from '@actions/core'
import type { DeploymentResult } from '../engine/result.js'
import { errorFields } from '../errors.js'
import type { Redactor } from '../secrets.js'
import { cleanText, forStepLog } from '../text/untrusted.js'
import { writeOutputs } from './outputs.js'
import { renderSummary } from './summary.js'

export { decidingResult, overviewMessage, publishTaskId } from './outputs.js'

export interface ReportOptions {
  redactor: Redactor
  summary: boolean
  logLines: number
  /** Whole seconds the step took: the `duration` of several deployments. */
  stepSeconds: number
  environment?: string
}

/** Outputs, annotations, the log tail on failure and the job summary: everything the step reports. */
export async function report(results: DeploymentResult[], options: ReportOptions): Promise<void> {
  const { redactor } = options
  if (results.length === 0) return
  writeOutputs(results, redactor, options.stepSeconds)
  for (const result of results) {
    for (const warning of result.warnings) core.warning(forStepLog(warning, redactor))
    if (
      result.status !== 'succeeded' &&
      result.status !== 'started' &&
      result.status !== 'skipped' &&
      result.logTail.length
    ) {
      core.info(
        forStepLog(`Last ${result.logTail.length} lines of the remote log of ${result.name}:`, redactor)
      )
      for (const line of result.logTail) core.info(forStepLog(`  ${line}`, redactor))
    }
  }
  if (!options.summary) return
  try {
    const markdown = renderSummary(results, options.logLines, { environment: options.environment })
    await core.summary.addRaw(cleanText(markdown, redactor), true).write()
  } catch (error) {
    core.warning(forStepLog(`Could not write the job summary: ${errorFields(error).message}`, redactor))
  }
}
