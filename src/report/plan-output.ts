import { waves } from '../inputs/graph.js'
import type { FleetEntry } from '../inputs/schema.js'
import type { Redactor } from '../secrets.js'
import { cleanValue } from '../text/untrusted.js'

/** One row of a wave's matrix: what a matrix job passes back as the `deployments` input. */
export interface PlanRow {
  deployment: string
  platform: string
  target: string
  needs: string[]
}

/** A wave as GitHub's `strategy.matrix` takes it (`fromJSON`): one job per row. */
export interface PlanWave {
  include: PlanRow[]
}

/**
 * The `plan` output: a JSON array of waves in the order they run, each `{"include":[…]}` with one row per
 * deployment — `{"deployment","platform","target","needs"}` — a wave's rows needing only rows of earlier
 * waves. '' without a config file (nothing to plan).
 */
export function planOutput(fleet: readonly FleetEntry[] | undefined, redactor: Redactor): string {
  if (!fleet) return ''
  const names = new Set(fleet.map(entry => entry.name))
  const grouped: PlanWave[] = waves(fleet).map(wave => ({
    include: wave.map(entry => ({
      deployment: entry.name,
      platform: entry.platform,
      target: entry.target ?? '',
      needs: entry.needs.filter(need => names.has(need))
    }))
  }))
  return JSON.stringify(cleanValue(grouped, redactor))
}
