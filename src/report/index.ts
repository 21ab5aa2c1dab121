import * as core from '@actions/core'
import type { DeploymentResult } from '../engine/result.js'
import { errorFields } from '../errors.js'
import type { Redactor } from '../secrets.js'
import { writeOutputs } from './outputs.js'
import { renderSummary } from './summary.js'

export { publishTaskId } from './outputs.js'

/** Outputs, annotations, the log tail on failure and the job summary: everything the step reports. */
export async function report(
  results: DeploymentResult[],
  options: { redactor: Redactor; summary: boolean; logLines: number }
): Promise<void> {
  const { redactor } = options
  const main = results[0]
  if (!main) return
  writeOutputs(main, results, redactor)
  for (const result of results) {
    for (const warning of result.warnings) core.warning(redactor.scrub(warning))
    if (
      result.status !== 'succeeded' &&
      result.status !== 'started' &&
      result.status !== 'skipped' &&
      result.logTail.length
    ) {
      core.info(`Last ${result.logTail.length} lines of the remote log of ${result.name}:`)
      for (const line of result.logTail) core.info(`  ${redactor.scrub(line)}`)
    }
  }
  if (!options.summary) return
  try {
    await core.summary.addRaw(redactor.scrub(renderSummary(results, options.logLines)), true).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${redactor.scrub(errorFields(error).message)}`)
  }
}
