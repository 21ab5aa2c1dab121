// The `parameters` input's schema alone: the platform's definition (plan time, every run) needs it; the
// response schemas in schemas.ts load with the driver, only for the platform a run uses (issue 16).
import { z } from 'zod'
import { parseRpmTime, TIME_FORMAT_HINT } from './time.js'

const timeParameter = z
  .string()
  .trim()
  .refine(text => parseRpmTime(text) !== undefined, TIME_FORMAT_HINT)

export const BmcRpmParametersSchema = z.strictObject({
  /** Why the state changes; RPM requires it for suspend, resume and move. */
  reason: z.string().trim().min(1, 'reason must not be empty').optional(),
  /** New start and finish, for move. */
  start_at: timeParameter.optional(),
  finish_at: timeParameter.optional(),
  /** The environment whose window is meant, instead of an event id in target. */
  environment: z.string().trim().min(1, 'environment must not be empty').optional(),
  /** With an environment in several series: the series (name or id) whose events count. */
  series: z
    .union([z.string().trim().min(1, 'series must not be empty'), z.number().int().positive()])
    .transform(value => String(value))
    .optional()
})
export type BmcRpmParameters = z.infer<typeof BmcRpmParametersSchema>
