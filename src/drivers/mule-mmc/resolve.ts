import { findOne } from './names.js'
import { clusterLookup, groupLookup, resolveApplication, serverLookup, type Directory } from './lookups.js'
import { requestLists } from './parameters.js'
import type { MuleParameters } from './schemas.js'

/** The request lists as the console wants them from 3.3.2 on: ids only. */
export interface IdLists {
  servers?: string[]
  clusters?: string[]
  applications?: string[]
}

const unique = (ids: string[]) => [...new Set(ids)]

/**
 * Every server, server group, cluster and application of `parameters`, by name or id, as ids. MMC 3.3.2 and
 * later refuse names on create ("You cannot create a deployment using the server names and application
 * names. Instead, use the server or version ID.", REST API Reference: Deployments, deployments.adoc; the
 * MMC 3.3 "Deployments" page says the same from 3.3.2), so names are never sent, to any console: ids work on
 * every version. Server groups go in `servers`, which deployments.adoc documents as "List of server or
 * server group IDs"; the Maven plugin (MuleRest.restfullyCreateDeployment) sends a group's id there too.
 * `among`: the version ids a deployment holds, so `remove` of a bare application name takes the ones held.
 */
export async function resolveIds(
  parameters: MuleParameters,
  directory: Directory,
  among?: readonly string[]
): Promise<IdLists> {
  const lists = requestLists(parameters)
  const result: IdLists = {}
  const serverNames = [...(lists.servers ?? []), ...(lists.serversNames ?? [])]
  const groupNames = parameters.serverGroups ?? []
  const servers: string[] = []
  if (serverNames.length) {
    const lookup = serverLookup(await directory.servers())
    servers.push(...serverNames.map(name => findOne(lookup, name).id))
  }
  if (groupNames.length) {
    const lookup = groupLookup(await directory.serverGroups())
    servers.push(...groupNames.map(name => findOne(lookup, name).id))
  }
  if (servers.length) result.servers = unique(servers)
  const clusterNames = [...(lists.clusters ?? []), ...(lists.clusterNames ?? [])]
  if (clusterNames.length) {
    const lookup = clusterLookup(await directory.clusters())
    result.clusters = unique(clusterNames.map(name => findOne(lookup, name).id))
  }
  const applications = [...(lists.applications ?? []), ...(lists.applicationsNames ?? [])]
  if (applications.length) {
    const repository = await directory.repository()
    result.applications = unique(applications.flatMap(name => resolveApplication(repository, name, among)))
  }
  return result
}
