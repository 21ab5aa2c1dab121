import { PLATFORM_TITLES } from '../titles.js'
import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import type { Deployment } from '../../inputs/schema.js'
import {
  COMMON_FIELDS,
  FIELDS_OF,
  FlexDeployParametersSchema,
  ID_OR_NAME,
  type FlexDeployParameter
} from './parameters.js'

const TRIGGERS = ['deploy', 'build', 'execute'] as const

export const flexdeploy: DriverDefinition = {
  platform: 'flexdeploy',
  title: PLATFORM_TITLES.flexdeploy,
  operations: ['deploy', 'build', 'execute', 'status'],
  defaultOperation: 'deploy',
  readOnlyOperations: ['status'],
  credentials: 'basic',
  parameters: FlexDeployParametersSchema,
  // Searched for issue 15: Flexagon's wiki (FD50-FD90 API pages, API Guide 9.0), the Jenkins plugin 3.x.
  noCancelReason:
    'FlexDeploy’s REST API has no call to abort a workflow request, in v1 or v2 (abort it in the FlexDeploy UI)',
  validate: deployment => [
    ...targetProblems(deployment),
    ...parameterProblems(deployment),
    ...taskIdProblems(deployment)
  ],
  // The driver, its response schemas and helpers load only for the platform a run uses (issue 16).
  create: async context => new (await import('./driver.js')).FlexDeployDriver(context)
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
  const given = (Object.keys(parameters) as FlexDeployParameter[]).filter(
    key => parameters[key] !== undefined && !COMMON_FIELDS.includes(key)
  )
  const trigger = TRIGGERS.find(name => name === operation)
  if (!trigger) {
    return given.map(key => ({
      input: 'parameters',
      value: key,
      problem: `${key} is not used by operation: ${operation}, which triggers nothing (it takes apiVersion only)`
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
      problem: `${key} is not a field of the ${trigger} request; it applies to ${usedBy.join(', ')} (valid for ${trigger}: ${[...COMMON_FIELDS, ...allowed].join(', ')})`
    })
  }
  for (const { id, names } of ID_OR_NAME) {
    const present = [id, ...names].filter(key => parameters[key] !== undefined)
    if (present.length > 1) {
      problems.push({
        input: 'parameters',
        value: present.join(', '),
        problem: `give one of ${present.join(' and ')}, not both: they name the same ${id.replace(/Ids?$/, '')} (an id, or a name the action looks up)`
      })
    }
  }
  if (parameters.environmentId === undefined && parameters.environment === undefined) {
    problems.push({
      input: 'parameters',
      problem: `environmentId or environment is required for operation: ${trigger} (the environment's numeric id, e.g. environmentId: 11210, or its code, e.g. environment: PROD)`
    })
  }
  if (
    trigger === 'build' &&
    parameters.streamId === undefined &&
    parameters.stream === undefined &&
    parameters.branch === undefined
  ) {
    problems.push({
      input: 'parameters',
      problem:
        'streamId, stream or branch is required for operation: build (the project stream’s numeric id, or its name, e.g. stream: main)'
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
