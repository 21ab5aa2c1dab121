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
 * are accepted for `serversNames` and `applicationsNames`, which are easy to misspell.
 */
export const MuleParametersSchema = z.strictObject({
  servers: list,
  serversNames: list,
  serverNames: list,
  clusters: list,
  clusterNames: list,
  applications: list,
  applicationsNames: list,
  applicationNames: list,
  /** The deployment's name on create; its new name on add (and remove). */
  name: z.string().trim().min(1, 'name must not be empty').optional(),
  /** create, add or remove, then deploy the result in the same step. */
  deploy: z.boolean().optional()
})
export type MuleParameters = z.infer<typeof MuleParametersSchema>
