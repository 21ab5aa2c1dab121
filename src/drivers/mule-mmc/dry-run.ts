import { ActionError } from '../../errors.js'
import type { HttpClient } from '../../http/client.js'
import type { Deployment } from '../../inputs/schema.js'
import type { DryRunCheck } from '../driver.js'
import { runDryRunLookups } from '../dry-run.js'
import { createName, parametersOf } from './parameters.js'
import type { MmcDeployment } from './schemas.js'
import { listDeployments, readDeployment, resolveTarget } from './target.js'

const describe = (found: MmcDeployment) => `deployment ${found.name} (${found.id}) is ${found.status}`

/** Reads only: resolves the target (or, for create, proves the name is free) with the console's GETs. */
export function muleMmcDryRun(deployment: Deployment, http: HttpClient): Promise<DryRunCheck[]> {
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
  if (operation === 'create') {
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
