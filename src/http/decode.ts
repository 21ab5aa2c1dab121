import type { z } from 'zod'
import { ActionError } from '../errors.js'

/**
 * Checks a response body against its schema. A vendor change becomes an error that names the field,
 * never an `undefined` deep inside the action.
 */
export function decode<T extends z.ZodType>(schema: T, body: unknown, describe: string): z.infer<T> {
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
