import { PLATFORM_TITLES } from '../titles.js'
import type { DriverDefinition } from '../driver.js'
import type { InputProblem } from '../../inputs/problems.js'
import { resolveArtifacts, workspaceDirectory } from '../upload/artifacts.js'
import { EpmwareParametersSchema } from './parameters-schema.js'

/** Which operation each parameter belongs to. */
const PARAMETER_OPERATIONS: Record<string, string> = {
  rollback: 'run',
  delimiter_char: 'erp-import',
  enclosing_char: 'erp-import',
  book_name: 'export'
}

const TARGETS: Record<string, string> = {
  run: 'the deployment configuration name, e.g. ASOALL',
  status: 'the deployment configuration name, e.g. ASOALL',
  'erp-import': 'the ERP import configuration name, e.g. ASOALL_Account',
  export: 'the export profile name, e.g. PBCS (or parameters.book_name for an export book)'
}

export const epmware: DriverDefinition = {
  platform: 'epmware',
  title: PLATFORM_TITLES.epmware,
  operations: ['run', 'status', 'erp-import', 'export'],
  defaultOperation: 'run',
  readOnlyOperations: ['status'],
  credentials: 'token',
  tokenPlacement: 'header',
  tokenScheme: 'Token',
  parameters: EpmwareParametersSchema,
  noCancelReason: 'EPMware’s REST API has no call to cancel a task',
  validate(deployment): InputProblem[] {
    const problems: InputProblem[] = []
    const { operation, parameters } = deployment
    const book = typeof parameters.book_name === 'string' ? parameters.book_name : undefined
    if (operation !== 'await' && !deployment.target && !(operation === 'export' && book)) {
      problems.push({
        input: 'target',
        problem: `is required for epmware ${operation}: ${TARGETS[operation] ?? TARGETS.run}`
      })
    }
    if (operation === 'export' && book && deployment.target) {
      problems.push({
        input: 'parameters',
        value: `book_name: ${book}`,
        problem: 'export runs either the profile named by target or the book named by book_name, not both'
      })
    }
    for (const [key, value] of Object.entries(parameters)) {
      const owner = PARAMETER_OPERATIONS[key]
      if (owner && owner !== operation) {
        problems.push({
          input: 'parameters',
          key,
          value: `${key}: ${String(value)}`,
          problem: `${key} applies only to operation: ${owner}`
        })
      }
    }
    if (parameters.rollback !== undefined && parameters.rollback === deployment.target) {
      problems.push({
        input: 'parameters',
        value: `rollback: ${String(parameters.rollback)}`,
        problem: 'rollback must name a different deployment than target'
      })
    }
    if (operation === 'erp-import') problems.push(...importFileProblems(deployment.artifacts))
    return problems
  },
  // The driver, its response schemas and helpers load only for the platform a run uses (issue 16).
  create: async context => new (await import('./driver.js')).EpmwareDriver(context)
}

/** erp-import uploads exactly one file, inside the workspace (the MobileFirst driver's containment rules). */
function importFileProblems(artifacts: string[]): InputProblem[] {
  if (artifacts.length === 0) {
    return [
      {
        input: 'artifacts',
        problem: 'is required for epmware erp-import: the file to import, e.g. data/accounts.csv'
      }
    ]
  }
  const { files, problems } = resolveArtifacts(workspaceDirectory(), artifacts)
  if (problems.length > 0) return problems
  if (files.length > 1) {
    return [
      {
        input: 'artifacts',
        value: artifacts.join(', '),
        problem: `matches ${files.length} files (${files.map(file => file.relative).join(', ')}); erp-import uploads exactly one`
      }
    ]
  }
  return []
}
