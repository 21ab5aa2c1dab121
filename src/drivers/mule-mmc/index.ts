import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import { MuleMmcDriver } from './driver.js'
import { parameterProblems } from './parameters.js'
import { MuleParametersSchema } from './schemas.js'

/** Operations that act on an existing deployment named by target. */
const NEEDS_TARGET = ['deploy', 'redeploy', 'undeploy', 'add', 'remove', 'delete']

export const muleMmc: DriverDefinition = {
  platform: 'mule-mmc',
  title: 'Mule Management Console',
  operations: ['deploy', 'redeploy', 'undeploy', 'create', 'add', 'remove', 'delete', 'status'],
  defaultOperation: 'deploy',
  readOnlyOperations: ['status'],
  credentials: 'basic',
  parameters: MuleParametersSchema,
  // The REST API Reference: Deployments lists create, list, add, remove, delete, deploy, redeploy and
  // undeploy only (github.com/mulesoft/docs-mule-management-console, modules/ROOT/pages/deployments.adoc).
  noCancelReason: 'the Mule Management Console’s REST API has no call to stop a deployment in progress',
  validate(deployment): InputProblem[] {
    const problems: InputProblem[] = []
    if (NEEDS_TARGET.includes(deployment.operation) && !deployment.target) {
      problems.push({
        input: 'target',
        problem: `is required for mule-mmc ${deployment.operation}: a deployment name, or its id (local$…)`
      })
    }
    problems.push(...parameterProblems(deployment))
    return problems
  },
  create: context => new MuleMmcDriver(context)
}
