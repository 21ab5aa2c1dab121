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
 * A request that must not be sent twice (a trigger, an upload) is never re-sent to a redirect's Location:
 * the server that answered may already have started the job, and a login page must not receive the body.
 * Undefined when the answer is no redirect.
 */
export function redirectRefusal(
  message: IncomingMessage,
  current: string,
  description: string,
  scrub: (text: string) => string
): ActionError | undefined {
  const status = message.statusCode ?? 0
  const location = message.headers.location
  if (!REDIRECT_STATUSES.has(status) || !location) return undefined
  let next: URL | undefined
  try {
    next = new URL(location, current)
  } catch {
    next = undefined
  }
  const from = new URL(current)
  const shown = scrub(next ? `${next.origin}${next.pathname}` : location).slice(0, 200)
  const why =
    next && from.protocol === 'http:' && next.protocol === 'https:' && next.hostname === from.hostname
      ? 'http → https? The server wants HTTPS: set base-url to https://.'
      : next && LOGIN_PATH.test(next.pathname + next.search)
        ? 'A login page? A single sign-on proxy may sit in front of the API: use an address of the API that is not behind it, or credentials it accepts.'
        : 'Set base-url to the address the API answers at, not one that redirects.'
  return new ActionError(
    `${description} was answered HTTP ${status} with Location ${shown}; a request that starts or changes something is never sent again to another address, so nothing was sent there`,
    { httpStatus: status, transient: false, hint: why }
  )
}

const LOGIN_PATH = /log[-_]?in|sign[-_]?in|sso|saml|oauth|auth|cas\/|adfs|idp/i

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
