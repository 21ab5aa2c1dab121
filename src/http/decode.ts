import type * as z from 'zod/mini'
import { ActionError } from '../errors.js'
import type { HttpResponse } from './client.js'

/**
 * Checks a response body against its schema. A vendor change becomes an error that names the field,
 * never an `undefined` deep inside the action.
 */
export function decode<T extends z.ZodMiniType>(schema: T, body: unknown, describe: string): z.infer<T> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues
    .slice(0, 3)
    .map(issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ')
  const shown = JSON.stringify(body) ?? 'nothing'
  throw new ActionError(
    `${describe} answered in a shape this action does not know (${problems}): ${shown.slice(0, 200)}`,
    {
      hint: 'The server may run an API version this action does not support yet; please open an issue with this message.'
    }
  )
}

/** The `message` field of a vendor error body, or its text. */
export function errorMessageOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>
    for (const key of ['message', 'errorMessage', 'error', 'detail']) {
      const value = record[key]
      if (typeof value === 'string' && value.trim()) return value.trim()
    }
  }
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500)
  return fallback
}

/** How a vendor's refusals read: its name, a hint per HTTP status, and from which status a refusal may pass. */
export interface RefusalStyle {
  vendor: string
  hints?: Partial<Record<number, string>>
  /** Server errors from this status on are passing faults a poll may ride out (429 always is). Default 500. */
  transientFrom?: number
}

/** The response when it is a success; otherwise the vendor's refusal as an ActionError. */
export function ensureOk(response: HttpResponse, describe: string, style: RefusalStyle): HttpResponse {
  if (response.status >= 200 && response.status < 300) return response
  throw refusedError(response, describe, style)
}

/** `<vendor> refused <request>: HTTP <status>: <the vendor's message>`, with a hint where one helps. */
export function refusedError(response: HttpResponse, describe: string, style: RefusalStyle): ActionError {
  const { status } = response
  const message = errorMessageOf(response.body, response.text.trim() || `HTTP ${status}`)
  return new ActionError(`${style.vendor} refused ${describe}: HTTP ${status}: ${message.slice(0, 500)}`, {
    httpStatus: status,
    hint: style.hints?.[status],
    transient: status === 429 || status >= (style.transientFrom ?? 500)
  })
}
