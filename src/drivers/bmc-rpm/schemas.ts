import { z } from 'zod'
import { parseRpmTime, TIME_FORMAT_HINT } from './time.js'
import { unwrapRoot } from './xml.js'

/** Integers in RPM's JSON, kept as sent so the `details` output shows the event as RPM gave it. */
const id = z.union([z.number(), z.string()])

const rpmTime = z.string().transform((text, ctx) => {
  const time = parseRpmTime(text)
  if (time) return time
  ctx.addIssue({ code: 'custom', message: `'${text}' is not a date and time with an offset` })
  return z.NEVER
})

/** `allow`: deploy only inside; `prevent`: never inside (docs.bmc.com, Managing deployment windows). */
export const BehaviorSchema = z.enum(['allow', 'prevent'])
export type Behavior = z.infer<typeof BehaviorSchema>

export const SeriesSchema = z
  .object({ id: id.optional(), name: z.string().nullish(), behavior: BehaviorSchema })
  .loose()
export type Series = z.infer<typeof SeriesSchema>

export const EnvironmentSchema = z.object({ id: id.optional(), name: z.string().nullish() }).loose()
export type Environment = z.infer<typeof EnvironmentSchema>

/**
 * `GET|PUT /v1/deployment_window/events/{id}` (REST deployment window events, RPM 5.0): the event with its
 * environment, occurrence and series — these three are left out with `filters[alone]=true` on 5.0.03.004
 * and later, and always present before. JSON or XML; a root wrapper is accepted too.
 */
export const EventSchema = z.preprocess(
  value => unwrapRoot(value, ['event', 'deployment_window_event']),
  z
    .object({
      id,
      state: z.string(),
      start_at: rpmTime,
      finish_at: rpmTime,
      reason: z.string().nullish(),
      environment: EnvironmentSchema.nullish(),
      occurrence: z
        .object({ id: id.optional(), position: z.number().nullish(), start_at: rpmTime, finish_at: rpmTime })
        .loose()
        .nullish(),
      series: SeriesSchema.nullish()
    })
    .loose()
)
export type RpmEvent = z.infer<typeof EventSchema>

const timeParameter = z
  .string()
  .trim()
  .refine(text => parseRpmTime(text) !== undefined, TIME_FORMAT_HINT)

export const BmcRpmParametersSchema = z.strictObject({
  /** Why the state changes; RPM requires it for suspend, resume and move. */
  reason: z.string().trim().min(1, 'reason must not be empty').optional(),
  /** New start and finish, for move. */
  start_at: timeParameter.optional(),
  finish_at: timeParameter.optional()
})
export type BmcRpmParameters = z.infer<typeof BmcRpmParametersSchema>
