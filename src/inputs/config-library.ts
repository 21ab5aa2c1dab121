/**
 * The config file's reader and planner, loaded only when the `config` input is given (issue 16): their schemas
 * and the file's checks are a cost a single deployment's cold start does not pay. An entry point awaits
 * `loadForInputs` (lazy-modules.ts), which loads them, before reading the plan; getPlan stays synchronous.
 */
import type { readConfigFile } from './config-file.js'
import type { configDeployments } from './config-plan.js'

export interface ConfigLibrary {
  readConfigFile: typeof readConfigFile
  configDeployments: typeof configDeployments
}

let library: ConfigLibrary | undefined

export async function loadConfigLibrary(): Promise<void> {
  if (library) return
  const file = await import('./config-file.js')
  const plan = await import('./config-plan.js')
  library = { readConfigFile: file.readConfigFile, configDeployments: plan.configDeployments }
}

export function configLibrary(): ConfigLibrary {
  if (!library)
    throw new Error('the config file modules were not loaded (await loadForInputs before reading the plan)')
  return library
}
