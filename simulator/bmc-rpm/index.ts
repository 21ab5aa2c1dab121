/**
 * BMC Release Process Management 5.0 simulator: deployment window events. Sources:
 * - REST deployment window events (shared/vendor-docs/002_…, docs.bmc.com brpm50 "REST deployment window
 *   events"): GET and PUT /v1/deployment_window/events/[id]; `token` in the query; JSON or XML by accept
 *   header or a .json/.xml suffix; 403 bad token, 404 no such event, 422 validation; the event with its
 *   environment {id, name}, occurrence {finish_at, id, position, start_at} and series {behavior, id, name};
 *   editable state (created, suspended, resumed, moved), reason (required when the state changes),
 *   start_at, finish_at; the move rules; include_except and alone filters from 5.0.03.004 on.
 * - The RPM source, mirrored publicly (V1::DeploymentWindow::EventsController, EventPresenter,
 *   DeploymentWindow::Event): `head :not_found` (a 404 has no body), errors rendered as the Rails errors
 *   hash with status 422, the validation messages used below, times rendered as xmlschema with offset.
 * - VENDOR-NOTES (BMC section): a bad token gets 403 with an XML body even for JSON requests; an update
 *   answers 202 with the object (BMC's notes) — the RPM source's EventsController#update renders the event
 *   without a status, i.e. 200: the default here is 200, `updateStatus: 202` gives the other.
 * - Series (RPM source `V1::DeploymentWindow::SeriesController`, `SeriesItemPresenter`,
 *   `SeriesCollectionPresenter`, model `DeploymentWindow::Series`): `GET /v1/deployment_window/series` with
 *   `filters[environment]` (an environment id), `filters[name]`, `filters[behavior]`, unarchived by default,
 *   404 with no body when empty; each series `{id, name, behavior, start_at, finish_at, archived_at,
 *   archive_number, environment_ids, aasm_state, …}`; `GET …/series/{id}` adds `environments {id, name,
 *   deployment_policy}` and `events {id, start_at, finish_at}`. Issue 13's evidence says the list embeds the
 *   events and environments too: `seriesList: 'embedded'` (default) or `'bare'` (the source's collection
 *   presenter).
 * - Environments (tolomaus/brpm_module_brpm `get_environment_by_name`): `GET /v1/environments?filters[name]=`
 *   → an array, 404 when none. ASSUMED: the name filter matches exactly.
 */
import type http from 'node:http'
import {
  parseJsonObject,
  Router,
  sendJson,
  sendText,
  startHttpServer,
  type RecordedRequest,
  type RunningServer,
  type ServerOptions
} from '../server.js'

export type EventState = 'created' | 'suspended' | 'resumed' | 'moved'
export type Behavior = 'allow' | 'prevent'
/** A time as epoch ms, or any text Date.parse reads. */
export type TimeInput = number | string

export interface EventSpec {
  startAt: TimeInput
  finishAt: TimeInput
  state?: EventState
  reason?: string | null
  behavior?: Behavior
  seriesId?: number
  seriesName?: string
  environment?: { id: number; name: string }
  /** The occurrence the event belongs to; default: the event's own times, a day wider on each side. */
  occurrence?: { startAt: TimeInput; finishAt: TimeInput; position?: number }
  /** Offset the times are rendered in, minutes east of UTC; default -240 (the page's sample, -04:00). */
  utcOffsetMinutes?: number
  /** Not a documented state: a test of what the driver does with one it does not know. */
  rawState?: string
}

/** How a series is listed besides what its events say. */
export interface SeriesSpec {
  archived?: boolean
  aasmState?: string
}

export interface BmcRpmSimulatorOptions {
  token?: string
  events?: Record<string, EventSpec>
  /** The simulator's clock; default Date.now. `shift()` moves it further. */
  now?: () => number
  /** 'xml': answer XML whatever was asked (a server configured that way). Default: as asked. */
  format?: 'asked' | 'xml'
  /** false: an RPM before 5.0.03.004, which ignores the include_except and alone filters. Default true. */
  filters?: boolean
  /** The HTTP status of a successful update: 200 (RPM source, default) or 202 (BMC's notes). */
  updateStatus?: 200 | 202
  /** 'embedded' (default): the series list carries events and environments; 'bare': only the series' fields. */
  seriesList?: 'embedded' | 'bare'
  /** Archived or draft series, by series id. */
  series?: Record<string, SeriesSpec>
  port?: number
  host?: string
}

export interface SimulatedEvent {
  id: number
  state: EventState | string
  reason: string | null
  startAt: number
  finishAt: number
  createdAt: number
  updatedAt: number
  behavior: Behavior
  series: { id: number; name: string }
  environment: { id: number; name: string }
  occurrence: { id: number; position: number; startAt: number; finishAt: number }
  offset: number
}

export interface BmcRpmStats {
  /** Reads of the series list or of one series. */
  series: number
  get: number
  put: number
  forbidden: number
}

export interface BmcRpmSimulator extends RunningServer {
  readonly token: string
  readonly events: Map<string, SimulatedEvent>
  format: 'asked' | 'xml'
  filters: boolean
  updateStatus: 200 | 202
  seriesList: 'embedded' | 'bare'
  readonly series: Map<string, SeriesSpec>
  setEvent(id: string, spec: EventSpec): SimulatedEvent
  /** Moves the simulator's clock by ms (negative goes back). */
  shift(ms: number): void
  now(): number
  stats(): BmcRpmStats
}

/** A token in the shape of RPM's API keys (40 hex digits). */
export const DEFAULT_TOKEN = '6d1a3f0c9b2e47d5a8f1c3e5b7d9f2a4c6e8b0d2'

const STATES: readonly EventState[] = ['created', 'suspended', 'resumed', 'moved']
const DAY_MS = 24 * 3_600_000
const FORBIDDEN_XML = '<xml><error><response>Invalid API Key</response></error></xml>'
const ASSOCIATIONS = ['environment', 'occurrence', 'series'] as const

function toMs(time: TimeInput): number {
  const ms = typeof time === 'number' ? time : Date.parse(time)
  if (Number.isNaN(ms)) throw new Error(`not a time: ${String(time)}`)
  return ms
}

/** `2014-04-24T08:00:00-04:00`: Rails' xmlschema, in the event's offset. */
export function railsTime(ms: number, offsetMinutes: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19)
  if (offsetMinutes === 0) return `${local}Z`
  const sign = offsetMinutes < 0 ? '-' : '+'
  const minutes = Math.abs(offsetMinutes)
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0')
  const mm = String(minutes % 60).padStart(2, '0')
  return `${local}${sign}${hh}:${mm}`
}

function presentEvent(event: SimulatedEvent, omit: ReadonlySet<string>) {
  const time = (ms: number) => railsTime(ms, event.offset)
  const body: Record<string, unknown> = {
    created_at: time(event.createdAt),
    finish_at: time(event.finishAt),
    id: event.id,
    reason: event.reason,
    start_at: time(event.startAt),
    state: event.state,
    updated_at: time(event.updatedAt)
  }
  if (!omit.has('environment')) body.environment = { id: event.environment.id, name: event.environment.name }
  if (!omit.has('occurrence')) {
    body.occurrence = {
      finish_at: time(event.occurrence.finishAt),
      id: event.occurrence.id,
      position: event.occurrence.position,
      start_at: time(event.occurrence.startAt)
    }
  }
  if (!omit.has('series'))
    body.series = { behavior: event.behavior, id: event.series.id, name: event.series.name }
  return body
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const XML_TYPES: Record<string, string> = {
  id: 'integer',
  position: 'integer',
  created_at: 'datetime',
  updated_at: 'datetime',
  start_at: 'datetime',
  finish_at: 'datetime'
}

/** Rails' `to_xml`: dashed names, typed scalars, `nil="true"` for null (the page's sample XML). */
function toXml(name: string, value: unknown, indent = ''): string {
  const tag = name.replace(/_/g, '-')
  if (value === null || value === undefined) return `${indent}<${tag} nil="true"/>\n`
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => toXml(key, item, `${indent} `))
      .join('')
    return `${indent}<${tag}>\n${inner}${indent}</${tag}>\n`
  }
  const type = XML_TYPES[name]
  return `${indent}<${tag}${type ? ` type="${type}"` : ''}>${escapeXml(String(value))}</${tag}>\n`
}

/** `include_except` and `alone` from the query (`filters[alone]=true`) or the body (`{"filters": {…}}`). */
function omittedAssociations(
  request: RecordedRequest,
  body: Record<string, unknown> | undefined
): Set<string> {
  const fromBody = (body?.filters ?? {}) as Record<string, unknown>
  const alone = String(request.query['filters[alone]'] ?? fromBody.alone ?? 'false').toLowerCase() === 'true'
  if (alone) return new Set(ASSOCIATIONS)
  const except = String(request.query['filters[include_except]'] ?? fromBody.include_except ?? '')
  // An unknown or non-association name is ignored, as the page says.
  return new Set(
    except
      .split(',')
      .map(item => item.trim())
      .filter(item => (ASSOCIATIONS as readonly string[]).includes(item))
  )
}

export async function startBmcRpmSimulator(options: BmcRpmSimulatorOptions = {}): Promise<BmcRpmSimulator> {
  const token = options.token ?? DEFAULT_TOKEN
  const baseNow = options.now ?? Date.now
  let offset = 0
  const now = () => baseNow() + offset
  const events = new Map<string, SimulatedEvent>()
  const counts: BmcRpmStats = { get: 0, put: 0, forbidden: 0, series: 0 }
  let nextOccurrenceId = 100

  function setEvent(id: string, spec: EventSpec): SimulatedEvent {
    const startAt = toMs(spec.startAt)
    const finishAt = toMs(spec.finishAt)
    const behavior = spec.behavior ?? 'allow'
    const created = now() - DAY_MS
    const event: SimulatedEvent = {
      id: Number(id),
      state: spec.rawState ?? spec.state ?? 'created',
      reason: spec.reason ?? null,
      startAt,
      finishAt,
      createdAt: created,
      updatedAt: created,
      behavior,
      series: {
        id: spec.seriesId ?? 3,
        name: spec.seriesName ?? (behavior === 'allow' ? 'Allow DW Test series' : 'Prevent DW Test series')
      },
      environment: spec.environment ?? {
        id: 3,
        name: behavior === 'allow' ? 'QA environment closed' : 'QA environment opened'
      },
      occurrence: {
        id: nextOccurrenceId++,
        position: spec.occurrence?.position ?? 10,
        startAt: spec.occurrence ? toMs(spec.occurrence.startAt) : startAt - DAY_MS,
        finishAt: spec.occurrence ? toMs(spec.occurrence.finishAt) : finishAt + DAY_MS
      },
      offset: spec.utcOffsetMinutes ?? -240
    }
    events.set(id, event)
    return event
  }

  for (const [id, spec] of Object.entries(options.events ?? {})) setEvent(id, spec)

  function wantsXml(request: RecordedRequest, suffix: string | undefined): boolean {
    if (simulator.format === 'xml' || suffix === 'xml') return true
    if (suffix === 'json') return false
    const accept = String(request.headers.accept ?? '')
    return accept.includes('xml') && !accept.includes('json')
  }

  function answerEvent(response: http.ServerResponse, status: number, body: unknown, xml: boolean) {
    if (!xml) return sendJson(response, status, body)
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${toXml('event', body)}`
    sendText(response, status, text, 'application/xml; charset=utf-8')
  }

  function answerErrors(response: http.ServerResponse, errors: Record<string, string[]>, xml: boolean) {
    if (!xml) return sendJson(response, 422, errors)
    const full = Object.entries(errors).flatMap(([field, messages]) =>
      messages.map(message => (field === 'base' ? message : `${capitalize(field)} ${message}`))
    )
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n${full.map(message => `  <error>${escapeXml(message)}</error>\n`).join('')}</errors>\n`
    sendText(response, 422, text, 'application/xml; charset=utf-8')
  }

  /** `12`, `12.json` or `12.xml`: the id and the format suffix. */
  function target(raw: string): { event: SimulatedEvent | undefined; suffix: string | undefined } {
    const [, id = raw, suffix] = /^(\d+)(?:\.(json|xml))?$/.exec(raw) ?? []
    return { event: events.get(id), suffix }
  }

  function show(request: RecordedRequest, response: http.ServerResponse, params: Record<string, string>) {
    counts.get++
    const { event, suffix } = target(params.id ?? '')
    if (!event) return sendText(response, 404, '', 'text/plain')
    const omit = simulator.filters
      ? omittedAssociations(request, parseJsonObject(request.body))
      : new Set<string>()
    answerEvent(response, 200, presentEvent(event, omit), wantsXml(request, suffix))
  }

  function update(request: RecordedRequest, response: http.ServerResponse, params: Record<string, string>) {
    counts.put++
    const { event, suffix } = target(params.id ?? '')
    if (!event) return sendText(response, 404, '', 'text/plain')
    const xml = wantsXml(request, suffix)
    const body = parseJsonObject(request.body)
    const changes = body?.deployment_window_event as Record<string, unknown> | undefined
    if (!changes || typeof changes !== 'object') {
      return answerErrors(response, { base: ['deployment_window_event is required'] }, xml)
    }
    const errors = validateUpdate(event, changes, now())
    if (Object.keys(errors).length > 0) return answerErrors(response, errors, xml)
    applyUpdate(event, changes, now())
    const omit = simulator.filters ? omittedAssociations(request, body) : new Set<string>()
    answerEvent(response, simulator.updateStatus, presentEvent(event, omit), xml)
  }

  /** Every series the events belong to, with its environments and events, as RPM's series presenters render it. */
  function allSeries() {
    const grouped = new Map<number, SimulatedEvent[]>()
    for (const event of events.values()) {
      const list = grouped.get(event.series.id) ?? []
      list.push(event)
      grouped.set(event.series.id, list)
    }
    return [...grouped.entries()].map(([id, members]) => {
      const first = members[0] as SimulatedEvent
      const spec = simulator.series.get(String(id)) ?? {}
      const time = (ms: number) => railsTime(ms, first.offset)
      const environments = [
        ...new Map(members.map(event => [event.environment.id, event.environment])).values()
      ]
      const archivedAt = spec.archived ? time(now() - DAY_MS) : null
      return {
        fields: {
          id,
          name: spec.archived ? `${first.series.name} [archived]` : first.series.name,
          behavior: first.behavior,
          start_at: time(Math.min(...members.map(event => event.startAt))),
          finish_at: time(Math.max(...members.map(event => event.finishAt))),
          archive_number: spec.archived ? 'a1b2c3' : null,
          archived_at: archivedAt,
          duration_in_days: null,
          environment_ids: null,
          recurrent: members.length > 1,
          frequency: null,
          aasm_state: spec.aasmState ?? 'released',
          created_by: 1
        },
        environments: environments.map(environment => ({
          ...environment,
          deployment_policy: first.behavior === 'allow' ? 'closed' : 'opened'
        })),
        events: members.map(event => ({
          id: event.id,
          start_at: time(event.startAt),
          finish_at: time(event.finishAt)
        })),
        archived: Boolean(spec.archived)
      }
    })
  }

  function listSeries(request: RecordedRequest, response: http.ServerResponse) {
    counts.series++
    const filters = { ...((parseJsonObject(request.body)?.filters ?? {}) as Record<string, unknown>) }
    for (const [key, value] of Object.entries(request.query)) {
      const match = /^filters\[(\w+)\]$/.exec(key)
      if (match?.[1]) filters[match[1]] = value
    }
    const found = allSeries().filter(series => {
      if (series.archived) return false
      if (filters.environment !== undefined) {
        if (!series.environments.some(environment => String(environment.id) === String(filters.environment)))
          return false
      }
      if (filters.name !== undefined && series.fields.name !== String(filters.name)) return false
      if (filters.behavior !== undefined && series.fields.behavior !== String(filters.behavior)) return false
      return true
    })
    if (found.length === 0) return sendText(response, 404, '', 'text/plain')
    sendJson(
      response,
      200,
      found.map(series =>
        simulator.seriesList === 'embedded'
          ? { ...series.fields, environments: series.environments, events: series.events }
          : series.fields
      )
    )
  }

  function showSeries(
    _request: RecordedRequest,
    response: http.ServerResponse,
    params: Record<string, string>
  ) {
    counts.series++
    const series = allSeries().find(item => String(item.fields.id) === params.id)
    if (!series) return sendText(response, 404, '', 'text/plain')
    sendJson(response, 200, {
      ...series.fields,
      environments: series.environments,
      requests: [],
      events: series.events
    })
  }

  function listEnvironments(request: RecordedRequest, response: http.ServerResponse) {
    const name = request.query['filters[name]']
    const all = [
      ...new Map([...events.values()].map(event => [event.environment.id, event.environment])).values()
    ]
    const found = all.filter(environment => name === undefined || environment.name === name)
    if (found.length === 0) return sendText(response, 404, '', 'text/plain')
    sendJson(
      response,
      200,
      found.map(environment => ({ id: environment.id, name: environment.name, active: true, default: false }))
    )
  }

  const route = new Router()
    .get('/v1/deployment_window/events/:id', show)
    .on('PUT', '/v1/deployment_window/events/:id', update)
    .get('/v1/deployment_window/series', listSeries)
    .get('/v1/deployment_window/series/:id', showSeries)
    .get('/v1/environments', listEnvironments)
    .handler((_request, response) => sendText(response, 404, '', 'text/plain'))

  const server = await startHttpServer(
    (request, response) => {
      const rootToken = parseJsonObject(request.body)?.token
      if (request.query.token !== token && rootToken !== token) {
        counts.forbidden++
        return sendText(response, 403, FORBIDDEN_XML, 'application/xml; charset=utf-8')
      }
      return route(request, response)
    },
    { port: options.port, host: options.host }
  )

  const simulator: BmcRpmSimulator = {
    ...server,
    token,
    events,
    format: options.format ?? 'asked',
    filters: options.filters ?? true,
    updateStatus: options.updateStatus ?? 200,
    seriesList: options.seriesList ?? 'embedded',
    series: new Map(Object.entries(options.series ?? {})),
    setEvent,
    shift: ms => void (offset += ms),
    now,
    stats: () => ({ ...counts })
  }
  return simulator
}

function capitalize(field: string): string {
  const words = field.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function readTime(value: unknown): number | undefined | null {
  if (value === undefined || value === null || value === '') return undefined
  const ms = Date.parse(String(value))
  return Number.isNaN(ms) ? null : ms
}

/** The validations of `DeploymentWindow::Event` on update, with its messages, and the page's move rules. */
function validateUpdate(
  event: SimulatedEvent,
  changes: Record<string, unknown>,
  now: number
): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  const add = (field: string, message: string) => (errors[field] ??= []).push(message)
  const state = changes.state === undefined ? event.state : String(changes.state)
  if (!STATES.includes(state as EventState)) add('state', 'is not included in the list')
  // prepare_reason: a state given without a reason means an empty reason.
  const reason =
    'reason' in changes ? (changes.reason as string | null) : changes.state !== undefined ? '' : event.reason
  if (state !== 'created' && !(reason ?? '').trim()) add('reason', "can't be blank")
  const start = readTime(changes.start_at)
  const finish = readTime(changes.finish_at)
  if (start === null) add('start_at', 'is invalid')
  if (finish === null) add('finish_at', 'is invalid')
  if (state !== 'moved' || start === null || finish === null) return errors
  const startAt = start ?? event.startAt
  const finishAt = finish ?? event.finishAt
  const startChanged = startAt !== event.startAt
  if (event.state === 'suspended') add('base', "Can't move suspended event.")
  if (startAt < event.occurrence.startAt || finishAt > event.occurrence.finishAt) {
    add('base', 'Occurrence overlap. Please check event start end event finish.')
  }
  const inProgress = event.startAt < now && event.finishAt >= now
  if (inProgress && startChanged) add('base', 'Start date can not be changed while window is in progress')
  if (startChanged && startAt < now) add('base', 'Start date is before current date')
  if (finishAt !== event.finishAt && finishAt < now) add('base', 'Finish date is before current date')
  if (startAt >= finishAt) add('base', 'Finish date is before Start date')
  return errors
}

function applyUpdate(event: SimulatedEvent, changes: Record<string, unknown>, now: number): void {
  if (changes.state !== undefined) event.state = String(changes.state) as EventState
  if ('reason' in changes) event.reason = (changes.reason as string | null) ?? null
  else if (changes.state !== undefined) event.reason = ''
  const start = readTime(changes.start_at)
  const finish = readTime(changes.finish_at)
  if (typeof start === 'number') event.startAt = start
  if (typeof finish === 'number') event.finishAt = finish
  event.updatedAt = now
}

interface DemoStarted {
  server: BmcRpmSimulator
  details: string[]
}

/** Demo events for `npm run simulator -- bmc-rpm`, relative to the moment it starts. */
export async function startBmcRpmDemo(options: ServerOptions = {}): Promise<DemoStarted> {
  const now = Date.now()
  const minutes = (count: number) => now + count * 60_000
  const demo: Record<string, EventSpec & { about: string }> = {
    '12': { startAt: minutes(-10), finishAt: minutes(120), about: 'allow window, open now for 2 hours' },
    '13': { startAt: minutes(0.5), finishAt: minutes(60), about: 'allow window opening 30 s after start' },
    '14': { startAt: minutes(-180), finishAt: minutes(-60), about: 'allow window that has passed' },
    '15': {
      startAt: minutes(-10),
      finishAt: minutes(120),
      state: 'suspended',
      reason: 'Change freeze',
      about: 'allow window, suspended'
    },
    '16': {
      startAt: minutes(-10),
      finishAt: minutes(50),
      behavior: 'prevent',
      seriesId: 4,
      environment: { id: 4, name: 'QA environment opened' },
      about: 'prevent window in progress (forbids deployment)'
    }
  }
  const server = await startBmcRpmSimulator({ ...options, events: demo })
  return {
    server,
    details: [
      `token: ${server.token}`,
      'deployment window events (target):',
      ...Object.entries(demo).map(([id, { about }]) => `  ${id.padEnd(4)} ${about}`),
      "or by environment (target): 'QA environment closed' (series 3, allow), 'QA environment opened' (series 4, prevent)"
    ]
  }
}
