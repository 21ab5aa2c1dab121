import { toActionError } from '../../errors.js'
import { errorMessageOf } from '../../http/decode.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import type { Deployment } from '../../inputs/schema.js'
import type { DryRunCheck } from '../driver.js'
import { ExecutionDetailsSchema } from './schemas.js'

const API = '/service/api'

/**
 * Reads, never runs: get_execution_details for each deployment name (target, rollback) or get_status for
 * the task of `operation: await`. 401/403 say the token is refused, 404 that the name is unknown.
 */
export async function epmwareDryRun(deployment: Deployment, http: HttpClient): Promise<DryRunCheck[]> {
  const lookups: { check: string; request: HttpRequest; what: string }[] = []
  if (deployment.operation === 'await') {
    const taskId = deployment.taskId ?? ''
    lookups.push({
      check: 'task found',
      what: `task ${taskId}`,
      request: { method: 'GET', path: `${API}/task/get_status/${encodeURIComponent(taskId)}` }
    })
  } else {
    const names = [deployment.target ?? '']
    const rollback = deployment.parameters.rollback
    if (typeof rollback === 'string') names.push(rollback)
    names.forEach((name, index) =>
      lookups.push({
        check: index === 0 ? 'target resolved' : 'rollback target resolved',
        what: `deployment configuration ${name}`,
        request: {
          method: 'GET',
          path: `${API}/deployment/get_execution_details`,
          query: { name, latest_only: 'Y' }
        }
      })
    )
  }

  const checks: DryRunCheck[] = []
  for (const [index, lookup] of lookups.entries()) {
    let response
    try {
      response = await http.send(lookup.request)
    } catch (error) {
      checks.push({ check: 'server reachable', ok: false, detail: toActionError(error).message })
      return checks
    }
    const said = `HTTP ${response.status}: ${errorMessageOf(response.body, 'no message')}`
    if (index === 0) {
      checks.push({
        check: 'server reachable',
        ok: true,
        detail: `${http.describe(lookup.request)} answered`
      })
      if (response.status === 401 || response.status === 403) {
        checks.push({
          check: 'credentials accepted',
          ok: false,
          detail: `${response.status === 401 ? 'the token was refused' : 'the token’s user may not read this deployment'} (${said})`
        })
        return checks
      }
      if (response.status < 500) {
        checks.push({ check: 'credentials accepted', ok: true, detail: 'the token was accepted' })
      }
    }
    checks.push(lookupCheck(lookup.check, lookup.what, response.status, response.body, said))
  }
  return checks
}

function lookupCheck(check: string, what: string, status: number, body: unknown, said: string): DryRunCheck {
  if (status === 404) return { check, ok: false, detail: `EPMware knows no ${what} (${said})` }
  if (status < 200 || status >= 300)
    return { check, ok: false, detail: `could not look up ${what} (${said})` }
  const executions = ExecutionDetailsSchema.safeParse(body ?? [])
  const latest = executions.success ? executions.data[0] : undefined
  const taskId = latest?.taskId ?? latest?.task_id
  const last = latest ? `; latest run: task ${taskId ?? '?'}, status ${latest.status ?? '?'}` : ''
  return { check, ok: true, detail: `${what} exists${last}` }
}
