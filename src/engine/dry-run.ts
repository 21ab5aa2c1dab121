import type { Driver, DryRunCheck } from '../drivers/driver.js'
import { toActionError } from '../errors.js'
import type { DeploymentResult } from './result.js'

/** `dry-run: true`: the driver's checks instead of a trigger; `succeeded` only when every check passes. */
export async function dryRunDeployment(
  driver: Driver,
  signal: AbortSignal,
  result: DeploymentResult
): Promise<void> {
  const checks: DryRunCheck[] = [
    { check: 'inputs valid', ok: true, detail: 'every field parsed and matches the platform' }
  ]
  if (!driver.dryRun) {
    checks.push({
      check: 'dry run supported',
      ok: false,
      detail: `dry run is not supported for ${result.platform} yet; nothing was sent to the server`
    })
  } else {
    try {
      checks.push(...(await driver.dryRun(signal)))
    } catch (error) {
      checks.push({ check: 'server reachable', ok: false, detail: toActionError(error).message })
    }
  }
  result.checks = checks
  result.status = checks.every(check => check.ok) ? 'succeeded' : 'failed'
  result.message = `Dry run, nothing triggered: ${checks.map(describeCheck).join('; ')}`
}

export function describeCheck(check: DryRunCheck): string {
  return `${check.ok ? '✓' : '✗'} ${check.check}${check.ok ? '' : ` (${check.detail})`}`
}
