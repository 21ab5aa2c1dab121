import { labelOf } from './status.js'
import type { WorkflowExecution } from './schemas.js'

/** A status change of one workflow request, as the action saw it while polling. */
export interface Transition {
  at: number
  id: number
  code: string
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function transitionLine(transition: Transition): string {
  const label = labelOf(transition.code)
  const note =
    transition.code === 'PENDING_APPROVAL'
      ? ' — waiting for approval in FlexDeploy; an approver must approve it there'
      : transition.code === 'SCHEDULED'
        ? ' — scheduled; FlexDeploy starts it at its requested start time'
        : ''
  return `${stamp(transition.at)} workflow request ${transition.id}: ${transition.code} (${label})${note}\n`
}

/** What the Workflow Execution API tells about one execution of a request: where, how it ended, its outputs. */
export function* executionLines(execution: WorkflowExecution): Generator<string> {
  const what = [execution.workflowType, execution.instanceId ? `on instance ${execution.instanceId}` : '']
    .filter(Boolean)
    .join(' ')
  const times = [execution.startTime, execution.endTime].filter(Boolean).join(' → ')
  const of = execution.workflowRequestId ? ` of request ${execution.workflowRequestId}` : ''
  yield `workflow execution ${execution.workflowExecutionId}${of}${what ? ` (${what})` : ''}: ${execution.executionStatus ?? 'no status'}${times ? `, ${times}` : ''}\n`
  if (execution.workflowState) yield `  state: ${execution.workflowState}\n`
  if (execution.abortedBy || execution.abortedOn) {
    yield `  aborted by ${execution.abortedBy ?? 'unknown'}${execution.abortedOn ? ` on ${execution.abortedOn}` : ''}\n`
  }
  for (const output of execution.workflowExecutionOutputs ?? []) {
    yield `  output ${output.code} = ${typeof output.value === 'string' ? output.value : JSON.stringify(output.value)}\n`
  }
}
