import type { HttpClient } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import { DEPLOYMENTS, deploymentPath } from './api.js'
import { ensureOk } from './errors.js'
import { findOne, sameName, type Lookup } from './names.js'
import { DeploymentListSchema, SingleDeploymentSchema, type MmcDeployment } from './schemas.js'

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

const deploymentLookup = (items: MmcDeployment[]): Lookup<MmcDeployment> => ({
  kind: 'deployment',
  source: `GET ${DEPLOYMENTS}`,
  items,
  nameOf: deployment => deployment.name,
  idOf: deployment => deployment.id,
  show: deployment => `${deployment.name} (${deployment.id}, ${deployment.status})`,
  hint: 'Deployments get a new id on add and remove, so prefer the name; create one with operation: create.'
})

/** `target` as an id, or as a name (NFC-normalized) that exactly one deployment has. */
export async function resolveTarget(http: HttpClient, target: string): Promise<MmcDeployment> {
  const deployments = await listDeployments(http)
  const lookup = deploymentLookup(deployments)
  const named = deployments.some(d => d.id === target || sameName(d.name, target))
  if (!named && target.includes('$')) {
    const direct = await readDeployment(http, target)
    if (direct) return direct
  }
  return findOne(lookup, target)
}

/** The deployment named `name`, or undefined when none is (several is an error listing them). */
export async function findDeployment(http: HttpClient, name: string): Promise<MmcDeployment | undefined> {
  const deployments = await listDeployments(http)
  if (!deployments.some(d => d.id === name || sameName(d.name, name))) return undefined
  return findOne(deploymentLookup(deployments), name)
}
