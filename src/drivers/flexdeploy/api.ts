import { ensureOk } from '../../http/decode.js'
import type { HttpRequest, HttpResponse } from '../../http/client.js'
import type { DriverContext } from '../driver.js'
import type { ApiVersionChoice } from './parameters.js'

export type ApiVersion = 'v1' | 'v2'

export const ROOT = { v1: '/rest/v1', v2: '/rest/v2' } as const

const HINTS: Record<number, string> = {
  400: 'FlexDeploy refused the request: check parameters (environmentId, instanceIds, streamId and projectVersionId are ids; environment, instances, stream and release are names the action looks up).',
  401: 'Check username and password (since FlexDeploy 6.0 an API token may stand in for the password; users of an SSO realm must use one).',
  403: 'The user may not do this on this project or environment; check its groups and permissions in FlexDeploy.',
  404: 'Check target: FlexDeploy has no project (or workflow request) with that id.',
  500: 'FlexDeploy failed with an internal error; see the FlexDeploy server log.'
}

/**
 * The probe of `apiVersion: auto`: `GET /rest/v2/workflowrequest/1`, the read Flexagon's Jenkins plugin 3.x
 * (`validateConnection`) uses to check a server. A v2 server answers 200, or 404 saying "WorkflowRequest not
 * found"; any other 404 means the v2 resource is not there, so the action falls back to v1. 401 and 403 are
 * refusals (the credentials, not the version).
 */
const PROBE = `${ROOT.v2}/workflowrequest/1`
const V2_NOT_FOUND = /workflow\s*request[^"]*not\s+found/i

/** Sends FlexDeploy requests on the REST API version the deployment asked for or the server has. */
export class FlexDeployApi {
  private resolved?: ApiVersion

  constructor(
    private readonly context: DriverContext,
    private readonly choice: ApiVersionChoice
  ) {}

  /** The version in use; `auto` asks the server once, logging which it found. */
  async version(): Promise<ApiVersion> {
    if (this.resolved) return this.resolved
    if (this.choice !== 'auto') {
      this.resolved = this.choice
      return this.resolved
    }
    const request: HttpRequest = { method: 'GET', path: PROBE }
    const response = await this.context.http.send(request)
    if (response.status === 404 && !V2_NOT_FOUND.test(response.text)) {
      this.resolved = 'v1'
      this.context.log.info(
        `FlexDeploy has no v2 REST API (${this.context.http.describe(request)} answered HTTP 404); using v1 (apiVersion: auto)`
      )
      return this.resolved
    }
    if (response.status !== 404) this.ensure(response, request)
    this.resolved = 'v2'
    this.context.log.info('FlexDeploy serves its v2 REST API; using v2 (apiVersion: auto)')
    return this.resolved
  }

  async root(): Promise<string> {
    return ROOT[await this.version()]
  }

  /** A request whose failure is a FlexDeploy refusal. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    return this.ensure(await this.context.http.send(request), request)
  }

  /** A request whose status the caller judges. */
  raw(request: HttpRequest): Promise<HttpResponse> {
    return this.context.http.send(request)
  }

  /** The response when it is a success; otherwise FlexDeploy's refusal. */
  check(response: HttpResponse, request: HttpRequest): HttpResponse {
    return this.ensure(response, request)
  }

  private ensure(response: HttpResponse, request: HttpRequest): HttpResponse {
    return ensureOk(response, this.context.http.describe(request), { vendor: 'FlexDeploy', hints: HINTS })
  }
}
