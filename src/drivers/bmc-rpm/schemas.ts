import { z } from 'zod'
import { parseRpmTime } from './time.js'
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

/**
 * One event as a series lists it: `events: {only: [:id, :start_at, :finish_at]}` (RPM source,
 * `V1::DeploymentWindow::SeriesItemPresenter`, bradybyrd/spider_monkey). Its environment and state are read
 * from the event itself.
 */
export const SeriesEventSchema = z.object({ id, start_at: rpmTime, finish_at: rpmTime }).loose()
export type SeriesEvent = z.infer<typeof SeriesEventSchema>

/**
 * A series as `GET /v1/deployment_window/series[/{id}]` renders it (RPM source, `SeriesItemPresenter` and
 * `SeriesCollectionPresenter`: id, name, behavior, start_at, finish_at, archived_at, archive_number,
 * environment_ids, aasm_state…; the item adds `environments {id, name, deployment_policy}` and `events`).
 * The list may embed events and environments too (issue 13's evidence): both forms are read.
 */
export const SeriesItemSchema = z
  .object({
    id,
    name: z.string().nullish(),
    behavior: BehaviorSchema,
    archived_at: z.string().nullish(),
    archive_number: z.string().nullish(),
    aasm_state: z.string().nullish(),
    environment_ids: z.array(id).nullish(),
    environments: z.array(EnvironmentSchema).nullish(),
    events: z.array(SeriesEventSchema).nullish()
  })
  .loose()
export type SeriesItem = z.infer<typeof SeriesItemSchema>

/** RPM renders lists as bare arrays (no root wrapper); XML as `<series-collection>` of `<series-item>`. */
export const SeriesListSchema = z.preprocess(
  value => listOf(value, ['series_collection', 'deployment_window_series'], ['series_item', 'series']),
  z.array(SeriesItemSchema)
)

export const SeriesShowSchema = z.preprocess(
  value => unwrapRoot(value, ['series_item', 'deployment_window_series']),
  SeriesItemSchema
)

/** `GET /v1/environments?filters[name]=…` (tolomaus/brpm_module_brpm `get_environment_by_name`): an array. */
export const EnvironmentListSchema = z.preprocess(
  value => listOf(value, ['environments'], ['environment']),
  z.array(EnvironmentSchema.extend({ id }))
)

function listOf(value: unknown, roots: readonly string[], children: readonly string[]): unknown {
  if (Array.isArray(value)) return value
  const unwrapped = unwrapRoot(value, roots)
  if (Array.isArray(unwrapped) || !unwrapped || typeof unwrapped !== 'object') return unwrapped
  const record = unwrapped as Record<string, unknown>
  for (const child of children) {
    if (child in record) return [record[child]].flat()
  }
  return unwrapped
}

export { BmcRpmParametersSchema, type BmcRpmParameters } from './parameters-schema.js'
