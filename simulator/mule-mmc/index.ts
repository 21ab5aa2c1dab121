/**
 * Mule Management Console simulator: deployments, the application repository, servers, server groups and
 * clusters, with each server's applications. Sources (github.com/mulesoft/docs-mule-management-console,
 * modules/ROOT/pages, v3.8, unless said otherwise):
 * - Managing Deployments Using REST APIs (shared/vendor-docs/001_…): list `{total, data}`, get one (the bare
 *   object), create (name + at least one target + at least one application; invalid ids named in the error),
 *   add/remove (the deployment comes back under a NEW id), deploy/redeploy/undeploy (a bare 200), delete;
 *   statuses DEPLOYED, UNDEPLOYED, IN_PROGRESS, SUCCESSFUL, FAILED, DELETING; `lastModified` as
 *   `%day, %dayNumber %month %year %hour:%minutes:%seconds %timeZone` ("Mon, 5 Sep 2011 12:19:15 GMT-03:00").
 * - deployments.adoc (REST API Reference: Deployments): get one wrapped as `{total, data}` (option
 *   `singleShape`); `servers` takes "server or server group IDs"; "You cannot create a deployment using the
 *   server names and application names" (from 3.3.2, per the MMC 3.3 Deployments page: option `version`);
 *   add and remove are PUT and require the stored `lastModified`; `reconciled` is false "when at least one
 *   server is down and/or at least one app has not been deployed on at least one server"; codes 400, 401,
 *   402 invalid id, 404, 409 name taken.
 * - repository-of-applications.adoc: `POST /api/repository` multipart `file` (.zip), `name`, `version` →
 *   `{versionId, applicationId}`, 409 "Application name and version already exists", 501 not a zip;
 *   `GET /api/repository` → `data[]` of `{name, id, href, versions[] {name, id}}`; `DELETE
 *   /api/repository/{versionId}`. The Maven plugin (pulsenintegration/Maven-Mule-REST-Plugin, MuleRest) sends
 *   the same three parts and reads `versionId`.
 * - servers.adoc: `GET /api/servers[?group=]` → `data[]` of `{name, id, status (OK, STOPPED), groups[] {name,
 *   href}}`; `GET /api/servers/{id}/applications` → `data[]` of `{name, status}` (STARTED).
 * - server-groups.adoc: `GET /api/serverGroups` → `data[]` of `{name, id, serverCount, href}`.
 * - clusters.adoc: `GET /api/clusters` → `data[]` of `{name, id, nodeServerIds, clusterStatus}`;
 *   `GET /api/clusters/{id}/applications` → `data[]` of `{name, status}`.
 * - VENDOR-NOTES: HTTP Basic; wrong credentials come back as 500 on some endpoints (option).
 * ASSUMED (options, each off by default): text answers to deploy/redeploy/undeploy (`textAnswers`: the Maven
 * plugin logs whatever text comes back); create/add/remove answered IN_PROGRESS (`changeInProgressMs`); a
 * redeploy that never shows IN_PROGRESS (`behaviour.silentRedeploy`); a server where the apps do not start
 * (`behaviour.failOn`). Error bodies are not documented: they are plain text here, as a servlet container's
 * error page would be.
 */
import type http from 'node:http'
import { randomUUID } from 'node:crypto'
import { boundaryOf, MultipartScanner, type ReceivedPart } from '../multipart.js'
import {
  parseJsonObject,
  Router,
  sendJson,
  sendText,
  startHttpServer,
  type RecordedRequest,
  type RunningServer
} from '../server.js'

export type MmcStatus = 'DEPLOYED' | 'UNDEPLOYED' | 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'DELETING'

export interface DeploymentBehaviour {
  /** How long deploy/redeploy/undeploy stay IN_PROGRESS; default 800. */
  durationMs?: number
  /** Where deploy and redeploy end; default DEPLOYED. */
  outcome?: 'DEPLOYED' | 'SUCCESSFUL' | 'FAILED'
  /** The console accepts triggers but the deployment never moves. */
  stuck?: boolean
  /** How long a delete stays DELETING; default 500. */
  deleteMs?: number
  /** A redeploy (or deploy) of a DEPLOYED deployment is done at once: no IN_PROGRESS, same lastModified. */
  silentRedeploy?: boolean
  /** Server names where the applications do not get deployed: the deployment ends DEPLOYED, not reconciled. */
  failOn?: string[]
}

export interface SeedDeployment {
  name: string
  status?: MmcStatus
  /** Server (or server group) names. */
  servers?: string[]
  clusters?: string[]
  /** Applications as `name:version` (or `name`: its last version). */
  applications?: string[]
  behaviour?: DeploymentBehaviour
}

export interface SeedServer {
  name: string
  /** servers.adoc: "Status of the Server (e.g. OK, STOPPED)". Default OK. */
  status?: string
  groups?: string[]
}

export interface SeedCluster {
  name: string
  nodes?: string[]
}

export interface MuleMmcSimulatorOptions {
  username?: string
  password?: string
  /** The console's web application path; default /mmc. */
  contextPath?: string
  /** Default mule0 and mule1, both in server group Production. */
  servers?: (string | SeedServer)[]
  /** Server groups besides those the servers name. */
  serverGroups?: string[]
  clusters?: (string | SeedCluster)[]
  /** Repository content as `name:version`; default orders-api:1.0, orders-api:1.1, billing:2.3. */
  applications?: string[]
  deployments?: SeedDeployment[]
  /** The console's version: from 3.3.2 create takes ids only (names are refused with 400). Default 3.8.0. */
  version?: string
  /** deploy/redeploy/undeploy answer a text/plain sentence instead of an empty 200. */
  textAnswers?: boolean
  /** create/add/remove answer IN_PROGRESS, and the deployment stays so this long (then UNDEPLOYED). */
  changeInProgressMs?: number
  /** `GET /api/deployments/{id}` as the bare object (Managing Deployments page) or `{total, data}`. */
  singleShape?: 'bare' | 'wrapped'
  /** Which method /remove answers; the other gets 405. Default PUT. */
  removeMethod?: 'PUT' | 'DELETE'
  /** Status for wrong credentials on POST/PUT/DELETE (401 on GET always). Default 401. */
  writeAuthFailureStatus?: 401 | 500
  /** Offset of the console's time zone in minutes, shown in lastModified; default -180 (GMT-03:00). */
  utcOffsetMinutes?: number
  now?: () => number
  port?: number
  host?: string
}

interface Transition {
  to: MmcStatus | 'GONE'
  at: number
}

export interface SimDeployment {
  id: string
  name: string
  /** Server and server group ids. */
  servers: string[]
  clusters: string[]
  /** Version ids. */
  applications: string[]
  status: MmcStatus
  modifiedAt: number
  behaviour: DeploymentBehaviour
  transition?: Transition
}

export interface SimServer {
  id: string
  name: string
  status: string
  groups: string[]
  /** What runs there: application name → status (STARTED). */
  applications: Map<string, string>
}

export interface SimVersion {
  id: string
  name: string
  filename?: string
  size?: number
  sha256?: string
}

export interface SimApplication {
  id: string
  name: string
  versions: SimVersion[]
}

/** One `POST /api/repository` as it arrived: the file hashed while it streamed, never held. */
export interface ReceivedUpload {
  contentType: string
  contentLength?: number
  bytes: number
  complete: boolean
  parts: ReceivedPart[]
  status: number
}

export interface MuleMmcSimulator extends RunningServer {
  /** url + context path: what base-url should be. */
  readonly baseUrl: string
  readonly username: string
  readonly password: string
  /** Server name → id. */
  readonly serverIds: ReadonlyMap<string, string>
  /** Server group name → id. */
  readonly groupIds: ReadonlyMap<string, string>
  /** Cluster name → id. */
  readonly clusterIds: ReadonlyMap<string, string>
  /** `name:version` → version id (the repository, uploads included). */
  readonly applicationIds: ReadonlyMap<string, string>
  readonly repository: SimApplication[]
  readonly uploads: ReceivedUpload[]
  server(name: string): SimServer | undefined
  /** Current deployments by id (settled to `now`). */
  deployments(): SimDeployment[]
  byName(name: string): SimDeployment | undefined
  addDeployment(seed: SeedDeployment): SimDeployment
  /** Whether the deployment is reconciled now (DEPLOYED, every server up and running every application). */
  reconciled(deployment: SimDeployment): boolean
}

export const DEFAULT_USERNAME = 'admin'
export const DEFAULT_PASSWORD = 'admin'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number) => String(n).padStart(2, '0')

/** `Mon, 5 Sep 2011 12:19:15 GMT-03:00`, the console's own format (Managing Deployments page). */
export function formatLastModified(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + utcOffsetMinutes * 60_000)
  const sign = utcOffsetMinutes < 0 ? '-' : '+'
  const offset = Math.abs(utcOffsetMinutes)
  const zone =
    utcOffsetMinutes === 0 ? 'GMT' : `GMT${sign}${two(Math.floor(offset / 60))}:${two(offset % 60)}`
  return (
    `${DAYS[local.getUTCDay()]}, ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ` +
    `${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())} ${zone}`
  )
}

const newId = () => `local$${randomUUID()}`

function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)]
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

/** `3.3.2` ≤ version, compared number by number. */
function idsOnly(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(part => Number.parseInt(part, 10) || 0)
  return major * 1_000_000 + minor * 1000 + patch >= 3_003_002
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const ACTION_ANSWERS = {
  deploy: 'The specified deployments are deployed.',
  redeploy: 'The specified deployments are redeployed.',
  undeploy: 'The specified deployments are undeployed.'
}

export async function startMuleMmcSimulator(
  options: MuleMmcSimulatorOptions = {}
): Promise<MuleMmcSimulator> {
  const username = options.username ?? DEFAULT_USERNAME
  const password = options.password ?? DEFAULT_PASSWORD
  const contextPath = (options.contextPath ?? '/mmc').replace(/\/+$/, '')
  const now = options.now ?? Date.now
  const offset = options.utcOffsetMinutes ?? -180
  const consoleVersion = options.version ?? '3.8.0'

  const groupIds = new Map<string, string>()
  const groupOf = (name: string) => {
    if (!groupIds.has(name)) groupIds.set(name, randomUUID())
    return groupIds.get(name) as string
  }
  for (const name of options.serverGroups ?? []) groupOf(name)
  const servers = new Map<string, SimServer>()
  for (const seed of options.servers ?? ['mule0', 'mule1']) {
    const server: SeedServer = typeof seed === 'string' ? { name: seed, groups: ['Production'] } : seed
    const id = newId()
    servers.set(id, {
      id,
      name: server.name,
      status: server.status ?? 'OK',
      groups: (server.groups ?? []).map(groupOf),
      applications: new Map()
    })
  }
  const serverIds = new Map([...servers.values()].map(server => [server.name, server.id]))
  const clusters = new Map<
    string,
    { id: string; name: string; nodes: string[]; applications: Map<string, string> }
  >()
  for (const seed of options.clusters ?? ['cluster-a']) {
    const cluster: SeedCluster = typeof seed === 'string' ? { name: seed } : seed
    const id = randomUUID()
    const nodes = (cluster.nodes ?? []).map(name => serverIds.get(name) ?? name)
    clusters.set(id, { id, name: cluster.name, nodes, applications: new Map() })
  }
  const clusterIds = new Map([...clusters.values()].map(cluster => [cluster.name, cluster.id]))

  const repository: SimApplication[] = []
  const applicationIds = new Map<string, string>()
  function addVersion(name: string, version: string, file?: Omit<SimVersion, 'id' | 'name'>): SimVersion {
    let application = repository.find(candidate => candidate.name === name)
    if (!application) {
      application = { id: newId(), name, versions: [] }
      repository.push(application)
    }
    const added: SimVersion = { id: newId(), name: version, ...file }
    application.versions.push(added)
    applicationIds.set(`${name}:${version}`, added.id)
    return added
  }
  for (const spec of options.applications ?? ['orders-api:1.0', 'orders-api:1.1', 'billing:2.3']) {
    const colon = spec.lastIndexOf(':')
    addVersion(colon > 0 ? spec.slice(0, colon) : spec, colon > 0 ? spec.slice(colon + 1) : '1.0')
  }
  const versionOf = (id: string) => {
    for (const application of repository) {
      const version = application.versions.find(candidate => candidate.id === id)
      if (version) return { application, version }
    }
    return undefined
  }

  const store = new Map<string, SimDeployment>()
  const uploads: ReceivedUpload[] = []
  let baseUrl = ''

  /** Server ids behind a deployment's targets: a group stands for its members, a cluster for its nodes. */
  function targetServers(deployment: SimDeployment): SimServer[] {
    const found = new Map<string, SimServer>()
    for (const id of deployment.servers) {
      const server = servers.get(id)
      if (server) found.set(id, server)
      for (const member of servers.values()) if (member.groups.includes(id)) found.set(member.id, member)
    }
    return [...found.values()]
  }

  const applicationNames = (deployment: SimDeployment) =>
    deployment.applications.map(id => versionOf(id)?.application.name ?? id)

  /** Deployed: every up server outside failOn, and every cluster, runs the applications. */
  function place(deployment: SimDeployment, deployed: boolean): void {
    const names = applicationNames(deployment)
    const failOn = new Set(deployment.behaviour.failOn ?? [])
    for (const server of targetServers(deployment)) {
      for (const name of names) {
        if (!deployed) server.applications.delete(name)
        else if (server.status === 'OK' && !failOn.has(server.name)) server.applications.set(name, 'STARTED')
      }
    }
    for (const id of deployment.clusters) {
      const cluster = clusters.get(id)
      for (const name of names) {
        if (!deployed) cluster?.applications.delete(name)
        else cluster?.applications.set(name, 'STARTED')
      }
    }
  }

  function reconciled(deployment: SimDeployment): boolean {
    if (deployment.status !== 'DEPLOYED' && deployment.status !== 'SUCCESSFUL') return false
    const names = applicationNames(deployment)
    const onServers = targetServers(deployment).every(
      server => server.status === 'OK' && names.every(name => server.applications.get(name) === 'STARTED')
    )
    const onClusters = deployment.clusters.every(id =>
      names.every(name => clusters.get(id)?.applications.get(name) === 'STARTED')
    )
    return onServers && onClusters
  }

  function settle(deployment: SimDeployment): void {
    const transition = deployment.transition
    if (!transition || now() < transition.at) return
    deployment.transition = undefined
    deployment.modifiedAt = transition.at
    if (transition.to === 'GONE') store.delete(deployment.id)
    else {
      deployment.status = transition.to
      if (transition.to === 'DEPLOYED' || transition.to === 'SUCCESSFUL') place(deployment, true)
      if (transition.to === 'UNDEPLOYED') place(deployment, false)
    }
  }

  function current(): SimDeployment[] {
    for (const deployment of [...store.values()]) settle(deployment)
    return [...store.values()]
  }

  function view(deployment: SimDeployment) {
    return {
      applications: deployment.applications,
      clusterIds: deployment.clusters,
      clusterNames: deployment.clusters.map(id => clusters.get(id)?.name ?? id),
      href: `${baseUrl}/api/deployments/${deployment.id}`,
      id: deployment.id,
      lastModified: formatLastModified(deployment.modifiedAt, offset),
      name: deployment.name,
      reconciled: reconciled(deployment),
      servers: deployment.servers,
      status: deployment.status
    }
  }

  const serverOrGroupId = (name: string) => serverIds.get(name) ?? groupIds.get(name) ?? name
  const applicationId = (spec: string) => {
    if (applicationIds.has(spec)) return applicationIds.get(spec) as string
    const application = repository.find(candidate => candidate.name === spec)
    return application?.versions.at(-1)?.id ?? spec
  }

  function addDeployment(seed: SeedDeployment): SimDeployment {
    const deployment: SimDeployment = {
      id: newId(),
      name: seed.name,
      servers: (seed.servers ?? ['mule0']).map(serverOrGroupId),
      clusters: (seed.clusters ?? []).map(name => clusterIds.get(name) ?? name),
      applications: (seed.applications ?? ['orders-api:1.0']).map(applicationId),
      status: seed.status ?? 'UNDEPLOYED',
      modifiedAt: now(),
      behaviour: seed.behaviour ?? {}
    }
    store.set(deployment.id, deployment)
    if (deployment.status === 'DEPLOYED' || deployment.status === 'SUCCESSFUL') place(deployment, true)
    return deployment
  }
  for (const seed of options.deployments ?? [{ name: 'orders-api', status: 'DEPLOYED' as const }])
    addDeployment(seed)

  function find(id: string): SimDeployment {
    const deployment = current().find(candidate => candidate.id === id)
    if (!deployment) throw new Refusal(404, `A deployment with ID ${id} was not found`)
    return deployment
  }

  const knownServers = () => new Map([...serverIds, ...groupIds])
  const knownApplications = () => {
    const known = new Map<string, string>()
    for (const application of repository) {
      for (const version of application.versions) known.set(`${application.name}-${version.name}`, version.id)
      const last = application.versions.at(-1)
      if (last) known.set(application.name, last.id)
    }
    return known
  }

  /** ids must exist; names (where this console takes them) resolve to ids. Both errors name what was wrong. */
  function idsOf(
    body: Record<string, unknown>,
    kind: string,
    known: Map<string, string>,
    idKey: string,
    nameKey: string
  ) {
    const valid = new Set(known.values())
    const ids = strings(body[idKey])
    const invalid = ids.find(id => !valid.has(id))
    if (invalid) throw new Refusal(402, `Invalid ${kind} ID: ${invalid}`)
    const names = strings(body[nameKey])
    const unknown = names.find(name => !known.has(name))
    if (unknown) throw new Refusal(402, `Invalid ${kind} name: ${unknown}`)
    return [...ids, ...names.map(name => known.get(name) as string)]
  }

  /** A create/add/remove answer: IN_PROGRESS for a while when the option says so. */
  function changing(deployment: SimDeployment): void {
    if (!options.changeInProgressMs) return
    deployment.status = 'IN_PROGRESS'
    deployment.transition = { to: 'UNDEPLOYED', at: now() + options.changeInProgressMs }
  }

  function create(request: RecordedRequest, response: http.ServerResponse) {
    const body = parseJsonObject(request.body)
    if (!body) throw new Refusal(400, 'Malformed new deployment request')
    const name = typeof body.name === 'string' ? body.name.trim() : ''
    if (!name) throw new Refusal(400, 'Missing Deployment Name')
    const named = ['serversNames', 'clusterNames', 'applicationsNames'].filter(
      key => strings(body[key]).length
    )
    if (named.length && idsOnly(consoleVersion)) {
      throw new Refusal(
        400,
        `You cannot create a deployment using the server names and application names (${named.join(', ')}). Instead, use the server or version ID.`
      )
    }
    const targets = idsOf(body, 'server', knownServers(), 'servers', 'serversNames')
    const onClusters = idsOf(body, 'cluster', clusterIds, 'clusters', 'clusterNames')
    const applications = idsOf(body, 'application', knownApplications(), 'applications', 'applicationsNames')
    if (!targets.length && !onClusters.length) throw new Refusal(400, 'Missing target')
    if (!applications.length) throw new Refusal(400, 'Missing application')
    if (current().some(deployment => deployment.name === name))
      throw new Refusal(409, `A deployment with name ${name} already exists`)
    const deployment = addDeployment({ name })
    Object.assign(deployment, { servers: targets, clusters: onClusters, applications })
    changing(deployment)
    sendJson(response, 200, view(deployment))
  }

  /** add/remove: the console stores the change as a new deployment, so the id changes (both pages). */
  function update(request: RecordedRequest, response: http.ServerResponse, id: string, adding: boolean) {
    const deployment = find(id)
    const body = parseJsonObject(request.body)
    if (!body) throw new Refusal(500, 'Invalid request')
    if (typeof body.lastModified !== 'string') throw new Refusal(400, 'lastModified is required')
    if (body.lastModified !== formatLastModified(deployment.modifiedAt, offset))
      throw new Refusal(400, `Deployment ${deployment.name} was modified since ${body.lastModified}`)
    if (deployment.status === 'IN_PROGRESS' || deployment.status === 'DELETING')
      throw new Refusal(400, 'Policies do not allow updating that deployment while it is in progress')
    const change = (
      list: string[],
      kind: string,
      known: Map<string, string>,
      idKey: string,
      nameKey: string
    ) => {
      if (!adding) {
        const gone = new Set([...strings(body[idKey]), ...strings(body[nameKey]).map(n => known.get(n) ?? n)])
        return list.filter(item => !gone.has(item))
      }
      return [...new Set([...list, ...idsOf(body, kind, known, idKey, nameKey)])]
    }
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim() : deployment.name
    if (name !== deployment.name && current().some(other => other.name === name))
      throw new Refusal(409, `A deployment with name ${name} already exists`)
    const updated: SimDeployment = {
      ...deployment,
      id: newId(),
      name,
      servers: change(deployment.servers, 'server', knownServers(), 'servers', 'serversNames'),
      clusters: change(deployment.clusters, 'cluster', clusterIds, 'clusters', 'clusterNames'),
      applications: change(
        deployment.applications,
        'application',
        knownApplications(),
        'applications',
        'applicationsNames'
      ),
      status: 'UNDEPLOYED',
      modifiedAt: Math.max(now(), deployment.modifiedAt + 1000),
      transition: undefined
    }
    store.delete(deployment.id)
    store.set(updated.id, updated)
    changing(updated)
    sendJson(response, 200, view(updated))
  }

  function act(response: http.ServerResponse, id: string, action: 'deploy' | 'redeploy' | 'undeploy') {
    const deployment = find(id)
    if (deployment.status === 'DELETING')
      throw new Refusal(400, `Error ${action}ing the deployment: it is being deleted`)
    if (deployment.status === 'IN_PROGRESS')
      throw new Refusal(400, `Policies do not allow ${action}ing that deployment while it is in progress`)
    const { behaviour } = deployment
    const deployed = deployment.status === 'DEPLOYED' || deployment.status === 'SUCCESSFUL'
    if (behaviour.silentRedeploy && deployed && action !== 'undeploy') {
      place(deployment, true)
    } else if (!behaviour.stuck) {
      const to = action === 'undeploy' ? 'UNDEPLOYED' : (behaviour.outcome ?? 'DEPLOYED')
      deployment.status = 'IN_PROGRESS'
      deployment.modifiedAt = now()
      deployment.transition = { to, at: now() + (behaviour.durationMs ?? 800) }
    }
    if (options.textAnswers) return sendText(response, 200, ACTION_ANSWERS[action])
    response.writeHead(200, { 'content-length': '0' })
    response.end()
  }

  function remove(response: http.ServerResponse, id: string) {
    const deployment = find(id)
    if (!deployment.behaviour.stuck) {
      deployment.status = 'DELETING'
      deployment.transition = { to: 'GONE', at: now() + (deployment.behaviour.deleteMs ?? 500) }
    }
    response.writeHead(200, { 'content-length': '0' })
    response.end()
  }

  function deleteVersion(response: http.ServerResponse, versionId: string) {
    const found = versionOf(versionId)
    if (!found) throw new Refusal(404, 'Error registering the application: Item not found')
    // ASSUMED: a version a deployment holds cannot be deleted (the page documents no such code; 400 is
    // the console's "Policies do not allow…" class of refusal).
    const holder = current().find(deployment => deployment.applications.includes(versionId))
    if (holder)
      throw new Refusal(400, `Policies do not allow deleting a version deployment ${holder.name} uses`)
    found.application.versions = found.application.versions.filter(version => version.id !== versionId)
    applicationIds.delete(`${found.application.name}:${found.version.name}`)
    response.writeHead(200, { 'content-length': '0' })
    response.end()
  }

  const list = (data: unknown[]) => ({ total: data.length, data })
  const serverView = (server: SimServer) => ({
    name: server.name,
    id: server.id,
    version: '3.8.0',
    status: server.status,
    groups: server.groups.map(id => ({
      name: [...groupIds].find(([, groupId]) => groupId === id)?.[0] ?? id,
      href: `${baseUrl}/api/serverGroups/${id}`
    })),
    href: `${baseUrl}/api/servers/${server.id}`
  })
  const deployedView = (applications: Map<string, string>) =>
    list([...applications].map(([name, status]) => ({ name, status })))

  const removeMethod = options.removeMethod ?? 'PUT'
  const api = `${contextPath}/api/deployments`
  const route = new Router()
    .get(api, (request, response) => {
      const server = request.query.serverId ?? request.query.server
      const data = current()
        .filter(deployment => !server || deployment.servers.includes(server))
        .map(view)
      sendJson(response, 200, { data, total: data.length })
    })
    .post(api, create)
    .get(`${api}/:id`, (_request, response, params) => {
      const deployment = view(find(params.id ?? ''))
      sendJson(
        response,
        200,
        options.singleShape === 'wrapped' ? { data: [deployment], total: 1 } : deployment
      )
    })
    .on('DELETE', `${api}/:id`, (_request, response, params) => remove(response, params.id ?? ''))
    .on('PUT', `${api}/:id/add`, (request, response, params) =>
      update(request, response, params.id ?? '', true)
    )
    .on('PUT', `${api}/:id/remove`, (request, response, params) => {
      if (removeMethod !== 'PUT') throw new Refusal(405, 'Method Not Allowed')
      update(request, response, params.id ?? '', false)
    })
    .on('DELETE', `${api}/:id/remove`, (request, response, params) => {
      if (removeMethod !== 'DELETE') throw new Refusal(405, 'Method Not Allowed')
      update(request, response, params.id ?? '', false)
    })
    .post(`${api}/:id/deploy`, (_request, response, params) => act(response, params.id ?? '', 'deploy'))
    .post(`${api}/:id/redeploy`, (_request, response, params) => act(response, params.id ?? '', 'redeploy'))
    .post(`${api}/:id/undeploy`, (_request, response, params) => act(response, params.id ?? '', 'undeploy'))
    .get(`${contextPath}/api/repository`, (_request, response) =>
      sendJson(
        response,
        200,
        list(
          repository.map(application => ({
            name: application.name,
            id: application.id,
            href: `${baseUrl}/api/repository/${application.id}`,
            versions: application.versions.map(version => ({
              name: version.name,
              id: version.id,
              parentPath: `/Applications/${application.name}`
            }))
          }))
        )
      )
    )
    .get(`${contextPath}/api/repository/:id`, (_request, response, params) => {
      const application = repository.find(candidate => candidate.id === params.id)
      if (!application) throw new Refusal(501, 'Application was not found')
      sendJson(response, 200, list(application.versions.map(({ name, id }) => ({ name, id }))))
    })
    .on('DELETE', `${contextPath}/api/repository/:id`, (_request, response, params) =>
      deleteVersion(response, params.id ?? '')
    )
    .get(`${contextPath}/api/servers`, (request, response) => {
      current()
      const group = request.query.group
      const data = [...servers.values()].filter(server => !group || server.groups.includes(group))
      sendJson(response, 200, list(data.map(serverView)))
    })
    .get(`${contextPath}/api/servers/:id/applications`, (_request, response, params) => {
      current()
      const server = servers.get(params.id ?? '')
      if (!server) throw new Refusal(404, 'A server with that ID was not found')
      sendJson(response, 200, deployedView(server.applications))
    })
    .get(`${contextPath}/api/serverGroups`, (_request, response) =>
      sendJson(
        response,
        200,
        list(
          [...groupIds].map(([name, id]) => ({
            name,
            id,
            serverCount: [...servers.values()].filter(server => server.groups.includes(id)).length,
            href: `${baseUrl}/api/serverGroups/${id}`
          }))
        )
      )
    )
    .get(`${contextPath}/api/clusters`, (_request, response) =>
      sendJson(
        response,
        200,
        list(
          [...clusters.values()].map(cluster => ({
            name: cluster.name,
            id: cluster.id,
            nodeServerIds: cluster.nodes,
            clusterStatus: 'OK'
          }))
        )
      )
    )
    .get(`${contextPath}/api/clusters/:id/applications`, (_request, response, params) => {
      current()
      const cluster = clusters.get(params.id ?? '')
      if (!cluster) throw new Refusal(404, 'A cluster with that ID was not found')
      sendJson(response, 200, deployedView(cluster.applications))
    })
    .handler((request, response) => sendText(response, 404, `Not Found: ${request.method} ${request.path}`))

  const authorized = (header: string | undefined) => {
    const credentials = basicCredentials(header)
    return credentials?.[0] === username && credentials[1] === password
  }

  function refuseCredentials(method: string, response: http.ServerResponse): void {
    const status = method === 'GET' ? 401 : (options.writeAuthFailureStatus ?? 401)
    const headers = status === 401 ? { 'www-authenticate': 'Basic realm="mmc"' } : {}
    response.writeHead(status, { 'content-type': 'text/plain', ...headers })
    response.end(status === 401 ? 'Unauthorized user' : 'Fatal error')
  }

  /** `POST /api/repository`: the body streams through the multipart scanner, counted and hashed, never held. */
  function upload(incoming: http.IncomingMessage, response: http.ServerResponse): void {
    const contentType = incoming.headers['content-type'] ?? ''
    const boundary = boundaryOf(contentType)
    const scanner = boundary ? new MultipartScanner(boundary) : undefined
    const lengthHeader = incoming.headers['content-length']
    const received: ReceivedUpload = {
      contentType,
      contentLength: lengthHeader === undefined ? undefined : Number(lengthHeader),
      bytes: 0,
      complete: false,
      parts: [],
      status: 0
    }
    uploads.push(received)
    incoming.on('data', (chunk: Buffer) => {
      received.bytes += chunk.length
      scanner?.write(chunk)
    })
    incoming.on('end', () => {
      const result = scanner?.end()
      received.parts = result?.parts ?? []
      received.complete = result?.complete ?? false
      const answer = (status: number, text: string) => {
        received.status = status
        sendText(response, status, text)
      }
      if (!authorized(incoming.headers.authorization)) {
        received.status = 401
        return refuseCredentials('POST', response)
      }
      const file = received.parts.find(part => part.field === 'file' && part.filename !== undefined)
      if (!received.complete || !file) return answer(500, 'Specify a valid file to upload')
      if (!/\.zip$/i.test(file.filename ?? ''))
        return answer(501, 'Request contents not supported: the app is not a zip file')
      const field = (name: string) => received.parts.find(part => part.field === name)?.value
      const name = field('name') || 'Unnamed Application'
      const version = field('version') || formatLastModified(now(), 0)
      const existing = repository.find(application => application.name === name)
      if (existing?.versions.some(candidate => candidate.name === version))
        return answer(409, 'Application name and version already exists')
      const added = addVersion(name, version, {
        filename: file.filename,
        size: file.size,
        sha256: file.sha256
      })
      const application = repository.find(candidate => candidate.name === name) as SimApplication
      received.status = 200
      sendJson(response, 200, { versionId: added.id, applicationId: application.id })
    })
  }

  const server = await startHttpServer(
    async (request, response) => {
      if (!authorized(request.headers.authorization)) return refuseCredentials(request.method, response)
      try {
        await route(request, response)
      } catch (error) {
        if (!(error instanceof Refusal)) throw error
        sendText(response, error.status, error.message)
      }
    },
    {
      port: options.port,
      host: options.host,
      intercept: (incoming, response) => {
        const path = new URL(incoming.url ?? '/', 'http://simulator.invalid').pathname.replace(/\/+$/, '')
        if (incoming.method !== 'POST' || path !== `${contextPath}/api/repository`) return false
        upload(incoming, response)
        return true
      }
    }
  )
  baseUrl = `${server.url}${contextPath}`

  return {
    ...server,
    baseUrl,
    username,
    password,
    serverIds,
    groupIds,
    clusterIds,
    applicationIds,
    repository,
    uploads,
    server: name => [...servers.values()].find(candidate => candidate.name === name),
    deployments: current,
    byName: name => current().find(deployment => deployment.name === name),
    addDeployment,
    reconciled
  }
}
