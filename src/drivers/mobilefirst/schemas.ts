import * as z from '../../zod.js'

/** Ids are numbers in JSON and strings in XML. */
const stringish = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform(value => String(value))
)

/** `true`/`false` in JSON, "true"/"false" in XML (a transaction's `ok`, the runtime lock's `busy`). */
export const booleanish = z.union([
  z.boolean(),
  z.pipe(
    z.enum(['true', 'false']),
    z.transform(value => value === 'true')
  )
])

/** The deployable: name and type, the file name, and the names inside a multi-artifact upload. */
const DescriptionSchema = z.looseObject({
  name: z.optional(z.string()),
  type: z.optional(z.string()),
  filename: z.optional(z.string()),
  contentNames: z.optional(z.array(z.string()))
})

/**
 * A transaction, as "Transaction (GET)" answers it and as the `transaction` of "Deploy (POST)" holds it
 * (https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/r_restapi_transaction_get.html).
 */
export const TransactionSchema = z.looseObject({
  id: stringish,
  status: z.string(),
  type: z.optional(z.string()),
  appServerId: z.optional(z.string()),
  userName: z.optional(z.string()),
  timeCreated: z.optional(z.string()),
  timeUpdated: z.optional(z.string()),
  productVersion: z.optional(z.string()),
  project: z.optional(z.looseObject({ name: z.optional(z.string()) })),
  description: z.optional(DescriptionSchema),
  errors: z.pipe(
    z.nullish(z.array(z.looseObject({ details: z.optional(z.string()) }))),
    z.transform(errors => errors ?? [])
  )
})
export type Transaction = z.infer<typeof TransactionSchema>

/** `POST …/deploy/multi` → `{ok, productVersion, transaction}` (IBM's "Deploy (POST)" page). */
export const DeployResultSchema = z.looseObject({
  ok: z.optional(booleanish),
  productVersion: z.optional(z.string()),
  transaction: TransactionSchema
})

export { MobileFirstParametersSchema, type MobileFirstParameters } from './parameters-schema.js'
