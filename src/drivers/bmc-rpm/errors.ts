import { ActionError } from '../../errors.js'
import { errorMessageOf } from '../../http/decode.js'
import type { HttpResponse } from '../../http/client.js'

/**
 * Turns an RPM error answer into one clear error. Sources: REST deployment window events page (403 bad
 * token, 404 no such event, 422 validation errors "objects and errors are returned") and the RPM source
 * (`V1::DeploymentWindow::EventsController`: `head :not_found`, `render json: event.errors, status:
 * :unprocessable_entity`). RPM answers a bad token with XML even to JSON requests:
 * `<xml><error><response>Invalid API Key</response></error></xml>`.
 */
export function rpmError(response: HttpResponse, what: string, eventId: string): ActionError {
  const { status } = response
  if (status === 403) {
    return new ActionError(`RPM refused the token for ${what}: HTTP 403: ${forbiddenText(response)}`, {
      httpStatus: 403,
      hint: 'Check the token input: the REST API token of an RPM user who may see this event’s environment (RPM: your profile, API key).'
    })
  }
  if (status === 404) {
    return new ActionError(`RPM has no deployment window event ${eventId} (${what} answered HTTP 404)`, {
      httpStatus: 404,
      hint: 'Check target: it is the id of one deployment window event (one environment, one occurrence), not of its series; check base-url too.'
    })
  }
  if (status === 422) {
    const errors = validationErrors(response.body)
    const listed = errors.length ? `:\n${errors.map(error => `  - ${error}`).join('\n')}` : ''
    return new ActionError(`RPM refused ${what}: HTTP 422, the event did not validate${listed}`, {
      httpStatus: 422,
      hint: 'Nothing was changed. Fix the parameters as listed and run the step again.'
    })
  }
  return new ActionError(
    `RPM answered ${what} with HTTP ${status}: ${errorMessageOf(response.body, 'no message')}`,
    {
      httpStatus: status,
      transient: status === 429 || status >= 500
    }
  )
}

/** An error answer to a list or series read (environments, series): 403 as for events, anything else as it came. */
export function rpmListError(response: HttpResponse, what: string): ActionError {
  if (response.status === 403 || response.status === 422) return rpmError(response, what, '')
  return new ActionError(
    `RPM answered ${what} with HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')}`,
    { httpStatus: response.status, transient: response.status === 429 || response.status >= 500 }
  )
}

function forbiddenText(response: HttpResponse): string {
  const body = response.body as { xml?: { error?: { response?: unknown } } } | undefined
  const fromXml = body?.xml?.error?.response
  if (typeof fromXml === 'string' && fromXml.trim()) return fromXml.trim()
  const fromText = /<response>([^<]*)<\/response>/.exec(response.text)?.[1]
  return fromText?.trim() || errorMessageOf(response.body, 'Forbidden')
}

/**
 * Every message of a Rails errors hash, `{"base": ["Can't move suspended event."], "reason": ["can't be
 * blank"]}` → `Can't move suspended event.`, `reason can't be blank`; also Rails' XML form
 * `<errors><error>Reason can't be blank</error></errors>`.
 */
export function validationErrors(body: unknown): string[] {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body.trim() ? [body.trim()] : []
  const record = body as Record<string, unknown>
  const xml = (record.errors as { error?: unknown } | undefined)?.error
  if (xml !== undefined) return toList(xml)
  const hash =
    record.errors && typeof record.errors === 'object' ? (record.errors as Record<string, unknown>) : record
  return Object.entries(hash).flatMap(([field, messages]) =>
    toList(messages).map(message => (field === 'base' ? message : `${field.replace(/_/g, ' ')} ${message}`))
  )
}

function toList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value]
  return items
    .filter((item): item is string | number => ['string', 'number'].includes(typeof item))
    .map(String)
}
