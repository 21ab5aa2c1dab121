import { ActionError, toActionError } from '../../errors.js'
import { decode, errorMessageOf } from '../../http/decode.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import type { Deployment } from '../../inputs/schema.js'
import type { DryRunCheck } from '../driver.js'
import { runDryRunLookups, type DryRunLookup } from '../dry-run.js'
import { resolveArtifacts, workspaceDirectory } from '../upload/artifacts.js'
import { executionsRequest, type ExecutionsModule } from './executions.js'
import { refusalInBody } from './refusal.js'
import {
  ExecutionDetailsSchema,
  statusCodeOf,
  taskIdOf,
  TaskStatusSchema,
  type Execution
} from './schemas.js'

const API = '/service/api'

/**
 * Reads, never runs: get_execution_details for each deployment name (target, rollback) or export profile,
 * get_status for the task of `operation: await`; for erp-import the file is resolved and the token checked.
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
  if (deployment.operation === 'erp-import') return erpImportDryRun(deployment, http)
  if (deployment.operation === 'export') {
    const book =
      typeof deployment.parameters.book_name === 'string' ? deployment.parameters.book_name : undefined
    if (book) return bookDryRun(http, book)
    return runDryRunLookups([
      { check: 'target resolved', run: () => describeLatest(http, 'export', deployment.target ?? '') }
    ])
  }
  const names = [deployment.target ?? '']
  if (typeof deployment.parameters.rollback === 'string') names.push(deployment.parameters.rollback)
  return runDryRunLookups(
    names.map((name, index): DryRunLookup => ({
      check: index === 0 ? 'target resolved' : 'rollback target resolved',
      run: () => describeLatest(http, 'deployment', name)
    }))
  )
}

/**
 * The ERP module has upload_file and run only (REST API Guide v1.3): nothing reads an import configuration.
 * The server and token are checked with a read of task 0 (ASSUMED harmless: a 404 or an HTTP 200 refusal
 * means the token was accepted), the file locally.
 */
async function erpImportDryRun(deployment: Deployment, http: HttpClient): Promise<DryRunCheck[]> {
  let file: DryRunCheck
  try {
    file = { check: 'artifacts resolved', ok: true, detail: describeFile(deployment) }
  } catch (error) {
    return [{ check: 'artifacts resolved', ok: false, detail: toActionError(error).message }]
  }
  return [
    ...(await probeAccess(http)),
    file,
    {
      check: 'target resolved',
      ok: true,
      detail: `not checked: EPMware has no call that reads ERP import ${deployment.target ?? ''} without running it`
    }
  ]
}

async function bookDryRun(http: HttpClient, book: string): Promise<DryRunCheck[]> {
  return [
    ...(await probeAccess(http)),
    {
      check: 'target resolved',
      ok: true,
      detail: `not checked: get_execution_details takes export names, not books (export book ${book})`
    }
  ]
}

/** Server reachable and token accepted, from a read that changes nothing. */
async function probeAccess(http: HttpClient): Promise<DryRunCheck[]> {
  const request: HttpRequest = { method: 'GET', path: `${API}/task/get_status/0` }
  try {
    const response = await http.send(request)
    if (response.status === 401 || response.status === 403) {
      return [
        { check: 'server reachable', ok: true, detail: 'the server answered' },
        {
          check: 'credentials accepted',
          ok: false,
          detail: `the token was refused (HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')})`
        }
      ]
    }
    return [
      { check: 'server reachable', ok: true, detail: 'the server answered' },
      { check: 'credentials accepted', ok: true, detail: 'the token was accepted' }
    ]
  } catch (error) {
    return [{ check: 'server reachable', ok: false, detail: toActionError(error).message }]
  }
}

function describeFile(deployment: Deployment): string {
  const { files, problems } = resolveArtifacts(workspaceDirectory(), deployment.artifacts)
  const [file] = files
  if (problems.length > 0 || !file || files.length !== 1) {
    throw new ActionError(
      problems.map(problem => `'${problem.value}' ${problem.problem}`).join('; ') ||
        `artifacts matched ${files.length} files; erp-import uploads exactly one`
    )
  }
  return `${file.relative} (${file.size} bytes) would be uploaded`
}

async function describeLatest(http: HttpClient, module: ExecutionsModule, name: string): Promise<string> {
  const request = executionsRequest(module, name)
  const response = await read(http, request, `${module} configuration ${name}`)
  const refused = refusalInBody(response.body)
  if (refused !== undefined) {
    throw new ActionError(`EPMware knows no ${module} configuration ${name} (${refused})`, {
      httpStatus: 404
    })
  }
  const executions = ExecutionDetailsSchema.safeParse(response.body ?? [])
  const latest = executions.success ? (executions.data as Execution[])[0] : undefined
  const last = latest
    ? `; latest run: task ${taskIdOf(latest) ?? '?'}, status ${statusCodeOf(latest) ?? '?'}${latest.statusMeaning ? ` (${latest.statusMeaning})` : ''}`
    : executions.success
      ? '; never run'
      : ''
  return `${module} configuration ${name} exists${last}`
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
