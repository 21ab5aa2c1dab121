import { ActionError } from '../../errors.js'
import { decode } from '../../http/decode.js'
import type { HttpRequest } from '../../http/client.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { DEPLOYMENTS, deploymentPath } from './api.js'
import { muleMmcDryRun } from './dry-run.js'
import { ensureOk } from './errors.js'
import { createName, parametersOf, requestLists } from './parameters.js'
import { SingleDeploymentSchema, type MmcDeployment } from './schemas.js'
import {
  labelOf,
  mapDeployment,
  mapGone,
  type Expectation,
  type StartingPoint,
  type Watch
} from './status.js'
import { listDeployments, readDeployment, resolveTarget } from './target.js'

type Trigger = 'deploy' | 'redeploy' | 'undeploy'

const EXPECTED: Record<Trigger | 'delete', Expectation> = {
  deploy: 'deployed',
  redeploy: 'deployed',
  undeploy: 'undeployed',
  delete: 'gone'
}

/** What TaskRef.context holds: the end state the operation leads to, and where the deployment started. */
interface WatchContext {
  expect: Expectation
  start?: StartingPoint
}

export class MuleMmcDriver implements Driver {
  private readonly watches = new Map<string, Watch>()

  constructor(private readonly context: DriverContext) {}

  private get deployment() {
    return this.context.deployment
  }

  private get http() {
    return this.context.http
  }

  dryRun(): Promise<DryRunCheck[]> {
    return muleMmcDryRun(this.deployment, this.http)
  }

  async start(): Promise<StartResult> {
    const { operation } = this.deployment
    switch (operation) {
      case 'status':
        return this.show()
      case 'create':
        return this.create()
      case 'add':
      case 'remove':
        return this.change(operation)
      case 'delete':
        return this.remove()
      case 'deploy':
      case 'redeploy':
      case 'undeploy':
        return this.trigger(operation, await this.target())
      default:
        throw new ActionError(`operation ${operation} is not an operation of mule-mmc`)
    }
  }

  resume(taskId: string): TaskRef {
    const context: WatchContext = { expect: 'settled' }
    return { id: taskId, context: { ...context } }
  }

  async status(task: TaskRef): Promise<RemoteStatus> {
    const watch = this.watchOf(task)
    const deployment = await readDeployment(this.http, task.id)
    if (!deployment) return mapGone(task.id, watch)
    return mapDeployment(deployment, watch)
  }

  private watchOf(task: TaskRef): Watch {
    let watch = this.watches.get(task.id)
    if (!watch) {
      const context = (task.context ?? {}) as Partial<WatchContext>
      watch = { expect: context.expect ?? 'settled', start: context.start, left: false }
      this.watches.set(task.id, watch)
    }
    return watch
  }

  private async target(): Promise<MmcDeployment> {
    return resolveTarget(this.http, this.deployment.target ?? '')
  }

  /** POST …/deploy, …/redeploy or …/undeploy: a bare 200, then the deployment is watched to its end. */
  private async trigger(action: Trigger, deployment: MmcDeployment, prefix = ''): Promise<StartResult> {
    await this.send({ method: 'POST', path: deploymentPath(deployment.id, action) })
    return {
      kind: 'task',
      task: this.taskFor(deployment, EXPECTED[action]),
      message: `${prefix}Mule Management Console accepted ${action} of deployment ${deployment.name} (${deployment.id})`
    }
  }

  private async remove(): Promise<StartResult> {
    const deployment = await this.target()
    await this.send({ method: 'DELETE', path: deploymentPath(deployment.id) })
    return {
      kind: 'task',
      task: this.taskFor(deployment, 'gone'),
      message: `Mule Management Console accepted the deletion of deployment ${deployment.name} (${deployment.id})`
    }
  }

  /** POST /api/deployments; with deploy: true the new deployment is deployed in the same step. */
  private async create(): Promise<StartResult> {
    const parameters = parametersOf(this.deployment)
    const json = { name: createName(this.deployment, parameters), ...requestLists(parameters) }
    const created = await this.sendForDeployment({ method: 'POST', path: DEPLOYMENTS, json })
    const what = `Created deployment ${created.name} with id ${created.id}`
    if (parameters.deploy) return this.trigger('deploy', created, `${what}; `)
    return this.changed(created, what)
  }

  /**
   * PUT …/add or …/remove with the stored `lastModified`, which the REST API Reference marks required. The
   * console answers with the deployment under a NEW id, which is the one reported and followed.
   */
  private async change(operation: 'add' | 'remove'): Promise<StartResult> {
    const parameters = parametersOf(this.deployment)
    const current = await this.target()
    const json = {
      ...requestLists(parameters),
      ...(parameters.name ? { name: parameters.name } : {}),
      ...(current.lastModified ? { lastModified: current.lastModified } : {})
    }
    const path = deploymentPath(current.id, operation)
    const updated =
      operation === 'add'
        ? await this.sendForDeployment({ method: 'PUT', path, json })
        : await this.removeFrom(path, json)
    const what =
      `${operation === 'add' ? 'Added to' : 'Removed from'} deployment ${updated.name}; ` +
      `the console gave it a new id: ${current.id} → ${updated.id}`
    this.context.log.info(what)
    if (parameters.deploy) return this.trigger('deploy', updated, `${what}; `)
    return this.changed(updated, what)
  }

  /**
   * Remove is PUT: the REST API Reference: Deployments (docs-mule-management-console, deployments.adoc,
   * "UPDATE BY REMOVING"), the curl example of the Managing Deployments page, and a client that drives the
   * console (github.com/pulsenintegration/Maven-Mule-REST-Plugin, MuleRest.restfullyCreateDeployment) all send
   * PUT. The Managing Deployments page's table and heading say DELETE; a console that refuses PUT with 405
   * is asked again with DELETE (a 405 changed nothing).
   */
  private async removeFrom(path: string, json: Record<string, unknown>): Promise<MmcDeployment> {
    const put: HttpRequest = { method: 'PUT', path, json }
    const response = await this.http.send(put)
    if (response.status !== 405)
      return this.deploymentOf(ensureOk(response, this.http.describe(put)).body, put)
    this.context.log.info(`${this.http.describe(put)} answered 405; sending the remove as DELETE`)
    return this.sendForDeployment({ method: 'DELETE', path, json })
  }

  /** `operation: status`: one deployment (target given) or all of them; nothing changes. */
  private async show(): Promise<StartResult> {
    if (!this.deployment.target) {
      const deployments = await listDeployments(this.http)
      const listed = deployments.map(d => `${d.name} (${d.status})`).join(', ')
      return {
        kind: 'final',
        status: {
          state: 'succeeded',
          code: 'LIST',
          label: `${deployments.length} deployments`,
          message: `${deployments.length} deployment${deployments.length === 1 ? '' : 's'} on the console${listed ? `: ${listed}` : ''}`,
          details: deployments
        }
      }
    }
    const deployment = await this.target()
    return this.changed(
      deployment,
      `Deployment ${deployment.name} (${deployment.id}) is ${deployment.status}`
    )
  }

  private changed(deployment: MmcDeployment, message: string): StartResult {
    return {
      kind: 'final',
      task: { id: deployment.id, url: deployment.href ?? undefined },
      status: {
        state: 'succeeded',
        code: deployment.status,
        label: labelOf(deployment.status),
        message,
        details: deployment,
        url: deployment.href ?? undefined
      }
    }
  }

  private taskFor(deployment: MmcDeployment, expect: Expectation): TaskRef {
    const context: WatchContext = {
      expect,
      start: { status: deployment.status, lastModified: deployment.lastModified ?? undefined }
    }
    return { id: deployment.id, url: deployment.href ?? undefined, context: { ...context } }
  }

  private async send(request: HttpRequest) {
    return ensureOk(await this.http.send(request), this.http.describe(request))
  }

  private async sendForDeployment(request: HttpRequest): Promise<MmcDeployment> {
    return this.deploymentOf((await this.send(request)).body, request)
  }

  private deploymentOf(body: unknown, request: HttpRequest): MmcDeployment {
    const describe = `Mule Management Console ${this.http.describe(request)}`
    const deployment = decode(SingleDeploymentSchema, body, describe)
    if (!deployment) throw new ActionError(`${describe} answered without the deployment`)
    return deployment
  }
}
