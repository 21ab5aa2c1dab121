import { PLATFORM_TITLES } from '../titles.js'
import type { InputProblem } from '../../inputs/problems.js'
import type { DriverDefinition } from '../driver.js'
import { resolveArtifacts, workspaceDirectory } from '../upload/artifacts.js'
import { MobileFirstParametersSchema } from './parameters-schema.js'

export const mobilefirst: DriverDefinition = {
  platform: 'mobilefirst',
  title: PLATFORM_TITLES.mobilefirst,
  // status: the runtime's latest transaction (Transactions (GET), orderBy=-created), as THE RULE reads it.
  operations: ['deploy', 'status'],
  defaultOperation: 'deploy',
  readOnlyOperations: ['status'],
  credentials: 'basic',
  parameters: MobileFirstParametersSchema,
  noCancelReason: 'the MobileFirst administration REST API has no call to cancel a transaction',
  validate(deployment): InputProblem[] {
    const problems: InputProblem[] = []
    const runtime = deployment.target
    if (!runtime) {
      problems.push({ input: 'target', problem: 'is required for mobilefirst: the runtime name, e.g. mfp' })
    } else if (runtime.startsWith('/') || runtime.includes('/')) {
      problems.push({
        input: 'target',
        value: runtime,
        problem: 'must be the runtime name: its context root without slashes, e.g. mfp'
      })
    }
    if (deployment.operation !== 'deploy') return problems
    if (deployment.artifacts.length === 0) {
      problems.push({
        input: 'artifacts',
        problem: 'is required for mobilefirst deploy: paths or globs of deployables, e.g. adapters/*.adapter'
      })
      return problems
    }
    problems.push(...resolveArtifacts(workspaceDirectory(), deployment.artifacts).problems)
    return problems
  },
  // The driver, its response schemas and helpers load only for the platform a run uses (issue 16).
  create: async context => new (await import('./driver.js')).MobileFirstDriver(context)
}
