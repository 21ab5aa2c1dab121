import * as z from '../../zod.js'

const ids = z.nullish(z.array(z.string()))

/**
 * A deployment as the console shows it (Managing Deployments Using REST APIs; REST API Reference:
 * Deployments, github.com/mulesoft/docs-mule-management-console deployments.adoc). `lastModified` is kept as
 * the exact string: add and remove want it sent back unchanged.
 */
export const MmcDeploymentSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  status: z.string(),
  href: z.nullish(z.string()),
  lastModified: z.nullish(z.string()),
  reconciled: z.nullish(z.boolean()),
  servers: ids,
  clusterIds: ids,
  clusterNames: ids,
  applications: ids
})
export type MmcDeployment = z.infer<typeof MmcDeploymentSchema>

/** `GET /api/deployments` → `{total, data: […]}`. */
export const DeploymentListSchema = z.pipe(
  z.looseObject({ total: z.optional(z.number()), data: z.array(MmcDeploymentSchema) }),
  z.transform(list => list.data)
)

/**
 * `GET /api/deployments/{id}`: the Managing Deployments page shows the object itself, the REST API Reference
 * shows it wrapped as `{total, data: […]}`. Both are read; an empty `data` is undefined (no such deployment).
 */
export const SingleDeploymentSchema = z.union([
  MmcDeploymentSchema,
  z.pipe(
    DeploymentListSchema,
    z.transform(data => data[0])
  )
])

/** One id or name, or several: a YAML list, or a comma-separated string. */
const list = z.optional(
  z.pipe(
    z.union([z.string(), z.array(z.union([z.string(), z.number()]))]),
    z.transform(value =>
      (Array.isArray(value) ? value.map(String) : value.split(',')).map(item => item.trim()).filter(Boolean)
    )
  )
)

/**
 * The console's documented request fields, under the console's names; `serverNames` and `applicationNames`
 * are accepted for `serversNames` and `applicationsNames`, which are easy to misspell. Every list takes ids
 * or names: names are resolved to ids before anything is sent (MMC 3.3.2 and later refuse names on create).
 */
export const MuleParametersSchema = z.strictObject({
  servers: list,
  serversNames: list,
  serverNames: list,
  /** Server groups by name or id, sent in `servers` ("List of server or server group IDs", deployments.adoc). */
  serverGroups: list,
  clusters: list,
  clusterNames: list,
  /** Applications as `name` or `name:version` (or version ids) from the repository. */
  applications: list,
  applicationsNames: list,
  applicationNames: list,
  /** The deployment's name on create; its new name on add (and remove). */
  name: z.optional(z.string().check(z.trim(), z.minLength(1, 'name must not be empty'))),
  /** create, add or remove, then deploy the result in the same step. */
  deploy: z.optional(z.boolean()),
  /** With `artifacts`: the application's name in the repository; default the archive's name. */
  application: z.optional(z.string().check(z.trim(), z.minLength(1, 'application must not be empty'))),
  /** With `artifacts`: the version to upload; default the commit (GITHUB_SHA, short) or the archive's version. */
  version: z.optional(
    z.pipe(
      z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
      z.string().check(z.trim(), z.minLength(1))
    )
  ),
  /** With `artifacts`: an existing version of that name is deleted from the repository and uploaded again. */
  replaceVersion: z.optional(z.boolean()),
  /** A deploy that ends DEPLOYED but not reconciled (some server not in step) succeeds with a warning. */
  allowPartial: z.optional(z.boolean())
})
export type MuleParameters = z.infer<typeof MuleParametersSchema>

/** `{total, data: […]}`, the envelope of every list the REST API Reference documents. */
const listOf = <T extends z.ZodMiniType>(item: T) =>
  z.pipe(
    z.looseObject({ total: z.optional(z.number()), data: z.array(item) }),
    z.transform(list => list.data)
  )

/**
 * `GET /api/servers` (REST API Reference: Servers, servers.adoc, "LIST ALL"): `data[]` with `name`, `id`,
 * `status` ("OK, STOPPED"), `groups[]` of `{name, href}`. The Maven plugin
 * (pulsenintegration/Maven-Mule-REST-Plugin, MuleRest.restfullyGetServerId / restfullyGetServerIdsInGroup)
 * reads `data[].name`, `data[].id` and `data[].groups[].name`.
 */
export const MmcServerSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  status: z.nullish(z.string()),
  groups: z.nullish(z.array(z.looseObject({ name: z.nullish(z.string()), href: z.nullish(z.string()) })))
})
export type MmcServer = z.infer<typeof MmcServerSchema>
export const ServerListSchema = listOf(MmcServerSchema)

/** `GET /api/serverGroups` (server-groups.adoc, "LIST ALL"): `data[]` with `name`, `id`, `serverCount`. */
export const MmcServerGroupSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  serverCount: z.nullish(z.number())
})
export type MmcServerGroup = z.infer<typeof MmcServerGroupSchema>
export const ServerGroupListSchema = listOf(MmcServerGroupSchema)

/** `GET /api/clusters` (clusters.adoc, "LIST ALL"): `data[]` with `name`, `id`, `nodeServerIds`, `clusterStatus`. */
export const MmcClusterSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  nodeServerIds: z.nullish(z.array(z.string())),
  clusterStatus: z.nullish(z.string())
})
export type MmcCluster = z.infer<typeof MmcClusterSchema>
export const ClusterListSchema = listOf(MmcClusterSchema)

/**
 * `GET /api/repository` (repository-of-applications.adoc, "LIST ALL"): `data[]` applications with `name`, `id`
 * and `versions[]` of `{name, id}`; the Maven plugin (MuleRest.restfullyGetApplicationId) reads the same.
 */
export const MmcApplicationSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  versions: z.nullish(z.array(z.looseObject({ id: z.string().check(z.minLength(1)), name: z.string() })))
})
export type MmcApplication = z.infer<typeof MmcApplicationSchema>
export const RepositorySchema = listOf(MmcApplicationSchema)

/** `POST /api/repository` answers `{versionId, applicationId}` (repository-of-applications.adoc, "UPLOAD"). */
export const UploadAnswerSchema = z.looseObject({
  versionId: z.string().check(z.minLength(1)),
  applicationId: z.nullish(z.string())
})

/**
 * `GET /api/servers/{id}/applications` (servers.adoc, "LIST APPLICATIONS") and
 * `GET /api/clusters/{id}/applications` (clusters.adoc, "LIST ALL MULE APPS"): `data[]` of `{name, status}`,
 * status INITIALISED, STARTED, STOPPED or DISPOSED.
 */
export const DeployedApplicationListSchema = listOf(
  z.looseObject({ name: z.string(), status: z.nullish(z.string()) })
)
export type DeployedApplication = { name: string; status?: string | null }
