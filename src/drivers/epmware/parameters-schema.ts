// The `parameters` input's schema alone: the platform's definition (plan time, every run) needs it; the
// response schemas in schemas.ts load with the driver, only for the platform a run uses (issue 16).
import * as z from '../../zod.js'

const oneCharacter = (what: string) =>
  z
    .string()
    .check(z.refine(value => [...value].length === 1, `${what} must be exactly one character, e.g. ","`))

export const EpmwareParametersSchema = z.strictObject({
  /** A deployment to run when this one fails; its result is reported too. */
  rollback: z.optional(
    z.string().check(z.trim(), z.minLength(1, 'rollback must name a deployment configuration'))
  ),
  /** erp-import: the file's column delimiter (erp/upload_file `delimiter_char`, required there; `,` here). */
  delimiter_char: z.optional(oneCharacter('delimiter_char')),
  /** erp-import: the character fields are enclosed by (erp/upload_file `enclosing_char`, optional). */
  enclosing_char: z.optional(
    z
      .string()
      .check(z.refine(value => [...value].length <= 1, 'enclosing_char must be one character or empty'))
  ),
  /** export: run this export book (export/run `book_name`) instead of the profile named by target. */
  book_name: z.optional(z.string().check(z.trim(), z.minLength(1, 'book_name must name an export book')))
})
export type EpmwareParameters = z.infer<typeof EpmwareParametersSchema>
