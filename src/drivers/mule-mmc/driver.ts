import { ActionError } from '../../errors.js'
import { decode } from '../../http/decode.js'
import type { HttpRequest } from '../../http/client.js'
import type { Driver, DriverContext, DryRunCheck, RemoteStatus, StartResult, TaskRef } from '../driver.js'
import { DEPLOYMENTS, deploymentPath } from './api.js'
import { muleMmcDryRun } from './dry-run.js'
import { ensureOk } from './errors.js'
import { applicationOfVersion, Directory } from './lookups.js'
import { sameName } from './names.js'
import { parseLastModified } from './modified.js'
import { createName, parametersOf } from './parameters.js'
import { outOfStep } from './reconcile.js'
import { resolveIds, type IdLists } from './resolve.js'
import { SingleDeploymentSchema, type MmcDeployment, type MuleParameters } from './schemas.js'
import {
  CONFIRM_READ_MS,
  labelOf,
  mapCurrent,
  mapDeployment,
  mapGone,
  type Expectation,
  type Inspect,
  type StartingPoint,
  type Watch
} from './status.js'
import { findDeployment, listDeployments, readDeployment, resolveTarget } from './target.js'
import { uploadArchive, uploadPlan, type Uploaded } from './upload.js'

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
  allowPartial?: boolean
}

const isInProgress = (deployment: MmcDeployment) => deployment.status.toUpperCase() === 'IN_PROGRESS'

/**
 * No `url`: the console documents no address for a deployment's page. `href` is "Full link to the resource"
 * (deployments.adoc), the REST resource itself, which a person cannot open in the console.
 */
export class MuleMmcDriver implements Driver {
  private readonly watches = new Map<string, Watch>()
  private readonly directory: Directory

  constructor(private readonly context: DriverContext) {
    this.directory = new Directory(context.http)
  }

  private get deployment() {
    return this.context.deployment
  }

  private get http() {
    return this.context.http
  }

  private get parameters(): MuleParameters {
    return parametersOf(this.deployment)
  }

  dryRun(): Promise<DryRunCheck[]> {
    return muleMmcDryRun(this.deployment, this.http)
  }

  async start(signal: AbortSignal): Promise<StartResult> {
    const { operation } = this.deployment
    const uploads = this.deployment.artifacts.length > 0
    switch (operation) {
      case 'status':
        return this.show()
      case 'create':
        return this.create(signal, uploads ? await this.upload() : undefined)
      case 'add':
      case 'remove':
        return this.change(
          operation,
          signal,
          operation === 'add' && uploads ? await this.upload() : undefined
        )
      case 'delete':
        return this.remove()
      case 'deploy':
        if (uploads) return this.release(signal)
        return this.trigger('deploy', await this.target())
      case 'redeploy':
      case 'undeploy':
        return this.trigger(operation, await this.target())
      default:
        throw new ActionError(`operation ${operation} is not an operation of mule-mmc`)
    }
  }

  resume(taskId: string): TaskRef {
    const context: WatchContext = { expect: 'settled', allowPartial: this.parameters.allowPartial }
    return { id: taskId, context: { ...context } }
  }

  async status(task: TaskRef): Promise<RemoteStatus> {
    const watch = this.watchOf(task)
    const deployment = await readDeployment(this.http, task.id)
    if (!deployment) return mapGone(task.id, watch)
    return mapDeployment(deployment, watch, this.inspect)
  }

  /** The per-server state, read fresh each time (a server may come back while the deploy settles). */
  private readonly inspect: Inspect = deployment => outOfStep(new Directory(this.http), deployment)

  private watchOf(task: TaskRef): Watch {
    let watch = this.watches.get(task.id)
    if (!watch) {
      const context = (task.context ?? {}) as Partial<WatchContext>
      watch = {
        expect: context.expect ?? 'settled',
        start: context.start,
        left: false,
        allowPartial: context.allowPartial
      }
      this.watches.set(task.id, watch)
    }
    return watch
  }

  private async target(): Promise<MmcDeployment> {
    return resolveTarget(this.http, this.deployment.target ?? '')
  }

  private async upload(): Promise<Uploaded> {
    const { plan, problems } = uploadPlan(this.deployment, this.parameters)
    if (!plan) {
      throw new ActionError(
        `The artifacts changed since the inputs were checked: ${problems.map(problem => `${problem.input} ${problem.value ? `'${problem.value}' ` : ''}${problem.problem}`).join('; ')}`
      )
    }
    return uploadArchive(this.http, this.directory, plan, this.context.log)
  }

  /**
   * POST …/deploy, …/redeploy or …/undeploy, then the deployment is watched to its end. The pages document
   * no body ("The specified deployments are redeployed."); the Maven plugin logs whatever text the console
   * answers (MuleRest.restfullyDeployDeploymentById). The answer is read as text and logged, never parsed:
   * a text answer is no failure by itself.
   */
  private async trigger(action: Trigger, deployment: MmcDeployment, prefix = ''): Promise<StartResult> {
    const request: HttpRequest = {
      method: 'POST',
      path: deploymentPath(deployment.id, action),
      expect: 'text'
    }
    const response = await this.send(request)
    const answer = response.text.trim()
    if (answer) this.context.log.info(`The console answered ${action}: ${answer.slice(0, 300)}`)
    return {
      kind: 'task',
      task: this.taskFor(deployment, EXPECTED[action]),
      message: `${prefix}Mule Management Console accepted ${action} of deployment ${deployment.name} (${deployment.id})`
    }
  }

  private async remove(): Promise<StartResult> {
    const deployment = await this.target()
    await this.send({ method: 'DELETE', path: deploymentPath(deployment.id), expect: 'text' })
    return {
      kind: 'task',
      task: this.taskFor(deployment, 'gone'),
      message: `Mule Management Console accepted the deletion of deployment ${deployment.name} (${deployment.id})`
    }
  }

  /** POST /api/deployments with ids only; with deploy: true (or artifacts on deploy) deployed in the same step. */
  private async create(signal: AbortSignal, uploaded?: Uploaded, name?: string): Promise<StartResult> {
    const parameters = this.parameters
    const ids = await resolveIds(parameters, this.directory)
    const applications = [...(uploaded ? [uploaded.versionId] : []), ...(ids.applications ?? [])]
    const deploymentName = name ?? createName(this.deployment, parameters) ?? ''
    if (!ids.servers && !ids.clusters) {
      throw new ActionError(
        `No deployment is named '${deploymentName}', and there is nothing to create it on: give parameters.serverGroups, servers or clusters`
      )
    }
    const json = { name: deploymentName, ...withoutEmpty({ ...ids, applications }) }
    const created = await this.sendForDeployment({ method: 'POST', path: DEPLOYMENTS, json })
    const what = `Created deployment ${created.name} with id ${created.id}`
    this.context.log.info(what)
    if (parameters.deploy || name !== undefined) {
      return this.trigger('deploy', await this.settled(created, signal), `${what}; `)
    }
    return this.changed(created, what)
  }

  /**
   * PUT …/add or …/remove with the stored `lastModified`, which the REST API Reference marks required. The
   * console answers with the deployment under a NEW id, which is the one reported and followed.
   */
  private async change(
    operation: 'add' | 'remove',
    signal: AbortSignal,
    uploaded?: Uploaded
  ): Promise<StartResult> {
    const parameters = this.parameters
    const current = await this.target()
    const ids = await resolveIds(
      parameters,
      this.directory,
      operation === 'remove' ? (current.applications ?? []) : undefined
    )
    if (uploaded) ids.applications = [uploaded.versionId, ...(ids.applications ?? [])]
    const updated = await this.update(operation, current, ids, parameters.name)
    const what =
      `${operation === 'add' ? 'Added to' : 'Removed from'} deployment ${updated.name}; ` +
      `the console gave it a new id: ${current.id} → ${updated.id}`
    this.context.log.info(what)
    if (parameters.deploy) return this.trigger('deploy', await this.settled(updated, signal), `${what}; `)
    return this.changed(updated, what)
  }

  private async update(
    operation: 'add' | 'remove',
    current: MmcDeployment,
    ids: IdLists,
    name?: string
  ): Promise<MmcDeployment> {
    const json = {
      ...withoutEmpty(ids),
      ...(name ? { name } : {}),
      ...(current.lastModified ? { lastModified: current.lastModified } : {})
    }
    const path = deploymentPath(current.id, operation)
    return operation === 'add'
      ? this.sendForDeployment({ method: 'PUT', path, json })
      : this.removeFrom(path, json)
  }

  /**
   * The one-step release (`operation: deploy` with `artifacts`), the flow of the Maven plugin
   * (plugin/Deploy.execute: upload, create, deploy, wait): the archive is uploaded as a new version; the
   * deployment `target` names (default: the application's name) is created with it when there is none, or
   * gets it added, the old versions of the same application removed; then it is deployed and followed.
   */
  private async release(signal: AbortSignal): Promise<StartResult> {
    const uploaded = await this.upload()
    const name = this.deployment.target ?? uploaded.application
    const existing = await findDeployment(this.http, name)
    if (!existing) return this.create(signal, uploaded, name)
    const ids = await resolveIds(this.parameters, this.directory)
    ids.applications = [uploaded.versionId, ...(ids.applications ?? [])]
    let current = await this.settled(
      await this.update('add', await this.settled(existing, signal), ids),
      signal
    )
    const steps = [
      `added ${uploaded.application} ${uploaded.version} to deployment ${current.name} (${existing.id} → ${current.id})`
    ]
    const repository = await this.directory.repository()
    const replaced = (current.applications ?? []).filter(id => {
      if (id === uploaded.versionId) return false
      const found = applicationOfVersion(repository, id)
      return found !== undefined && sameName(found.application.name, uploaded.application)
    })
    if (replaced.length) {
      const before = current.id
      current = await this.settled(await this.update('remove', current, { applications: replaced }), signal)
      const names = replaced.map(id => applicationOfVersion(repository, id)?.version.name ?? id)
      steps.push(
        `removed the replaced version${names.length === 1 ? '' : 's'} ${names.join(', ')} (${before} → ${current.id})`
      )
    }
    const what = `Uploaded and ${steps.join('; ')}`
    this.context.log.info(what)
    return this.trigger('deploy', current, `${what}; `)
  }

  /**
   * A create, add or remove the console answered IN_PROGRESS is read again until it leaves it, before the
   * deploy that follows (ASSUMED: the pages show these answers UNDEPLOYED, but consoles were seen answering
   * IN_PROGRESS while they store the change; a deploy sent meanwhile could be refused or lost).
   */
  private async settled(deployment: MmcDeployment, signal: AbortSignal): Promise<MmcDeployment> {
    let current = deployment
    while (isInProgress(current)) {
      await this.context.clock.sleep(CONFIRM_READ_MS, signal)
      const read = await readDeployment(this.http, current.id)
      if (!read)
        throw new ActionError(
          `Deployment ${current.name} (${current.id}) disappeared while the console stored a change`
        )
      current = read
    }
    if (current.status.toUpperCase() === 'FAILED') {
      throw new ActionError(`Deployment ${current.name} (${current.id}) is FAILED after the change`)
    }
    return current
  }

  /**
   * Remove is PUT: the REST API Reference: Deployments (docs-mule-management-console, deployments.adoc,
   * "UPDATE BY REMOVING") and the curl example of the Managing Deployments page send PUT. The Managing
   * Deployments page's table and heading say DELETE; a console that refuses PUT with 405 is asked again with
   * DELETE (a 405 changed nothing).
   */
  private async removeFrom(path: string, json: Record<string, unknown>): Promise<MmcDeployment> {
    const put: HttpRequest = { method: 'PUT', path, json }
    const response = await this.http.send(put)
    if (response.status !== 405)
      return this.deploymentOf(ensureOk(response, this.http.describe(put)).body, put)
    this.context.log.info(`${this.http.describe(put)} answered 405; sending the remove as DELETE`)
    return this.sendForDeployment({ method: 'DELETE', path, json })
  }

  /**
   * `operation: status`: the deployment's own state (target given), or that of the most recently modified
   * deployment; `skipped` only when the console lists none. Nothing changes.
   */
  private async show(): Promise<StartResult> {
    const allowPartial = this.parameters.allowPartial ?? false
    if (this.deployment.target) {
      const deployment = await this.target()
      return {
        kind: 'final',
        task: { id: deployment.id },
        status: await mapCurrent(deployment, this.inspect, allowPartial)
      }
    }
    const deployments = await listDeployments(this.http)
    if (deployments.length === 0) {
      return {
        kind: 'final',
        status: {
          state: 'skipped',
          code: 'NONE',
          label: 'no deployments',
          message: 'The console has no deployments yet'
        }
      }
    }
    const latest = [...deployments].sort(
      (a, b) => (parseLastModified(b.lastModified) ?? 0) - (parseLastModified(a.lastModified) ?? 0)
    )[0] as MmcDeployment
    const status = await mapCurrent(latest, this.inspect, allowPartial)
    const listed = deployments.map(d => `${d.name} (${d.status})`).join(', ')
    return {
      kind: 'final',
      task: { id: latest.id },
      status: {
        ...status,
        message: `${status.message ?? ''} — the most recently modified of ${deployments.length}: ${listed}`,
        details: { latest, deployments }
      }
    }
  }

  private changed(deployment: MmcDeployment, message: string): StartResult {
    if (isInProgress(deployment)) {
      return {
        kind: 'task',
        task: this.taskFor(deployment, 'changed'),
        message: `${message}; the console is storing it (IN_PROGRESS)`
      }
    }
    return {
      kind: 'final',
      task: { id: deployment.id },
      status: {
        state: 'succeeded',
        code: deployment.status,
        label: labelOf(deployment.status),
        message,
        details: deployment
      }
    }
  }

  private taskFor(deployment: MmcDeployment, expect: Expectation): TaskRef {
    const context: WatchContext = {
      expect,
      start: { status: deployment.status, lastModified: deployment.lastModified ?? undefined },
      allowPartial: this.parameters.allowPartial
    }
    return { id: deployment.id, context: { ...context } }
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

function withoutEmpty(lists: IdLists): IdLists {
  return Object.fromEntries(
    Object.entries(lists).filter(([, value]) => Array.isArray(value) && value.length > 0)
  ) as IdLists
}
