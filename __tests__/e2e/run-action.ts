// The runner emulation lives beside the demo, which uses it too; a test's runs leave no RUNNER_TEMP behind.
import { runAction as runInRunner, type ActionRun, type RunOptions } from '../../scripts/run-action.js'
import { removeLater } from '../fixtures/temp.js'

export * from '../../scripts/run-action.js'

/** scripts/run-action.ts's runAction; its RUNNER_TEMP is removed when the test file ends, not before. */
export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
  const run = await runInRunner(inputs, options)
  removeLater(run.runnerTemp)
  return run
}
