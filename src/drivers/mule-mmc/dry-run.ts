import { ActionError } from '../../errors.js'
import type { HttpClient } from '../../http/client.js'
import type { Deployment } from '../../inputs/schema.js'
import type { DryRunCheck } from '../driver.js'
import { runDryRunLookups } from '../dry-run.js'
import { createName, parametersOf } from './parameters.js'
import type { MmcDeployment } from './schemas.js'
import { Directory } from './lookups.js'
import { resolveIds } from './resolve.js'
import { findDeployment, listDeployments, readDeployment, resolveTarget } from './target.js'
import { uploadPlan } from './upload.js'

const describe = (found: MmcDeployment) => `deployment ${found.name} (${found.id}) is ${found.status}`

function createChecks(deployment: Deployment, http: HttpClient): Promise<DryRunCheck[]> {
  const name = createName(deployment, parametersOf(deployment)) ?? ''
  return runDryRunLookups([
    {
      check: 'name free',
      run: async () => {
        const deployments = await listDeployments(http)
        const taken = deployments.find(existing => existing.name === name)
        if (taken) throw new ActionError(`A deployment named '${name}' already exists: ${describe(taken)}`)
        return `no deployment is named '${name}' yet (the console has ${deployments.length})`
      }
    }
  ])
}

/** Reads only: resolves the target (or, for create, proves the name is free) with the console's GETs. */
export async function muleMmcDryRun(deployment: Deployment, http: HttpClient): Promise<DryRunCheck[]> {
  const { operation, target, taskId } = deployment
  if (operation === 'await') {
    return runDryRunLookups([
      {
        check: 'deployment found',
        run: async () => {
          const found = await readDeployment(http, taskId ?? '')
          if (!found) throw new ActionError(`The console has no deployment with id ${taskId}`)
          return describe(found)
        }
      }
    ])
  }
  if (operation === 'deploy' && deployment.artifacts.length) {
    const parameters = parametersOf(deployment)
    const { plan } = uploadPlan(deployment, parameters)
    const name = target ?? plan?.application ?? ''
    return runDryRunLookups([
      {
        check: 'archive found',
        run: async () =>
          plan
            ? `${plan.file.relative} (${plan.file.size} bytes) would be uploaded as ${plan.application} version ${plan.version}`
            : 'no archive'
      },
      {
        check: 'names resolved',
        run: async () => {
          const ids = await resolveIds(parameters, new Directory(http))
          return `servers: ${ids.servers?.join(', ') || 'none given'}; clusters: ${ids.clusters?.join(', ') || 'none given'}; applications: ${ids.applications?.join(', ') || 'none given'}`
        }
      },
      {
        check: 'deployment found',
        run: async () => {
          const found = await findDeployment(http, name)
          return found
            ? `${describe(found)}: the new version would be added to it and deployed`
            : `no deployment is named '${name}': it would be created with the new version and deployed`
        }
      }
    ])
  }
  if (operation === 'create' || operation === 'add' || operation === 'remove') {
    // Reads only: every name is resolved the way the step would resolve it.
    const checks = await runDryRunLookups([
      {
        check: 'names resolved',
        run: async () => {
          // remove takes a bare application name as the versions of it the deployment holds
          const held =
            operation === 'remove'
              ? ((await resolveTarget(http, target ?? '')).applications ?? [])
              : undefined
          const ids = await resolveIds(parametersOf(deployment), new Directory(http), held)
          return `${(ids.servers ?? []).length} server ids, ${(ids.clusters ?? []).length} cluster ids, ${(ids.applications ?? []).length} application version ids`
        }
      }
    ])
    if (operation === 'create') return [...checks, ...(await createChecks(deployment, http))]
    return [
      ...checks,
      ...(await runDryRunLookups([
        { check: 'target resolved', run: async () => describe(await resolveTarget(http, target ?? '')) }
      ]))
    ]
  }
  if (operation === 'status' && !target) {
    return runDryRunLookups([
      {
        check: 'deployments listed',
        run: async () => `the console has ${(await listDeployments(http)).length} deployments`
      }
    ])
  }
  return runDryRunLookups([
    { check: 'target resolved', run: async () => describe(await resolveTarget(http, target ?? '')) }
  ])
}
