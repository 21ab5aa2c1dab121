import { PLATFORM_TITLES } from '../titles.js'
import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import { parameterProblems, parametersOf, UPLOADING_OPERATIONS } from './parameters.js'
import { MuleParametersSchema } from './schemas.js'
import { uploadPlan } from './upload.js'

/** Operations that act on an existing deployment named by target. */
const NEEDS_TARGET = ['deploy', 'redeploy', 'undeploy', 'add', 'remove', 'delete']

export const muleMmc: DriverDefinition = {
  platform: 'mule-mmc',
  title: PLATFORM_TITLES['mule-mmc'],
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
    const uploads = deployment.artifacts.length > 0 && UPLOADING_OPERATIONS.includes(deployment.operation)
    // deploy with artifacts names its deployment after the application by default, as the Maven plugin does.
    const targetOptional = uploads && deployment.operation === 'deploy'
    if (NEEDS_TARGET.includes(deployment.operation) && !deployment.target && !targetOptional) {
      problems.push({
        input: 'target',
        problem: `is required for mule-mmc ${deployment.operation}: a deployment name, or its id (local$…)`
      })
    }
    problems.push(...parameterProblems(deployment))
    if (uploads && problems.length === 0 && MuleParametersSchema.safeParse(deployment.parameters).success)
      problems.push(...uploadPlan(deployment, parametersOf(deployment)).problems)
    return problems
  },
  // The driver, its response schemas and helpers load only for the platform a run uses (issue 16).
  create: async context => new (await import('./driver.js')).MuleMmcDriver(context)
}
