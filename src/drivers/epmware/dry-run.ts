import { ActionError } from '../../errors.js'
import { decode, errorMessageOf } from '../../http/decode.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import type { Deployment } from '../../inputs/schema.js'
import type { DryRunCheck } from '../driver.js'
import { runDryRunLookups, type DryRunLookup } from '../dry-run.js'
import { ExecutionDetailsSchema, TaskStatusSchema } from './schemas.js'

const API = '/service/api'

/**
 * Reads, never runs: get_execution_details for each deployment name (target, rollback) or get_status for
 * the task of `operation: await`.
 */
export function epmwareDryRun(deployment: Deployment, http: HttpClient): Promise<DryRunCheck[]> {
  if (deployment.operation === 'await') {
    const taskId = deployment.taskId ?? ''
    return runDryRunLookups([
      {
        check: 'task found',
        run: async () => {
          const request: HttpRequest = {
            method: 'GET',
            path: `${API}/task/get_status/${encodeURIComponent(taskId)}`
          }
          const status = decode(
            TaskStatusSchema,
            (await read(http, request, `task ${taskId}`)).body,
            'EPMware task/get_status'
          )
          return `task ${taskId} is ${status.status}${status.message ? `: ${status.message}` : ''}`
        }
      }
    ])
  }
  const names = [deployment.target ?? '']
  if (typeof deployment.parameters.rollback === 'string') names.push(deployment.parameters.rollback)
  return runDryRunLookups(
    names.map((name, index): DryRunLookup => ({
      check: index === 0 ? 'target resolved' : 'rollback target resolved',
      run: () => describeLatest(http, name)
    }))
  )
}

async function describeLatest(http: HttpClient, name: string): Promise<string> {
  const request: HttpRequest = {
    method: 'GET',
    path: `${API}/deployment/get_execution_details`,
    query: { name, latest_only: 'Y' }
  }
  const response = await read(http, request, `deployment configuration ${name}`)
  const executions = ExecutionDetailsSchema.safeParse(response.body ?? [])
  const latest = executions.success ? executions.data[0] : undefined
  const taskId = latest?.taskId ?? latest?.task_id
  const last = latest ? `; latest run: task ${taskId ?? '?'}, status ${latest.status ?? '?'}` : ''
  return `deployment configuration ${name} exists${last}`
}

/** A GET whose failure says what EPMware refused, with the HTTP status the dry-run classifier reads. */
async function read(http: HttpClient, request: HttpRequest, what: string) {
  const response = await http.send(request)
  if (response.status >= 200 && response.status < 300) return response
  const said = `HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')}`
  const message =
    response.status === 401
      ? `the token was refused (${said})`
      : response.status === 403
        ? `the token’s user may not read ${what} (${said})`
        : response.status === 404
          ? `EPMware knows no ${what} (${said})`
          : `could not look up ${what} (${said})`
  throw new ActionError(message, { httpStatus: response.status, transient: response.status >= 500 })
}
