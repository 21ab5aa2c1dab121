// The `parameters` input's schema alone: the platform's definition (plan time, every run) needs it; the
// response schemas in schemas.ts load with the driver, only for the platform a run uses (issue 16).
import * as z from '../../zod.js'

export const MobileFirstParametersSchema = z.strictObject({
  /** The locale of the service's error messages, e.g. de_DE. */
  locale: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.regex(/^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$/, 'locale must look like en, de_DE or pt-BR')
      )
  ),
  /** async=false: the service answers when the transaction has ended. */
  synchronous: z.optional(z.boolean('synchronous must be true or false'))
})
export type MobileFirstParameters = z.infer<typeof MobileFirstParametersSchema>
