/** Below base-url (which carries the console's context path, e.g. /mmc). */
export const DEPLOYMENTS = '/api/deployments'

/**
 * One path segment for an id such as `local$97e3c184-…`. `$` is a sub-delimiter that RFC 3986 allows as is
 * in a path segment, and the vendor's own examples send it that way (quoted for the shell only); anything
 * else unsafe is percent-encoded.
 */
export function segment(id: string): string {
  return encodeURIComponent(id).replace(/%24/g, '$')
}

export function deploymentPath(id: string, action?: string): string {
  return `${DEPLOYMENTS}/${segment(id)}${action ? `/${action}` : ''}`
}
