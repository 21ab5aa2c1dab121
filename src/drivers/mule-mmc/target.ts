import { ActionError } from '../../errors.js'
import type { HttpClient } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import { DEPLOYMENTS, deploymentPath } from './api.js'
import { ensureOk } from './errors.js'
import { DeploymentListSchema, SingleDeploymentSchema, type MmcDeployment } from './schemas.js'

const LISTED = 20

export async function listDeployments(http: HttpClient): Promise<MmcDeployment[]> {
  const request = { method: 'GET' as const, path: DEPLOYMENTS }
  const response = ensureOk(await http.send(request), http.describe(request))
  return decode(DeploymentListSchema, response.body, `Mule Management Console ${http.describe(request)}`)
}

/** The deployment with this id, or undefined when the console answers 404. */
export async function readDeployment(http: HttpClient, id: string): Promise<MmcDeployment | undefined> {
  const request = { method: 'GET' as const, path: deploymentPath(id) }
  const response = await http.send(request)
  if (response.status === 404) return undefined
  ensureOk(response, http.describe(request))
  return decode(SingleDeploymentSchema, response.body, `Mule Management Console ${http.describe(request)}`)
}

function shown(deployments: MmcDeployment[]): string {
  const names = deployments.slice(0, LISTED).map(d => `${d.name} (${d.id}, ${d.status})`)
  const more = deployments.length > LISTED ? `, and ${deployments.length - LISTED} more` : ''
  return `${names.join('; ')}${more}`
}

/** `target` as an id, or as a name that exactly one deployment has. */
export async function resolveTarget(http: HttpClient, target: string): Promise<MmcDeployment> {
  const deployments = await listDeployments(http)
  const byId = deployments.find(deployment => deployment.id === target)
  if (byId) return byId
  const named = deployments.filter(deployment => deployment.name === target)
  if (named.length === 1 && named[0]) return named[0]
  if (named.length > 1) {
    throw new ActionError(
      `${named.length} deployments on the console are named '${target}': ${shown(named)}`,
      {
        hint: 'Give target as the id of the one you mean.'
      }
    )
  }
  if (target.includes('$')) {
    const direct = await readDeployment(http, target)
    if (direct) return direct
  }
  throw new ActionError(
    deployments.length
      ? `No deployment on the console is named '${target}' or has that id. It has: ${shown(deployments)}`
      : `No deployment on the console is named '${target}' or has that id: the console has no deployments`,
    {
      hint: 'Names are case-sensitive. Deployments get a new id on add and remove, so prefer the name; create one with operation: create.'
    }
  )
}
