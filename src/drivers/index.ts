import { PLATFORMS, type Platform } from '../inputs/schema.js'
import type { DriverDefinition } from './driver.js'

/**
 * Every platform of the contract with the module of its definition: a platform missing here is a compile
 * error. A definition (operations, parameter schemas, validation) loads only for the platforms a run names
 * (issue 16): each is a chunk of its own in dist/, and one platform's schemas cost nothing to another's run.
 */
const LOADERS: Record<Platform, () => Promise<DriverDefinition>> = {
  epmware: async () => (await import('./epmware/index.js')).epmware,
  'mule-mmc': async () => (await import('./mule-mmc/index.js')).muleMmc,
  'bmc-rpm': async () => (await import('./bmc-rpm/index.js')).bmcRpm,
  mobilefirst: async () => (await import('./mobilefirst/index.js')).mobilefirst,
  flexdeploy: async () => (await import('./flexdeploy/index.js')).flexdeploy
}

const loaded = new Map<Platform, DriverDefinition>()

/** Loads the definitions of `platforms` (each once); `definitionOf` answers for them from then on. */
export async function loadDefinitions(platforms: Iterable<Platform> = PLATFORMS): Promise<void> {
  // One after another: they share modules, and jest's ESM loader fails on a module two imports link at once.
  for (const platform of new Set(platforms)) {
    if (!loaded.has(platform)) loaded.set(platform, await LOADERS[platform]())
  }
}

/** The loaded definition of `platform`; a platform not loaded first is a programming error. */
export function definitionOf(platform: Platform): DriverDefinition {
  const definition = loaded.get(platform)
  if (!definition)
    throw new Error(`the ${platform} driver was not loaded (await loadDefinitions before reading the plan)`)
  return definition
}
