import type { Deployment } from '../../inputs/schema.js'
import type { InputProblem } from '../../inputs/problems.js'
import { MuleParametersSchema, type MuleParameters } from './schemas.js'

/** The lists a request body carries, under the console's field names (aliases folded in). */
export interface RequestLists {
  servers?: string[]
  serversNames?: string[]
  clusters?: string[]
  clusterNames?: string[]
  applications?: string[]
  applicationsNames?: string[]
}

export const CHANGING_OPERATIONS = ['create', 'add', 'remove']

export function parametersOf(deployment: Deployment): MuleParameters {
  return MuleParametersSchema.parse(deployment.parameters)
}

function merged(...lists: (string[] | undefined)[]): string[] | undefined {
  const all = lists.flatMap(list => list ?? [])
  return all.length ? [...new Set(all)] : undefined
}

export function requestLists(parameters: MuleParameters): RequestLists {
  const lists: RequestLists = {
    servers: parameters.servers,
    serversNames: merged(parameters.serversNames, parameters.serverNames),
    clusters: parameters.clusters,
    clusterNames: parameters.clusterNames,
    applications: parameters.applications,
    applicationsNames: merged(parameters.applicationsNames, parameters.applicationNames)
  }
  return Object.fromEntries(
    Object.entries(lists).filter(([, value]) => value && value.length)
  ) as RequestLists
}

/** The deployment name `create` sends: parameters.name, or target. */
export function createName(deployment: Deployment, parameters: MuleParameters): string | undefined {
  return parameters.name ?? deployment.target
}

/** The console's own rule for create, and what add and remove need, checked before anything is sent. */
export function parameterProblems(deployment: Deployment): InputProblem[] {
  const parsed = MuleParametersSchema.safeParse(deployment.parameters)
  if (!parsed.success) return []
  const parameters = parsed.data
  const { operation } = deployment
  const lists = requestLists(parameters)
  const given = Object.keys(deployment.parameters)
  const problems: InputProblem[] = []
  if (!CHANGING_OPERATIONS.includes(operation) && given.length) {
    problems.push({
      input: 'parameters',
      value: given.join(', '),
      problem: `apply only to operation: create, add or remove (not ${operation})`
    })
    return problems
  }
  if (operation === 'create') {
    const name = createName(deployment, parameters)
    if (!name) {
      problems.push({
        input: 'target',
        problem: 'is required with operation: create: the new deployment’s name (or give parameters.name)'
      })
    }
    if (parameters.name && deployment.target && parameters.name !== deployment.target) {
      problems.push({
        input: 'parameters',
        value: `name: ${parameters.name}`,
        problem: `differs from target '${deployment.target}'; with operation: create give the name once`
      })
    }
    if (!lists.servers && !lists.serversNames && !lists.clusters && !lists.clusterNames) {
      problems.push({
        input: 'parameters',
        problem:
          'create needs at least one target: servers, serversNames (or serverNames), clusters or clusterNames'
      })
    }
    if (!lists.applications && !lists.applicationsNames) {
      problems.push({
        input: 'parameters',
        problem:
          'create needs at least one application: applications or applicationsNames (or applicationNames)'
      })
    }
  }
  if ((operation === 'add' || operation === 'remove') && Object.keys(lists).length === 0) {
    problems.push({
      input: 'parameters',
      problem: `${operation} needs at least one of servers, serversNames, clusters, clusterNames, applications, applicationsNames`
    })
  }
  return problems
}
