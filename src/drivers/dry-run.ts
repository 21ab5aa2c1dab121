import { toActionError } from '../errors.js'
import type { DryRunCheck } from './driver.js'

/** One read-only look-up a dry run makes: what it checks, and a call that resolves with what it found. */
export interface DryRunLookup {
  check: string
  run(): Promise<string>
}

/**
 * Runs a driver's read-only look-ups in order and says what each proved. The first look-up also proves the
 * server is reachable and the credentials accepted — or, failing, which of the two it was: no HTTP status
 * means the server was not reached, 401/403 that the credentials were refused. Any other failure is the
 * look-up's own (the target is unknown). Triggers nothing: the look-ups only read.
 */
export async function runDryRunLookups(lookups: DryRunLookup[]): Promise<DryRunCheck[]> {
  const checks: DryRunCheck[] = []
  for (const [index, lookup] of lookups.entries()) {
    try {
      const detail = await lookup.run()
      if (index === 0) checks.push(...accessChecks())
      checks.push({ check: lookup.check, ok: true, detail })
    } catch (error) {
      const failure = toActionError(error)
      const detail = failure.hint ? `${failure.message} (${failure.hint})` : failure.message
      if (failure.httpStatus === undefined && failure.transient) {
        checks.push({ check: 'server reachable', ok: false, detail })
        return checks
      }
      if (failure.httpStatus === 401 || failure.httpStatus === 403) {
        checks.push({ check: 'server reachable', ok: true, detail: 'the server answered' })
        checks.push({ check: 'credentials accepted', ok: false, detail })
        return checks
      }
      if (index === 0) checks.push(...accessChecks())
      checks.push({ check: lookup.check, ok: false, detail })
    }
  }
  return checks
}

function accessChecks(): DryRunCheck[] {
  return [
    { check: 'server reachable', ok: true, detail: 'the server answered' },
    { check: 'credentials accepted', ok: true, detail: 'the credentials were accepted' }
  ]
}
