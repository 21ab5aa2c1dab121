import { applicationOfVersion, type Directory } from './lookups.js'
import { sameName } from './names.js'
import type { MmcDeployment, MmcServer } from './schemas.js'

/**
 * A Mule application runs when its status is STARTED: the states of `GET /api/clusters/{id}/applications` are
 * INITIALISED, STARTED, STOPPED or DISPOSED (clusters.adoc, "LIST ALL MULE APPS"); `GET
 * /api/servers/{id}/applications` shows STARTED for a running one (servers.adoc, "LIST APPLICATIONS").
 */
const RUNNING = 'STARTED'
/** A server's status "e.g. OK, STOPPED" (servers.adoc, "LIST ALL"). */
const SERVER_UP = 'OK'

/**
 * ASSUMED: a server lists an application under its repository name, or as `name-version` (the archive's own
 * name, which Mule uses for an archive it deploys); the pages show `name` only ("mule-example-hello").
 */
function runsAs(deployed: string, application: string, version: string): boolean {
  return (
    sameName(deployed, application) ||
    sameName(deployed, `${application}-${version}`) ||
    deployed.toLowerCase() === application.toLowerCase()
  )
}

/** The servers behind the deployment's `servers` ids: a server group id stands for its members. */
async function targetServers(
  directory: Directory,
  deployment: MmcDeployment
): Promise<{ servers: MmcServer[]; unknown: string[] }> {
  const ids = deployment.servers ?? []
  if (ids.length === 0) return { servers: [], unknown: [] }
  const all = await directory.servers()
  const servers = new Map<string, MmcServer>()
  const unknown: string[] = []
  for (const id of ids) {
    const server = all.find(candidate => candidate.id === id)
    if (server) {
      servers.set(server.id, server)
      continue
    }
    // A group: servers.adoc lists each server's groups as {name, href}, the href ending in the group's id.
    const groups = await directory.serverGroups()
    const group = groups.find(candidate => candidate.id === id)
    const members = all.filter(candidate =>
      (candidate.groups ?? []).some(
        membership =>
          membership.href?.endsWith(`/${id}`) ||
          (group !== undefined && membership.name != null && sameName(membership.name, group.name))
      )
    )
    if (members.length === 0) unknown.push(group ? `server group ${group.name} has no servers` : id)
    for (const member of members) servers.set(member.id, member)
  }
  return { servers: [...servers.values()], unknown }
}

/**
 * What is out of step on the deployment's servers and clusters, in words: a server that is not OK, an
 * application of the deployment that a server does not list or does not run. Empty when all are in step.
 */
export async function outOfStep(directory: Directory, deployment: MmcDeployment): Promise<string[]> {
  const repository = await directory.repository()
  const expected = (deployment.applications ?? []).map(id => {
    const found = applicationOfVersion(repository, id)
    return found
      ? {
          label: `${found.application.name} ${found.version.name}`,
          name: found.application.name,
          version: found.version.name
        }
      : { label: id, name: id, version: '' }
  })
  const problems: string[] = []
  const check = (where: string, deployed: { name: string; status?: string | null }[]) => {
    for (const application of expected) {
      const running = deployed.find(item => runsAs(item.name, application.name, application.version))
      if (!running) problems.push(`${application.label} is not deployed on ${where}`)
      else if ((running.status ?? RUNNING).toUpperCase() !== RUNNING)
        problems.push(`${application.label} is ${running.status} on ${where}`)
    }
  }
  const { servers, unknown } = await targetServers(directory, deployment)
  for (const id of unknown) problems.push(`target ${id} is not a server the console lists`)
  for (const server of servers) {
    const status = (server.status ?? SERVER_UP).toUpperCase()
    if (status !== SERVER_UP) {
      problems.push(`server ${server.name} is ${server.status}`)
      continue
    }
    check(`server ${server.name}`, await directory.deployedOn('server', server.id))
  }
  const clusters = deployment.clusterIds ?? []
  if (clusters.length) {
    const known = await directory.clusters()
    for (const id of clusters) {
      const cluster = known.find(candidate => candidate.id === id)
      check(`cluster ${cluster?.name ?? id}`, await directory.deployedOn('cluster', id))
    }
  }
  return problems
}
