import { ActionError } from '../../errors.js'
import { decode } from '../../http/decode.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import { accepted, type Subject } from './refusal.js'
import { ExecutionDetailsSchema, statusCodeOf, type Execution } from './schemas.js'

const API = '/service/api'

/** The modules with a get_execution_details action (REST API Guide v1.3 module table: Deployment, Export). */
export type ExecutionsModule = 'deployment' | 'export'

export function executionsRequest(module: ExecutionsModule, name: string, latestOnly = true): HttpRequest {
  return {
    method: 'GET',
    path: `${API}/${module}/get_execution_details`,
    query: { name, latest_only: latestOnly ? 'Y' : 'N' }
  }
}

/**
 * `GET /service/api/{deployment|export}/get_execution_details?name=…&latest_only=Y`: the executions, newest
 * first. An HTTP error or an HTTP 200 refusal (`status: "E"`) is an ActionError, never an empty list.
 */
export async function readExecutions(
  http: HttpClient,
  module: ExecutionsModule,
  subject: Subject,
  latestOnly = true
): Promise<{ executions: Execution[]; body: unknown }> {
  const request = executionsRequest(module, subject.name, latestOnly)
  const response = accepted(await http.send(request), http.describe(request), subject)
  const executions = decode(
    ExecutionDetailsSchema,
    response.body ?? [],
    `EPMware ${module}/get_execution_details`
  ) as Execution[]
  for (const [index, execution] of executions.entries()) {
    if (statusCodeOf(execution) === undefined) {
      throw new ActionError(
        `EPMware ${module}/get_execution_details answered an execution without status or statusCode (element ${index}): ${JSON.stringify(execution).slice(0, 200)}`,
        {
          hint: 'The server may run an API version this action does not support yet; please open an issue with this message.'
        }
      )
    }
  }
  return { executions, body: response.body }
}

/** Where a user looks for what the action could not find itself. */
export function whereToLook(module: ExecutionsModule | 'erp', name: string): string {
  if (module === 'erp') return `the ERP import ${name}'s tasks in EPMware`
  return `the executions of ${module} ${name} in EPMware (GET /service/api/${module}/get_execution_details?name=${encodeURIComponent(name)}&latest_only=N)`
}
