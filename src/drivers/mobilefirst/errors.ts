import { ActionError } from '../../errors.js'
import { errorMessageOf } from '../../http/decode.js'

/**
 * IBM documents the error codes of the administration service but not their bodies. Read what is there:
 * a JSON or XML object with a message field (errorMsg, message, error, details, errors[].details), or a
 * text or HTML page from the application server in front of it.
 */
export function serviceMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>
    const names = Object.keys(record).filter(name => !name.startsWith('?'))
    // An XML document is one root element: look inside it.
    const inner = names.length === 1 ? record[names[0] as string] : undefined
    for (const candidate of [record, inner]) {
      if (!candidate || typeof candidate !== 'object') continue
      const fields = candidate as Record<string, unknown>
      for (const key of ['errorMsg', 'errorMessage', 'details']) {
        const value = fields[key]
        if (typeof value === 'string' && value.trim()) return value.trim()
      }
      const errors = Array.isArray(fields.errors) ? fields.errors : []
      const details = errors
        .map(error => (error as { details?: unknown } | null)?.details)
        .filter((detail): detail is string => typeof detail === 'string' && detail.trim() !== '')
      if (details.length) return details.join('; ')
    }
    return errorMessageOf(body, fallback)
  }
  if (typeof body === 'string' && /<html|<!doctype/i.test(body)) {
    const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim()
    const text = body
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
    return (text || title || fallback).slice(0, 300)
  }
  return errorMessageOf(body, fallback)
}

/** Hints for the codes IBM's "Deploy (POST)" and "Transaction (GET)" pages document, and for 401. */
export function hintFor(status: number, runtime: string, reading: boolean): string | undefined {
  switch (status) {
    case 400:
      return 'MobileFirst found no deployable in the upload. Check that artifacts names deployables: adapters (.adapter), application descriptors (application-descriptor.json), or an export (.zip).'
    case 401:
      return 'The user name or password was refused. Check the username and password inputs: a user of the MobileFirst Server administration service.'
    case 403:
      return reading
        ? 'This user may not read transactions: it needs one of the roles mfpadmin, mfpdeployer, mfpoperator or mfpmonitor.'
        : 'Only users in the mfpadmin or mfpdeployer role may deploy (mfpoperator and mfpmonitor may only read). Map this user to one of those roles in the application server’s security configuration.'
    case 404:
      return reading
        ? `MobileFirst knows no such transaction in runtime ${runtime}, or the runtime is not running. Check task-id and target.`
        : `Runtime ${runtime} was not found or is not running. Check target: the runtime's context root without the leading slash (e.g. mfp), and that the runtime is started. base-url must end with the administration service's context root, e.g. https://host/mfpadmin.`
    case 500:
      return reading
        ? 'MobileFirst Server failed internally while the transaction was read; its messages.log has the cause.'
        : 'MobileFirst Server failed internally; its messages.log has the cause. The upload was not sent again, so it is safe to re-run the step once the server is fixed.'
    default:
      return undefined
  }
}

export function refusal(
  describe: string,
  status: number,
  body: unknown,
  runtime: string,
  reading: boolean
): ActionError {
  const message = serviceMessage(body, `HTTP ${status}`)
  return new ActionError(`MobileFirst refused ${describe}: HTTP ${status}: ${message}`, {
    httpStatus: status,
    hint: hintFor(status, runtime, reading),
    transient: reading && (status === 429 || status >= 500)
  })
}
