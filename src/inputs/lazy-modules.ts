/**
 * What reading the plan needs loaded first, and nothing more (issue 16): the yaml package when `parameters` or
 * `config` is given, and the definitions of the platforms the inputs name — the `platform` input's, or every
 * platform's with `config` (the file may name any), and with `config` the file's reader. getPlan stays
 * synchronous; an entry point awaits this first.
 */
import { loadDefinitions } from '../drivers/index.js'
import { loadConfigLibrary } from './config-library.js'
import { PLATFORMS, type Platform } from './schema.js'
import { loadYamlFor } from './yaml-library.js'

export type RawInput = (name: string) => string | undefined

/** The platforms whose definitions reading the plan may ask for; none for a platform the schema will refuse. */
export function platformsNamed(read: RawInput): Platform[] {
  if (namesConfig(read)) return [...PLATFORMS]
  const given = (read('platform') ?? '').trim().toLowerCase()
  return PLATFORMS.filter(platform => platform === given)
}

const namesConfig = (read: RawInput) => (read('config') ?? '').trim() !== ''

export async function loadForInputs(read: RawInput): Promise<void> {
  // In turn, not at once: jest's ESM loader fails on a module two imports link at the same time.
  await loadYamlFor(read)
  await loadDefinitions(platformsNamed(read))
  if (namesConfig(read)) await loadConfigLibrary()
}
