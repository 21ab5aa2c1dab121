import type * as z from 'zod/mini'
import { ActionError } from '../../errors.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import { segment } from './api.js'
import { ensureOk } from './errors.js'
import { findOne, type Lookup } from './names.js'
import {
  ClusterListSchema,
  DeployedApplicationListSchema,
  RepositorySchema,
  ServerGroupListSchema,
  ServerListSchema,
  type DeployedApplication,
  type MmcApplication,
  type MmcCluster,
  type MmcServer,
  type MmcServerGroup
} from './schemas.js'

export const SERVERS = '/api/servers'
export const SERVER_GROUPS = '/api/serverGroups'
export const CLUSTERS = '/api/clusters'
export const REPOSITORY = '/api/repository'

type Version = NonNullable<MmcApplication['versions']>[number]

/**
 * The console's servers, server groups, clusters and repository, each read once per step (the repository
 * again after an upload changed it). The Maven plugin (pulsenintegration/Maven-Mule-REST-Plugin,
 * MuleRest.restfullyGetServerId, restfullyGetServerGroupId, restfullyGetApplicationId) resolves names the same
 * way: it lists `GET /api/servers`, `/api/serverGroups` or `/api/repository` and matches `data[].name`.
 */
export class Directory {
  private readonly cache = new Map<string, Promise<unknown>>()

  constructor(private readonly http: HttpClient) {}

  private list<T>(path: string, schema: z.ZodMiniType<T>): Promise<T> {
    let cached = this.cache.get(path) as Promise<T> | undefined
    if (!cached) {
      cached = this.read(path, schema)
      this.cache.set(path, cached)
      cached.catch(() => this.cache.delete(path))
    }
    return cached
  }

  private async read<T>(path: string, schema: z.ZodMiniType<T>): Promise<T> {
    const request: HttpRequest = { method: 'GET', path }
    const response = ensureOk(await this.http.send(request), this.http.describe(request))
    return decode(schema, response.body, `Mule Management Console ${this.http.describe(request)}`)
  }

  servers(): Promise<MmcServer[]> {
    return this.list(SERVERS, ServerListSchema)
  }

  serverGroups(): Promise<MmcServerGroup[]> {
    return this.list(SERVER_GROUPS, ServerGroupListSchema)
  }

  clusters(): Promise<MmcCluster[]> {
    return this.list(CLUSTERS, ClusterListSchema)
  }

  repository(): Promise<MmcApplication[]> {
    return this.list(REPOSITORY, RepositorySchema)
  }

  /** After an upload or a version deleted: the next repository() reads it again. */
  forgetRepository(): void {
    this.cache.delete(REPOSITORY)
  }

  /** `GET /api/servers/{id}/applications` or `/api/clusters/{id}/applications`: what runs there now. */
  deployedOn(kind: 'server' | 'cluster', id: string): Promise<DeployedApplication[]> {
    const base = kind === 'server' ? SERVERS : CLUSTERS
    return this.read(`${base}/${segment(id)}/applications`, DeployedApplicationListSchema)
  }
}

export const serverLookup = (items: MmcServer[]): Lookup<MmcServer> => ({
  kind: 'server',
  source: `GET ${SERVERS}`,
  items,
  nameOf: server => server.name,
  idOf: server => server.id
})

export const groupLookup = (items: MmcServerGroup[]): Lookup<MmcServerGroup> => ({
  kind: 'server group',
  source: `GET ${SERVER_GROUPS}`,
  items,
  nameOf: group => group.name,
  idOf: group => group.id
})

export const clusterLookup = (items: MmcCluster[]): Lookup<MmcCluster> => ({
  kind: 'cluster',
  source: `GET ${CLUSTERS}`,
  items,
  nameOf: cluster => cluster.name,
  idOf: cluster => cluster.id
})

const versionsText = (application: MmcApplication) =>
  (application.versions ?? []).map(version => version.name).join(', ') || 'no versions'

export const applicationLookup = (items: MmcApplication[]): Lookup<MmcApplication> => ({
  kind: 'application',
  source: `GET ${REPOSITORY}`,
  items,
  nameOf: application => application.name,
  idOf: application => application.id,
  show: application => `${application.name} (versions: ${versionsText(application)})`,
  hint: 'Applications are named as in the console’s repository; upload one with artifacts.'
})

const versionLookup = (application: MmcApplication): Lookup<Version> => ({
  kind: `version of ${application.name}`,
  source: `GET ${REPOSITORY}`,
  items: application.versions ?? [],
  nameOf: version => version.name,
  idOf: version => version.id
})

/** The application a version id belongs to, from the repository listing. */
export function applicationOfVersion(
  repository: MmcApplication[],
  versionId: string
): { application: MmcApplication; version: Version } | undefined {
  for (const application of repository) {
    const version = application.versions?.find(candidate => candidate.id === versionId)
    if (version) return { application, version }
  }
  return undefined
}

/**
 * One application of `applications`: a version id, `name:version`, or a bare `name`. A bare name takes the
 * application's only version; within `among` (the versions a deployment holds, for remove) the ones held.
 * Several versions and no way to choose is an error listing them.
 */
export function resolveApplication(
  repository: MmcApplication[],
  wanted: string,
  among?: readonly string[]
): string[] {
  if (applicationOfVersion(repository, wanted)) return [wanted]
  const colon = wanted.lastIndexOf(':')
  const name = colon > 0 ? wanted.slice(0, colon) : wanted
  const versionName = colon > 0 ? wanted.slice(colon + 1) : undefined
  const application = findOne(applicationLookup(repository), name)
  if (versionName !== undefined) return [findOne(versionLookup(application), versionName).id]
  const versions = application.versions ?? []
  if (among) {
    const held = versions.filter(version => among.includes(version.id)).map(version => version.id)
    if (held.length) return held
  }
  if (versions.length === 1) return [(versions[0] as Version).id]
  throw new ActionError(
    versions.length
      ? `Application ${application.name} has ${versions.length} versions in the repository (${versionsText(application)}); say which one as ${application.name}:<version>`
      : `Application ${application.name} has no version in the repository (GET ${REPOSITORY})`
  )
}
