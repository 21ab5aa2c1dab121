import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { ActionError, errorFields } from '../errors.js'

/** What the tunnelling agent of @actions/http-client says when the proxy does not open the tunnel. */
const TUNNEL_FAILED = /tunneling socket could not be established/i

export function isProxyFailure(error: unknown): boolean {
  return TUNNEL_FAILED.test(errorFields(error).message)
}

/** The proxy a URL goes through, without any credentials, and the variable that named it. */
export function proxyOf(url: string): { proxy: string; variable: string } | undefined {
  const configured = getProxyUrl(new URL(url))?.href
  if (!configured) return undefined
  let shown: string
  try {
    const parsed = new URL(configured)
    shown = `${parsed.protocol}//${parsed.host}`
  } catch {
    shown = 'the configured proxy'
  }
  return { proxy: shown, variable: url.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY' }
}

/**
 * The proxy's failure in the proxy's name: the platform was never reached, so the message must not send
 * the user looking at base-url or the platform's credentials.
 */
export function proxyError(description: string, url: string, error: unknown): ActionError {
  const { message } = errorFields(error)
  // No proxy for the URL any more (the environment changed since the request): say which variables to look at.
  const configured = proxyOf(url)
  const via = configured ?? { proxy: 'a proxy', variable: 'HTTPS_PROXY/HTTP_PROXY' }
  const named = configured ? `the proxy ${configured.proxy}` : 'a proxy'
  const target = new URL(url).host
  const status = /statusCode=(\d+)/.exec(message)?.[1]
  const cause = /cause=(.*)$/.exec(message)?.[1]
  const what = status
    ? `refused to open a tunnel to ${target} (it answered CONNECT with HTTP ${status})`
    : `could not be reached (${cause ?? message})`
  const hint =
    status === '407'
      ? `The proxy wants credentials: put them in ${via.variable} (http://user:password@proxy:port).`
      : `The runner's ${via.variable} sends this request through ${via.proxy}; allow ${target} on the proxy, or add it to NO_PROXY if the runner reaches it directly.`
  return new ActionError(`${description} failed: ${named} (${via.variable}) ${what}`, {
    transient: status === undefined,
    hint,
    cause: error
  })
}
