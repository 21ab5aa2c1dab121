// The `parameters` input's schema alone: the platform's definition (plan time, every run) needs it; the
// response schemas in schemas.ts load with the driver, only for the platform a run uses (issue 16).
import * as z from '../../zod.js'
import { parseRpmTime, TIME_FORMAT_HINT } from './time.js'

const timeParameter = z.string().check(
  z.trim(),
  z.refine(text => parseRpmTime(text) !== undefined, TIME_FORMAT_HINT)
)

export const BmcRpmParametersSchema = z.strictObject({
  /** Why the state changes; RPM requires it for suspend, resume and move. */
  reason: z.optional(z.string().check(z.trim(), z.minLength(1, 'reason must not be empty'))),
  /** New start and finish, for move. */
  start_at: z.optional(timeParameter),
  finish_at: z.optional(timeParameter),
  /** The environment whose window is meant, instead of an event id in target. */
  environment: z.optional(z.string().check(z.trim(), z.minLength(1, 'environment must not be empty'))),
  /** With an environment in several series: the series (name or id) whose events count. */
  series: z.optional(
    z.pipe(
      z.union([
        z.string().check(z.trim(), z.minLength(1, 'series must not be empty')),
        z.int().check(z.positive())
      ]),
      z.transform(value => String(value))
    )
  )
})
export type BmcRpmParameters = z.infer<typeof BmcRpmParametersSchema>
