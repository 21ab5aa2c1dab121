import * as z from '../../zod.js'
import { addIssue } from '../../inputs/issue.js'
import { parseRpmTime } from './time.js'
import { unwrapRoot } from './xml.js'

/** Integers in RPM's JSON, kept as sent so the `details` output shows the event as RPM gave it. */
const id = z.union([z.number(), z.string()])

const rpmTime = z.pipe(
  z.string(),
  z.transform((text, payload) => {
    const time = parseRpmTime(text)
    if (time) return time
    addIssue(payload, `'${text}' is not a date and time with an offset`)
    return z.NEVER
  })
)

/** `allow`: deploy only inside; `prevent`: never inside (docs.bmc.com, Managing deployment windows). */
export const BehaviorSchema = z.enum(['allow', 'prevent'])
export type Behavior = z.infer<typeof BehaviorSchema>

export const SeriesSchema = z.looseObject({
  id: z.optional(id),
  name: z.nullish(z.string()),
  behavior: BehaviorSchema
})
export type Series = z.infer<typeof SeriesSchema>

export const EnvironmentSchema = z.looseObject({ id: z.optional(id), name: z.nullish(z.string()) })
export type Environment = z.infer<typeof EnvironmentSchema>

/**
 * `GET|PUT /v1/deployment_window/events/{id}` (REST deployment window events, RPM 5.0): the event with its
 * environment, occurrence and series — these three are left out with `filters[alone]=true` on 5.0.03.004
 * and later, and always present before. JSON or XML; a root wrapper is accepted too.
 */
export const EventSchema = z.pipe(
  z.transform((value: unknown) => unwrapRoot(value, ['event', 'deployment_window_event'])),
  z.looseObject({
    id,
    state: z.string(),
    start_at: rpmTime,
    finish_at: rpmTime,
    reason: z.nullish(z.string()),
    environment: z.nullish(EnvironmentSchema),
    occurrence: z.nullish(
      z.looseObject({
        id: z.optional(id),
        position: z.nullish(z.number()),
        start_at: rpmTime,
        finish_at: rpmTime
      })
    ),
    series: z.nullish(SeriesSchema)
  })
)
export type RpmEvent = z.infer<typeof EventSchema>

/**
 * One event as a series lists it: `events: {only: [:id, :start_at, :finish_at]}` (RPM source,
 * `V1::DeploymentWindow::SeriesItemPresenter`, bradybyrd/spider_monkey). Its environment and state are read
 * from the event itself.
 */
export const SeriesEventSchema = z.looseObject({ id, start_at: rpmTime, finish_at: rpmTime })
export type SeriesEvent = z.infer<typeof SeriesEventSchema>

/**
 * A series as `GET /v1/deployment_window/series[/{id}]` renders it (RPM source, `SeriesItemPresenter` and
 * `SeriesCollectionPresenter`: id, name, behavior, start_at, finish_at, archived_at, archive_number,
 * environment_ids, aasm_state…; the item adds `environments {id, name, deployment_policy}` and `events`).
 * The list may embed events and environments too (issue 13's evidence): both forms are read.
 */
export const SeriesItemSchema = z.looseObject({
  id,
  name: z.nullish(z.string()),
  behavior: BehaviorSchema,
  archived_at: z.nullish(z.string()),
  archive_number: z.nullish(z.string()),
  aasm_state: z.nullish(z.string()),
  environment_ids: z.nullish(z.array(id)),
  environments: z.nullish(z.array(EnvironmentSchema)),
  events: z.nullish(z.array(SeriesEventSchema))
})
export type SeriesItem = z.infer<typeof SeriesItemSchema>

/** RPM renders lists as bare arrays (no root wrapper); XML as `<series-collection>` of `<series-item>`. */
export const SeriesListSchema = z.pipe(
  z.transform((value: unknown) =>
    listOf(value, ['series_collection', 'deployment_window_series'], ['series_item', 'series'])
  ),
  z.array(SeriesItemSchema)
)

export const SeriesShowSchema = z.pipe(
  z.transform((value: unknown) => unwrapRoot(value, ['series_item', 'deployment_window_series'])),
  SeriesItemSchema
)

/** `GET /v1/environments?filters[name]=…` (tolomaus/brpm_module_brpm `get_environment_by_name`): an array. */
export const EnvironmentListSchema = z.pipe(
  z.transform((value: unknown) => listOf(value, ['environments'], ['environment'])),
  z.array(z.extend(EnvironmentSchema, { id }))
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
