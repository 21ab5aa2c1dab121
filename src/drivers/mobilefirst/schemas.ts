import { z } from 'zod'

/** Ids are numbers in JSON and strings in XML. */
const stringish = z.union([z.string(), z.number()]).transform(value => String(value))

/** `true`/`false` in JSON, "true"/"false" in XML. */
const booleanish = z.union([z.boolean(), z.enum(['true', 'false']).transform(value => value === 'true')])

/** The deployable: name and type, the file name, and the names inside a multi-artifact upload. */
const DescriptionSchema = z
  .object({
    name: z.string().optional(),
    type: z.string().optional(),
    filename: z.string().optional(),
    contentNames: z.array(z.string()).optional()
  })
  .loose()

/**
 * A transaction, as "Transaction (GET)" answers it and as the `transaction` of "Deploy (POST)" holds it
 * (https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/r_restapi_transaction_get.html).
 */
export const TransactionSchema = z
  .object({
    id: stringish,
    status: z.string(),
    type: z.string().optional(),
    appServerId: z.string().optional(),
    userName: z.string().optional(),
    timeCreated: z.string().optional(),
    timeUpdated: z.string().optional(),
    productVersion: z.string().optional(),
    project: z.object({ name: z.string().optional() }).loose().optional(),
    description: DescriptionSchema.optional(),
    errors: z
      .array(z.object({ details: z.string().optional() }).loose())
      .nullish()
      .transform(errors => errors ?? [])
  })
  .loose()
export type Transaction = z.infer<typeof TransactionSchema>

/** `POST …/deploy/multi` → `{ok, productVersion, transaction}` (IBM's "Deploy (POST)" page). */
export const DeployResultSchema = z
  .object({
    ok: booleanish.optional(),
    productVersion: z.string().optional(),
    transaction: TransactionSchema
  })
  .loose()

export { MobileFirstParametersSchema, type MobileFirstParameters } from './parameters-schema.js'
