import { ActionError } from '../../errors.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import { decode } from '../../http/decode.js'
import { rpmListError } from './errors.js'
import {
  EnvironmentListSchema,
  SeriesListSchema,
  SeriesShowSchema,
  type Environment,
  type RpmEvent,
  type SeriesEvent,
  type SeriesItem
} from './schemas.js'
import { assertWellFormed, KNOWN_STATES } from './window.js'

const ENVIRONMENTS = '/v1/environments'
const SERIES = '/v1/deployment_window/series'
/** Events read one by one while looking for the environment's own: a series lists every environment's events. */
const MOST_EVENT_READS = 40

export interface EnvironmentWindowQuery {
  environment: string
  series?: string
}

/** What the look-up found: the event to gate on, or, for a prevent series, none ahead (deployment allowed). */
export type EnvironmentWindow =
  | { kind: 'event'; event: RpmEvent; series: SeriesItem; environment: Environment }
  | { kind: 'none-ahead'; series: SeriesItem; environment: Environment }

export interface LookupDeps {
  http: HttpClient
  now: () => number
  readEvent(id: string): Promise<RpmEvent>
}

/**
 * The deployment window event of an environment that is open now or opens next. Event ids belong to one
 * occurrence of a series, so a workflow names the environment and this finds this week's event:
 * 1. the environment by name, `GET /v1/environments?filters[name]=…` (tolomaus/brpm_module_brpm
 *    `BrpmRestClient#get_environment_by_name`; 404 when none);
 * 2. its series, `GET /v1/deployment_window/series?filters[environment]={id}` (RPM source
 *    `DeploymentWindow::Series` filter `environment`; the same call in DwaineGarden/brpm_auto
 *    `f2_launchPromotionRequest.rb`, which also skips archived series), draft series left out as RPM's own
 *    `series_visible` scope does;
 * 3. the series' events, embedded in the list or read with `GET /v1/deployment_window/series/{id}` (RPM source
 *    `SeriesItemPresenter`: `events {id, start_at, finish_at}`, `environments {id, name}`);
 * 4. those not finished, by start, each read with `GET /v1/deployment_window/events/{id}` until one belongs to
 *    the environment and is not suspended (a series lists the events of all its environments).
 */
export async function findEnvironmentWindow(
  query: EnvironmentWindowQuery,
  deps: LookupDeps
): Promise<EnvironmentWindow> {
  const environment = await findEnvironment(query.environment, deps.http)
  const series = await pickSeries(await seriesOf(environment, deps.http), environment, query.series)
  const events = await eventsOf(series, deps.http)
  const now = deps.now()
  const ahead = events
    .filter(event => {
      assertWellFormed(String(event.id), event.start_at, event.finish_at, `series ${label(series)} listing`)
      return event.finish_at.ms > now
    })
    .sort((a, b) => a.start_at.ms - b.start_at.ms)
  let fallback: RpmEvent | undefined
  let reads = 0
  for (const candidate of ahead) {
    if (reads++ >= MOST_EVENT_READS) break
    const event = await deps.readEvent(String(candidate.id))
    if (!belongsTo(event, environment)) continue
    if (event.finish_at.ms <= now) continue
    if (event.state === 'suspended' || !KNOWN_STATES.includes(event.state)) {
      fallback ??= event
      continue
    }
    return { kind: 'event', event, series, environment }
  }
  if (fallback) return { kind: 'event', event: fallback, series, environment }
  if (series.behavior === 'prevent') return { kind: 'none-ahead', series, environment }
  throw new ActionError(
    `Environment '${environment.name ?? query.environment}' has no deployment window event open now or ahead in series ${label(series)} (allow): there is no window to deploy in`,
    {
      hint: 'Add an occurrence to the series in RPM (Environment > Deployment windows), or name another series with parameters.series.'
    }
  )
}

async function findEnvironment(
  name: string,
  http: HttpClient
): Promise<Environment & { id: string | number }> {
  const request: HttpRequest = { method: 'GET', path: ENVIRONMENTS, query: { 'filters[name]': name } }
  const describe = http.describe(request)
  const response = await http.send(request)
  if (response.status === 404) {
    throw new ActionError(`RPM has no environment named '${name}' (${describe} answered HTTP 404)`, {
      httpStatus: 404,
      hint: 'Check target (or parameters.environment): the environment name as RPM shows it, or a deployment window event id (digits).'
    })
  }
  if (response.status < 200 || response.status >= 300) throw rpmListError(response, describe)
  const found = decode(EnvironmentListSchema, response.body, `RPM ${describe}`)
  // RPM's name filter may match loosely: the exact name wins, then the only one that matches ignoring case.
  const exact = found.filter(environment => environment.name === name)
  const loose = found.filter(environment => environment.name?.toLowerCase() === name.toLowerCase())
  const match = exact.length === 1 ? exact[0] : loose.length === 1 ? loose[0] : undefined
  if (match) return match
  const names = found.map(environment => `'${environment.name ?? '?'}' (id ${environment.id})`).join(', ')
  throw new ActionError(
    exact.length + loose.length > 1
      ? `RPM has several environments named '${name}': ${names}`
      : `RPM has no environment named exactly '${name}'; it found ${names || 'none'}`,
    { hint: 'Name the environment exactly as RPM shows it.' }
  )
}

async function seriesOf(
  environment: Environment & { id: string | number },
  http: HttpClient
): Promise<SeriesItem[]> {
  const request: HttpRequest = {
    method: 'GET',
    path: SERIES,
    query: { 'filters[environment]': String(environment.id) }
  }
  const describe = http.describe(request)
  const response = await http.send(request)
  // RPM answers an empty list with 404 and no body (SeriesController#index: `head :not_found`).
  if (response.status === 404) return []
  if (response.status < 200 || response.status >= 300) throw rpmListError(response, describe)
  return decode(SeriesListSchema, response.body, `RPM ${describe}`).filter(
    series =>
      !series.archived_at &&
      !series.archive_number &&
      series.aasm_state !== 'draft' &&
      listsEnvironment(series, environment)
  )
}

/** A series that says which environments it covers must cover this one; one that does not say is trusted to the filter. */
function listsEnvironment(series: SeriesItem, environment: Environment & { id: string | number }): boolean {
  const ids = [
    ...(series.environment_ids ?? []),
    ...(series.environments ?? []).map(item => item.id).filter(item => item !== undefined)
  ].map(String)
  return ids.length === 0 || ids.includes(String(environment.id))
}

async function pickSeries(
  candidates: SeriesItem[],
  environment: Environment,
  wanted: string | undefined
): Promise<SeriesItem> {
  const name = environment.name ?? String(environment.id)
  const listed = candidates.map(series => `${label(series)} (id ${series.id}, ${series.behavior})`).join(', ')
  if (candidates.length === 0) {
    throw new ActionError(
      `Environment '${name}' has no deployment window series in RPM (archived and draft series do not count)`,
      {
        hint: 'Create a deployment window series for the environment in RPM, or give a deployment window event id as target.'
      }
    )
  }
  if (wanted !== undefined) {
    const chosen = candidates.filter(series => String(series.id) === wanted || series.name === wanted)
    if (chosen.length === 1 && chosen[0]) return chosen[0]
    throw new ActionError(
      `Environment '${name}' has no deployment window series '${wanted}'${chosen.length > 1 ? ' that is unique' : ''}; its series: ${listed}`,
      { hint: 'Set parameters.series to one of the names or ids listed.' }
    )
  }
  if (candidates.length === 1 && candidates[0]) return candidates[0]
  throw new ActionError(
    `Environment '${name}' is in ${candidates.length} deployment window series, so which window counts is ambiguous: ${listed}`,
    { hint: 'Set parameters.series to the name or id of the one to gate on.' }
  )
}

async function eventsOf(series: SeriesItem, http: HttpClient): Promise<SeriesEvent[]> {
  if (series.events) return series.events
  const request: HttpRequest = { method: 'GET', path: `${SERIES}/${encodeURIComponent(String(series.id))}` }
  const describe = http.describe(request)
  const response = await http.send(request)
  if (response.status < 200 || response.status >= 300) throw rpmListError(response, describe)
  return decode(SeriesShowSchema, response.body, `RPM ${describe}`).events ?? []
}

function belongsTo(event: RpmEvent, environment: Environment & { id: string | number }): boolean {
  if (!event.environment) return true
  if (event.environment.id !== undefined) return String(event.environment.id) === String(environment.id)
  return event.environment.name === environment.name
}

function label(series: SeriesItem): string {
  return series.name ? `'${series.name}'` : `${series.id}`
}
