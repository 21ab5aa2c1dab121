import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import type { Deployment } from '../../inputs/schema.js'
import { FlexDeployDriver } from './driver.js'
import { FIELDS_OF, FlexDeployParametersSchema, type FlexDeployParameter } from './parameters.js'

const TRIGGERS = ['deploy', 'build', 'execute'] as const

export const flexdeploy: DriverDefinition = {
  platform: 'flexdeploy',
  title: 'FlexDeploy',
  operations: ['deploy', 'build', 'execute', 'status'],
  defaultOperation: 'deploy',
  readOnlyOperations: ['status'],
  credentials: 'basic',
  parameters: FlexDeployParametersSchema,
  noCancelReason:
    'FlexDeploy’s REST API has no call to abort a workflow request (abort it in the FlexDeploy UI)',
  validate: deployment => [
    ...targetProblems(deployment),
    ...parameterProblems(deployment),
    ...taskIdProblems(deployment)
  ],
  create: context => new FlexDeployDriver(context)
}

function targetProblems(deployment: Deployment): InputProblem[] {
  if (deployment.operation === 'await' || deployment.target) return []
  return [
    {
      input: 'target',
      problem: 'is required for flexdeploy: a project id (10501) or a project path (Folder/Sub/ProjectName)'
    }
  ]
}

function parameterProblems(deployment: Deployment): InputProblem[] {
  const { operation, parameters } = deployment
  const given = Object.keys(parameters).filter(key => parameters[key] !== undefined) as FlexDeployParameter[]
  const trigger = TRIGGERS.find(name => name === operation)
  if (!trigger) {
    return given.map(key => ({
      input: 'parameters',
      value: key,
      problem: `${key} is not used by operation: ${operation}, which triggers nothing`
    }))
  }
  const problems: InputProblem[] = []
  const allowed: readonly string[] = FIELDS_OF[trigger]
  for (const key of given) {
    if (allowed.includes(key)) continue
    const usedBy = TRIGGERS.filter(name => (FIELDS_OF[name] as readonly string[]).includes(key))
    problems.push({
      input: 'parameters',
      value: key,
      problem: `${key} is not a field of the ${trigger} request; it applies to ${usedBy.join(', ')} (valid for ${trigger}: ${allowed.join(', ')})`
    })
  }
  if (parameters.environmentId === undefined) {
    problems.push({
      input: 'parameters',
      problem: `environmentId is required for operation: ${trigger} (the environment's numeric id, e.g. environmentId: 11210)`
    })
  }
  if (trigger === 'build' && parameters.streamId === undefined) {
    problems.push({
      input: 'parameters',
      problem: 'streamId is required for operation: build (the project stream’s numeric id)'
    })
  }
  return problems
}

function taskIdProblems(deployment: Deployment): InputProblem[] {
  const taskId = deployment.taskId
  if (deployment.operation !== 'await' || !taskId) return []
  if (/^\s*\d+\s*(,\s*\d+\s*)*$/.test(taskId)) return []
  return [
    {
      input: 'task-id',
      value: taskId,
      problem: 'must be FlexDeploy workflow request ids, comma-separated (e.g. 12001,12002)'
    }
  ]
}
