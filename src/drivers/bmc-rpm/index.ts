import { PLATFORM_TITLES } from '../titles.js'
import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import type { Deployment } from '../../inputs/schema.js'
import { BmcRpmParametersSchema } from './parameters-schema.js'
import { parseRpmTime } from './time.js'

const CHANGES_STATE = ['suspend', 'resume', 'move']
const EVENT_ID = /^\d+$/

export const bmcRpm: DriverDefinition = {
  platform: 'bmc-rpm',
  title: PLATFORM_TITLES['bmc-rpm'],
  operations: ['check-window', 'wait-for-window', 'suspend', 'resume', 'move'],
  defaultOperation: 'check-window',
  readOnlyOperations: ['check-window', 'wait-for-window'],
  credentials: 'token',
  // REST API pages: "token — Your API Token for authentication", sent as ?token=; RPM reads no header.
  tokenPlacement: 'query',
  parameters: BmcRpmParametersSchema,
  noCancelReason: 'a deployment window is not a job: nothing runs on RPM while the action waits for it',
  nothingRunsRemotely: true,
  validate: deployment => [...targetProblems(deployment), ...parameterProblems(deployment)],
  // The driver, its response schemas and helpers load only for the platform a run uses (issue 16).
  create: async context => new (await import('./driver.js')).BmcRpmDriver(context)
}

function targetProblems(deployment: Deployment): InputProblem[] {
  const parameters = deployment.parameters as Record<string, unknown>
  const environment = parameters.environment
  const series = parameters.series
  if (deployment.operation === 'await') {
    const problems: InputProblem[] = []
    if (deployment.taskId && !EVENT_ID.test(deployment.taskId)) {
      problems.push({
        input: 'task-id',
        value: deployment.taskId,
        problem: 'must be a deployment window event id, e.g. 12'
      })
    }
    for (const key of ['environment', 'series']) {
      if (parameters[key] !== undefined) {
        problems.push({
          input: 'parameters',
          value: `${key}: ${String(parameters[key])}`,
          problem: `${key} does not apply to operation: await, which watches the event in task-id`
        })
      }
    }
    return problems
  }
  if (deployment.target && environment !== undefined) {
    return [
      {
        input: 'target',
        value: deployment.target,
        problem: `give either target or parameters.environment (${String(environment)}), not both`
      }
    ]
  }
  if (!deployment.target && environment === undefined) {
    return [
      {
        input: 'target',
        problem:
          'is required for bmc-rpm: a deployment window event id (e.g. 12) or an environment name (e.g. production); or set parameters.environment'
      }
    ]
  }
  if (series !== undefined && environment === undefined && EVENT_ID.test(deployment.target ?? '')) {
    return [
      {
        input: 'parameters',
        value: `series: ${String(series)}`,
        problem:
          'series applies only with an environment (target as an environment name, or parameters.environment), not with an event id'
      }
    ]
  }
  return []
}

/** The rules of the REST deployment window events page that need no server: checked before anything is sent. */
function parameterProblems(deployment: Deployment): InputProblem[] {
  const { operation } = deployment
  const parameters = deployment.parameters as Record<string, unknown>
  const problems: InputProblem[] = []
  const has = (key: string) => parameters[key] !== undefined
  const shown = (key: string) => `${key}: ${String(parameters[key])}`
  if (CHANGES_STATE.includes(operation) && !has('reason')) {
    problems.push({
      input: 'parameters',
      problem: `reason is required with operation: ${operation}: RPM requires a reason whenever an event's state changes`
    })
  }
  if (!CHANGES_STATE.includes(operation) && operation !== 'await' && has('reason')) {
    problems.push({
      input: 'parameters',
      value: shown('reason'),
      problem: 'reason applies only to suspend, resume and move'
    })
  }
  for (const key of ['start_at', 'finish_at']) {
    if (operation === 'move' && !has(key)) {
      problems.push({
        input: 'parameters',
        problem: `${key} is required with operation: move (both start_at and finish_at, e.g. 2026-05-01T22:00:00+02:00)`
      })
    }
    if (operation !== 'move' && has(key)) {
      problems.push({
        input: 'parameters',
        value: shown(key),
        problem: `${key} applies only to operation: move`
      })
    }
  }
  const start = typeof parameters.start_at === 'string' ? parseRpmTime(parameters.start_at) : undefined
  const finish = typeof parameters.finish_at === 'string' ? parseRpmTime(parameters.finish_at) : undefined
  if (operation === 'move' && start && finish && start.ms >= finish.ms) {
    problems.push({
      input: 'parameters',
      value: `start_at: ${start.text}, finish_at: ${finish.text}`,
      problem: 'start_at must be before finish_at'
    })
  }
  return problems
}
