import type { Platform } from '../inputs/schema.js'
import type { DriverDefinition } from './driver.js'
import { bmcRpm } from './bmc-rpm/index.js'
import { epmware } from './epmware/index.js'
import { muleMmc } from './mule-mmc/index.js'
import { mobilefirst } from './mobilefirst/index.js'
import { flexdeploy } from './flexdeploy/index.js'

/** Every platform of the contract with its driver: a platform missing here is a compile error. */
export const DRIVERS: Record<Platform, DriverDefinition> = {
  epmware,
  'mule-mmc': muleMmc,
  'bmc-rpm': bmcRpm,
  mobilefirst,
  flexdeploy
}

export function definitionOf(platform: Platform): DriverDefinition {
  return DRIVERS[platform]
}
