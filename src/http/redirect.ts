import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { ActionError } from '../errors.js'

export const MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Where a redirect response points, resolved against the URL that answered; undefined when it is none. */
export function redirectTarget(
  message: IncomingMessage,
  current: string,
  description: string
): URL | undefined {
  const location = message.headers.location
  if (!REDIRECT_STATUSES.has(message.statusCode ?? 0) || !location) return undefined
  let next: URL
  try {
    next = new URL(location, current)
  } catch {
    throw new ActionError(`${description} was redirected to an invalid location: ${location.slice(0, 200)}`)
  }
  if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') {
    throw new ActionError(
      `${description} was redirected from HTTPS to ${next.protocol.replace(':', '')}; refused`,
      {
        hint: 'A redirect must not downgrade the connection: set base-url to the address the server redirects to.'
      }
    )
  }
  return next
}

/**
 * Credentials travel only to base-url's origin (scheme, host and port): a redirect anywhere else gets the
 * request without the Authorization header and without the token in the query.
 */
export function credentialsFor(
  next: URL,
  baseOrigin: string,
  headers: OutgoingHttpHeaders,
  queryToken?: { parameter: string; token: string }
): { url: string; headers: OutgoingHttpHeaders } {
  if (next.origin === baseOrigin) return { url: next.href, headers }
  const stripped = { ...headers }
  for (const name of Object.keys(stripped)) {
    if (name.toLowerCase() === 'authorization' || name.toLowerCase() === 'cookie') delete stripped[name]
  }
  const url = new URL(next)
  if (queryToken) {
    url.searchParams.delete(queryToken.parameter)
    for (const [key, value] of [...url.searchParams]) {
      if (value.includes(queryToken.token)) url.searchParams.delete(key)
    }
  }
  return { url: url.href, headers: stripped }
}
