import { ActionError } from '../../errors.js'
import { errorMessageOf, refusedError, type RefusalStyle } from '../../http/decode.js'
import type { HttpResponse } from '../../http/client.js'

/** What a trigger or a read acts on, in the words its hints use. */
export interface Subject {
  /** `deployment`, `ERP import`, `export profile`, `export book`. */
  noun: string
  name: string
}

/** Hints for the refusals the vendor documents, by HTTP status (REST API Guide v1.3; docs repo, first revision). */
function style(subject: Subject): RefusalStyle {
  const service =
    subject.noun === 'ERP import' ? 'ERP Import' : subject.noun === 'deployment' ? 'Deployment' : 'Export'
  return {
    vendor: 'EPMware',
    hints: {
      400: `Check the parameters of the ${subject.noun}; EPMware said which one it refused.`,
      401: 'The token was refused. Check the token input; generating a new token in EPMware revokes the old one.',
      403: `The token’s user may not run ${subject.noun} ${subject.name}; check its security groups in EPMware.`,
      404: notFoundHint(subject),
      409: `This ${subject.noun} is already running. Wait for it, or set if-busy: await to follow the running task.`,
      410: 'The export file is no longer on the server (expired or deleted); run the export again.',
      413: 'The file is larger than EPMware accepts (global setting "Maximum file size in MB for ERP Import").',
      503: `The EPMware ${service} Service is not running; start it (Administrator → Services) and run the step again.`,
      500: `EPMware failed while running the ${subject.noun}; the target application may be unreachable. See the EPMware logs.`
    }
  }
}

function notFoundHint(subject: Subject): string {
  const schedule = subject.noun === 'deployment' || subject.noun === 'ERP import'
  return `Check target: it must name ${subject.noun === 'ERP import' ? 'an' : 'a'} ${subject.noun} configured in EPMware${schedule ? ' with the "One Time Schedule" type' : ''} (names are case-sensitive).`
}

/**
 * A refusal in the body of an HTTP 200: `{"status":"E","taskId":"0","message":"Error: Invalid Export
 * Profile Name : [X]. "}` (docs/getting-started/response-formats.md; modules/erp/upload-file.md). Its
 * message, or undefined when the body is not one.
 */
export function refusalInBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  const record = body as Record<string, unknown>
  if (typeof record.status !== 'string' || record.status.trim().toUpperCase() !== 'E') return undefined
  const taskId = record.taskId ?? record.task_id
  if (taskId !== undefined && String(taskId) !== '0') return undefined
  return errorMessageOf(body, 'EPMware answered status E without a message')
}

/**
 * "Already running": HTTP 409 `Deployment 'ASOALL' is already in progress` (docs repo first revision,
 * run-deployment.md and run-import.md), or the same words in an HTTP 200 refusal (ASSUMED: the current
 * pages answer every error as HTTP 200 status E).
 */
export function isBusy(httpStatus: number, message: string): boolean {
  return httpStatus === 409 || /already (running|in progress)/i.test(message)
}

/** The HTTP status a refusal's words correspond to, so an HTTP 200 refusal gets the same hint. */
function statusOfWords(message: string): number | undefined {
  if (/already (running|in progress)/i.test(message)) return 409
  if (/service is not running/i.test(message)) return 503
  if (/invalid .*name|not found|does not exist/i.test(message)) return 404
  return undefined
}

/** `EPMware refused <request>: <message>` for an HTTP 200 refusal, hinted like its HTTP counterpart. */
export function bodyRefusalError(describe: string, message: string, subject: Subject): ActionError {
  const like = statusOfWords(message)
  return new ActionError(`EPMware refused ${describe}: ${message.slice(0, 500)}`, {
    hint: like === undefined ? undefined : style(subject).hints?.[like],
    httpStatus: like === 404 ? 404 : undefined
  })
}

/** The response when it is a success that is not a refusal in disguise; otherwise the refusal. */
export function accepted(response: HttpResponse, describe: string, subject: Subject): HttpResponse {
  if (response.status < 200 || response.status >= 300) throw refusedError(response, describe, style(subject))
  const refused = refusalInBody(response.body)
  if (refused !== undefined) throw bodyRefusalError(describe, refused, subject)
  return response
}

export function refusalStyle(subject: Subject): RefusalStyle {
  return style(subject)
}
