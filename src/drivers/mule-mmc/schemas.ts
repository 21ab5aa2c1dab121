import { z } from 'zod'

const ids = z.array(z.string()).nullish()

/**
 * A deployment as the console shows it (Managing Deployments Using REST APIs; REST API Reference:
 * Deployments, github.com/mulesoft/docs-mule-management-console deployments.adoc). `lastModified` is kept as
 * the exact string: add and remove want it sent back unchanged.
 */
export const MmcDeploymentSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    status: z.string(),
    href: z.string().nullish(),
    lastModified: z.string().nullish(),
    reconciled: z.boolean().nullish(),
    servers: ids,
    clusterIds: ids,
    clusterNames: ids,
    applications: ids
  })
  .loose()
export type MmcDeployment = z.infer<typeof MmcDeploymentSchema>

/** `GET /api/deployments` → `{total, data: […]}`. */
export const DeploymentListSchema = z
  .object({ total: z.number().optional(), data: z.array(MmcDeploymentSchema) })
  .loose()
  .transform(list => list.data)

/**
 * `GET /api/deployments/{id}`: the Managing Deployments page shows the object itself, the REST API Reference
 * shows it wrapped as `{total, data: […]}`. Both are read; an empty `data` is undefined (no such deployment).
 */
export const SingleDeploymentSchema = z.union([
  MmcDeploymentSchema,
  DeploymentListSchema.transform(data => data[0])
])

/** One id or name, or several: a YAML list, or a comma-separated string. */
const list = z
  .union([z.string(), z.array(z.union([z.string(), z.number()]))])
  .transform(value =>
    (Array.isArray(value) ? value.map(String) : value.split(',')).map(item => item.trim()).filter(Boolean)
  )
  .optional()

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
  name: z.string().trim().min(1, 'name must not be empty').optional(),
  /** create, add or remove, then deploy the result in the same step. */
  deploy: z.boolean().optional(),
  /** With `artifacts`: the application's name in the repository; default the archive's name. */
  application: z.string().trim().min(1, 'application must not be empty').optional(),
  /** With `artifacts`: the version to upload; default the commit (GITHUB_SHA, short) or the archive's version. */
  version: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1)).optional(),
  /** With `artifacts`: an existing version of that name is deleted from the repository and uploaded again. */
  replaceVersion: z.boolean().optional(),
  /** A deploy that ends DEPLOYED but not reconciled (some server not in step) succeeds with a warning. */
  allowPartial: z.boolean().optional()
})
export type MuleParameters = z.infer<typeof MuleParametersSchema>

/** `{total, data: […]}`, the envelope of every list the REST API Reference documents. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .object({ total: z.number().optional(), data: z.array(item) })
    .loose()
    .transform(list => list.data)

/**
 * `GET /api/servers` (REST API Reference: Servers, servers.adoc, "LIST ALL"): `data[]` with `name`, `id`,
 * `status` ("OK, STOPPED"), `groups[]` of `{name, href}`. The Maven plugin
 * (pulsenintegration/Maven-Mule-REST-Plugin, MuleRest.restfullyGetServerId / restfullyGetServerIdsInGroup)
 * reads `data[].name`, `data[].id` and `data[].groups[].name`.
 */
export const MmcServerSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    status: z.string().nullish(),
    groups: z.array(z.object({ name: z.string().nullish(), href: z.string().nullish() }).loose()).nullish()
  })
  .loose()
export type MmcServer = z.infer<typeof MmcServerSchema>
export const ServerListSchema = listOf(MmcServerSchema)

/** `GET /api/serverGroups` (server-groups.adoc, "LIST ALL"): `data[]` with `name`, `id`, `serverCount`. */
export const MmcServerGroupSchema = z
  .object({ id: z.string().min(1), name: z.string(), serverCount: z.number().nullish() })
  .loose()
export type MmcServerGroup = z.infer<typeof MmcServerGroupSchema>
export const ServerGroupListSchema = listOf(MmcServerGroupSchema)

/** `GET /api/clusters` (clusters.adoc, "LIST ALL"): `data[]` with `name`, `id`, `nodeServerIds`, `clusterStatus`. */
export const MmcClusterSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    nodeServerIds: z.array(z.string()).nullish(),
    clusterStatus: z.string().nullish()
  })
  .loose()
export type MmcCluster = z.infer<typeof MmcClusterSchema>
export const ClusterListSchema = listOf(MmcClusterSchema)

/**
 * `GET /api/repository` (repository-of-applications.adoc, "LIST ALL"): `data[]` applications with `name`, `id`
 * and `versions[]` of `{name, id}`; the Maven plugin (MuleRest.restfullyGetApplicationId) reads the same.
 */
export const MmcApplicationSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    versions: z.array(z.object({ id: z.string().min(1), name: z.string() }).loose()).nullish()
  })
  .loose()
export type MmcApplication = z.infer<typeof MmcApplicationSchema>
export const RepositorySchema = listOf(MmcApplicationSchema)

/** `POST /api/repository` answers `{versionId, applicationId}` (repository-of-applications.adoc, "UPLOAD"). */
export const UploadAnswerSchema = z
  .object({ versionId: z.string().min(1), applicationId: z.string().nullish() })
  .loose()

/**
 * `GET /api/servers/{id}/applications` (servers.adoc, "LIST APPLICATIONS") and
 * `GET /api/clusters/{id}/applications` (clusters.adoc, "LIST ALL MULE APPS"): `data[]` of `{name, status}`,
 * status INITIALISED, STARTED, STOPPED or DISPOSED.
 */
export const DeployedApplicationListSchema = listOf(
  z.object({ name: z.string(), status: z.string().nullish() }).loose()
)
export type DeployedApplication = { name: string; status?: string | null }
