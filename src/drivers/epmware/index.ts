import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import { EpmwareDriver } from './driver.js'
import { EpmwareParametersSchema } from './schemas.js'

export const epmware: DriverDefinition = {
  platform: 'epmware',
  title: 'EPMware',
  operations: ['run', 'status'],
  defaultOperation: 'run',
  readOnlyOperations: ['status'],
  credentials: 'token',
  tokenPlacement: 'header',
  tokenScheme: 'Token',
  parameters: EpmwareParametersSchema,
  noCancelReason: 'EPMware’s REST API has no call to cancel a task',
  validate(deployment): InputProblem[] {
    const problems: InputProblem[] = []
    if (deployment.operation !== 'await' && !deployment.target) {
      problems.push({
        input: 'target',
        problem: 'is required for epmware: the deployment configuration name, e.g. ASOALL'
      })
    }
    if (deployment.parameters.rollback !== undefined && deployment.operation !== 'run') {
      problems.push({
        input: 'parameters',
        value: `rollback: ${String(deployment.parameters.rollback)}`,
        problem: 'rollback applies only to operation: run'
      })
    }
    if (
      deployment.parameters.rollback !== undefined &&
      deployment.parameters.rollback === deployment.target
    ) {
      problems.push({
        input: 'parameters',
        value: `rollback: ${String(deployment.parameters.rollback)}`,
        problem: 'rollback must name a different deployment than target'
      })
    }
    return problems
  },
  create: context => new EpmwareDriver(context)
}
