import type { Platform } from '../inputs/schema.js'
import type { DriverDefinition } from './driver.js'
import { bmcRpm } from './bmc-rpm/index.js'
import { epmware } from './epmware/index.js'
import { muleMmc } from './mule-mmc/index.js'
import { mobilefirst } from './mobilefirst/index.js'
import { flexdeploy } from './flexdeploy/index.js'

/**
 * Every platform of the contract, each with its driver or `null` while that driver is not built:
 * a platform missing here is a compile error, and a `null` one is a clear input error at run time.
 */
export const DRIVERS: Record<Platform, DriverDefinition | null> = {
  epmware,
  'mule-mmc': muleMmc,
  'bmc-rpm': bmcRpm,
  mobilefirst,
  flexdeploy
}

export function definitionOf(platform: Platform): DriverDefinition | undefined {
  return DRIVERS[platform] ?? undefined
}
