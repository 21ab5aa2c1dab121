/**
 * Mule Management Console deployments API simulator. Sources:
 * - Managing Deployments Using REST APIs (shared/vendor-docs/001_…): list `{total, data}`, get one (the bare
 *   object), create (name + at least one target + at least one application; invalid ids named in the error),
 *   add/remove (the deployment comes back under a NEW id), deploy/redeploy/undeploy (a bare 200), delete;
 *   statuses DEPLOYED, UNDEPLOYED, IN_PROGRESS, SUCCESSFUL, FAILED, DELETING; `lastModified` as
 *   `%day, %dayNumber %month %year %hour:%minutes:%seconds %timeZone` ("Mon, 5 Sep 2011 12:19:15 GMT-03:00").
 * - REST API Reference: Deployments (github.com/mulesoft/docs-mule-management-console,
 *   modules/ROOT/pages/deployments.adoc): get one wrapped as `{total, data}` (option `singleShape`), add and
 *   remove are PUT and require the stored `lastModified`; codes 400, 401, 402 invalid id, 404, 409 name taken.
 * - VENDOR-NOTES: HTTP Basic; wrong credentials come back as 500 on some endpoints (option).
 * Error bodies are not documented: they are plain text here, as a servlet container's error page would be.
 */
import type http from 'node:http'
import { randomUUID } from 'node:crypto'
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
}

export interface SeedDeployment {
  name: string
  status?: MmcStatus
  /** Server names (from `servers`). */
  servers?: string[]
  /** Application names (from `applications`). */
  applications?: string[]
  behaviour?: DeploymentBehaviour
}

export interface MuleMmcSimulatorOptions {
  username?: string
  password?: string
  /** The console's web application path; default /mmc. */
  contextPath?: string
  /** Server and application names → ids are generated; default mule0, mule1 and orders-api-1.0, billing-2.3. */
  servers?: string[]
  clusters?: string[]
  applications?: string[]
  deployments?: SeedDeployment[]
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
  servers: string[]
  clusters: string[]
  applications: string[]
  status: MmcStatus
  modifiedAt: number
  behaviour: DeploymentBehaviour
  transition?: Transition
}

export interface MuleMmcSimulator extends RunningServer {
  /** url + context path: what base-url should be. */
  readonly baseUrl: string
  readonly username: string
  readonly password: string
  readonly serverIds: ReadonlyMap<string, string>
  readonly applicationIds: ReadonlyMap<string, string>
  /** Current deployments by id (settled to `now`). */
  deployments(): SimDeployment[]
  byName(name: string): SimDeployment | undefined
  addDeployment(seed: SeedDeployment): SimDeployment
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

function basicCredentials(request: RecordedRequest): [string, string] | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
  if (!match?.[1]) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)]
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export async function startMuleMmcSimulator(
  options: MuleMmcSimulatorOptions = {}
): Promise<MuleMmcSimulator> {
  const username = options.username ?? DEFAULT_USERNAME
  const password = options.password ?? DEFAULT_PASSWORD
  const contextPath = (options.contextPath ?? '/mmc').replace(/\/+$/, '')
  const now = options.now ?? Date.now
  const offset = options.utcOffsetMinutes ?? -180
  const named = (names: string[]) => new Map(names.map(name => [name, newId()]))
  const serverIds = named(options.servers ?? ['mule0', 'mule1'])
  const clusterIds = named(options.clusters ?? ['cluster-a'])
  const applicationIds = named(options.applications ?? ['orders-api-1.0', 'orders-api-1.1', 'billing-2.3'])
  const clusterNameOf = new Map([...clusterIds].map(([name, id]) => [id, name]))
  const store = new Map<string, SimDeployment>()
  let baseUrl = ''

  function settle(deployment: SimDeployment): void {
    const transition = deployment.transition
    if (!transition || now() < transition.at) return
    deployment.transition = undefined
    deployment.modifiedAt = transition.at
    if (transition.to === 'GONE') store.delete(deployment.id)
    else deployment.status = transition.to
  }

  function current(): SimDeployment[] {
    for (const deployment of [...store.values()]) settle(deployment)
    return [...store.values()]
  }

  function view(deployment: SimDeployment) {
    return {
      applications: deployment.applications,
      clusterIds: deployment.clusters,
      clusterNames: deployment.clusters.map(id => clusterNameOf.get(id) ?? id),
      href: `${baseUrl}/api/deployments/${deployment.id}`,
      id: deployment.id,
      lastModified: formatLastModified(deployment.modifiedAt, offset),
      name: deployment.name,
      reconciled: deployment.status === 'DEPLOYED',
      servers: deployment.servers,
      status: deployment.status
    }
  }

  function addDeployment(seed: SeedDeployment): SimDeployment {
    const deployment: SimDeployment = {
      id: newId(),
      name: seed.name,
      servers: (seed.servers ?? ['mule0']).map(name => serverIds.get(name) ?? name),
      clusters: [],
      applications: (seed.applications ?? ['orders-api-1.0']).map(name => applicationIds.get(name) ?? name),
      status: seed.status ?? 'UNDEPLOYED',
      modifiedAt: now(),
      behaviour: seed.behaviour ?? {}
    }
    store.set(deployment.id, deployment)
    return deployment
  }
  for (const seed of options.deployments ?? [{ name: 'orders-api', status: 'DEPLOYED' as const }])
    addDeployment(seed)

  function find(id: string): SimDeployment {
    const deployment = current().find(candidate => candidate.id === id)
    if (!deployment) throw new Refusal(404, `A deployment with ID ${id} was not found`)
    return deployment
  }

  /** ids must exist; names resolve to ids. Both errors name what was wrong, as the page says they do. */
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

  function create(request: RecordedRequest, response: http.ServerResponse) {
    const body = parseJsonObject(request.body)
    if (!body) throw new Refusal(400, 'Malformed new deployment request')
    const name = typeof body.name === 'string' ? body.name.trim() : ''
    if (!name) throw new Refusal(400, 'Missing Deployment Name')
    const servers = idsOf(body, 'server', serverIds, 'servers', 'serversNames')
    const clusters = idsOf(body, 'cluster', clusterIds, 'clusters', 'clusterNames')
    const applications = idsOf(body, 'application', applicationIds, 'applications', 'applicationsNames')
    if (!servers.length && !clusters.length) throw new Refusal(400, 'Missing target')
    if (!applications.length) throw new Refusal(400, 'Missing application')
    if (current().some(deployment => deployment.name === name))
      throw new Refusal(409, `A deployment with name ${name} already exists`)
    const deployment = addDeployment({ name })
    Object.assign(deployment, { servers, clusters, applications })
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
      servers: change(deployment.servers, 'server', serverIds, 'servers', 'serversNames'),
      clusters: change(deployment.clusters, 'cluster', clusterIds, 'clusters', 'clusterNames'),
      applications: change(
        deployment.applications,
        'application',
        applicationIds,
        'applications',
        'applicationsNames'
      ),
      status: 'UNDEPLOYED',
      modifiedAt: Math.max(now(), deployment.modifiedAt + 1000),
      transition: undefined
    }
    store.delete(deployment.id)
    store.set(updated.id, updated)
    sendJson(response, 200, view(updated))
  }

  function act(response: http.ServerResponse, id: string, action: 'deploy' | 'redeploy' | 'undeploy') {
    const deployment = find(id)
    if (deployment.status === 'DELETING')
      throw new Refusal(400, `Error ${action}ing the deployment: it is being deleted`)
    const { behaviour } = deployment
    if (!behaviour.stuck) {
      const to = action === 'undeploy' ? 'UNDEPLOYED' : (behaviour.outcome ?? 'DEPLOYED')
      deployment.status = 'IN_PROGRESS'
      deployment.modifiedAt = now()
      deployment.transition = { to, at: now() + (behaviour.durationMs ?? 800) }
    }
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
    .handler((request, response) => sendText(response, 404, `Not Found: ${request.method} ${request.path}`))

  const server = await startHttpServer(
    async (request, response) => {
      const credentials = basicCredentials(request)
      if (credentials?.[0] !== username || credentials[1] !== password) {
        const status = request.method === 'GET' ? 401 : (options.writeAuthFailureStatus ?? 401)
        const headers = status === 401 ? { 'www-authenticate': 'Basic realm="mmc"' } : {}
        response.writeHead(status, { 'content-type': 'text/plain', ...headers })
        return void response.end(status === 401 ? 'Unauthorized user' : 'Fatal error')
      }
      try {
        await route(request, response)
      } catch (error) {
        if (!(error instanceof Refusal)) throw error
        sendText(response, error.status, error.message)
      }
    },
    { port: options.port, host: options.host }
  )
  baseUrl = `${server.url}${contextPath}`

  return {
    ...server,
    baseUrl,
    username,
    password,
    serverIds,
    applicationIds,
    deployments: current,
    byName: name => current().find(deployment => deployment.name === name),
    addDeployment
  }
}
