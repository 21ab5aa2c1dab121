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

const LIST_KEYS = [
  'servers',
  'serversNames',
  'serverNames',
  'serverGroups',
  'clusters',
  'clusterNames',
  'applications',
  'applicationsNames',
  'applicationNames'
]
const UPLOAD_KEYS = ['application', 'version', 'replaceVersion']

/** Which parameters each operation takes; `artifacts` adds the upload's (and, on deploy, create's lists). */
function allowedKeys(operation: string, withArtifacts: boolean): string[] {
  const upload = withArtifacts ? UPLOAD_KEYS : []
  switch (operation) {
    case 'create':
    case 'add':
      return [...LIST_KEYS, 'name', 'deploy', 'allowPartial', ...upload]
    case 'remove':
      return [...LIST_KEYS, 'name', 'deploy', 'allowPartial']
    case 'deploy':
      return withArtifacts ? [...LIST_KEYS, 'allowPartial', ...upload] : ['allowPartial']
    case 'redeploy':
    case 'status':
    case 'await':
      return ['allowPartial']
    default:
      return []
  }
}

/** Operations that take `artifacts`: the archive becomes a new version in the repository first. */
export const UPLOADING_OPERATIONS = ['deploy', 'create', 'add']

/** The console's own rule for create, and what add and remove need, checked before anything is sent. */
export function parameterProblems(deployment: Deployment): InputProblem[] {
  const parsed = MuleParametersSchema.safeParse(deployment.parameters)
  if (!parsed.success) return []
  const parameters = parsed.data
  const { operation } = deployment
  const lists = requestLists(parameters)
  const withArtifacts = deployment.artifacts.length > 0
  const given = Object.keys(deployment.parameters)
  const problems: InputProblem[] = []
  if (withArtifacts && !UPLOADING_OPERATIONS.includes(operation)) {
    problems.push({
      input: 'artifacts',
      value: deployment.artifacts.join(', '),
      problem: `apply only to operation: deploy, create or add (not ${operation}): the archive is uploaded as a new version`
    })
  }
  const allowed = allowedKeys(operation, withArtifacts)
  const refused = given.filter(key => !allowed.includes(key))
  if (refused.length) {
    problems.push({
      input: 'parameters',
      value: refused.join(', '),
      problem: allowed.length
        ? `do not apply to operation: ${operation}${withArtifacts ? ' with artifacts' : ''}; it takes ${allowed.join(', ')}`
        : `do not apply to operation: ${operation}, which takes no parameters`
    })
    return problems
  }
  const hasTarget = Boolean(
    lists.servers || lists.serversNames || lists.clusters || lists.clusterNames || parameters.serverGroups
  )
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
    if (!hasTarget) {
      problems.push({
        input: 'parameters',
        problem:
          'create needs at least one target: servers, serversNames (or serverNames), serverGroups, clusters or clusterNames'
      })
    }
    if (!lists.applications && !lists.applicationsNames && !withArtifacts) {
      problems.push({
        input: 'parameters',
        problem:
          'create needs at least one application: applications or applicationsNames (or applicationNames), or artifacts to upload'
      })
    }
  }
  if (
    (operation === 'add' || operation === 'remove') &&
    Object.keys(lists).length === 0 &&
    !parameters.serverGroups &&
    !(operation === 'add' && withArtifacts)
  ) {
    problems.push({
      input: 'parameters',
      problem: `${operation} needs at least one of servers, serversNames, serverGroups, clusters, clusterNames, applications, applicationsNames`
    })
  }
  return problems
}
