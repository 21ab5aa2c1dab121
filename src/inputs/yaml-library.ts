/**
 * The yaml package, loaded only when a run needs it (issue 16): `parameters` and `config` are YAML, every
 * other input is not, and yaml is a large part of what a cold start would otherwise load. An entry point awaits
 * `loadYamlFor(read)` before reading the plan; the parsers in yaml.ts and config-file.ts stay synchronous.
 */
import type * as Yaml from 'yaml'

export type YamlLibrary = typeof Yaml

let library: YamlLibrary | undefined

/** The inputs written in YAML: with either given, the plan cannot be read without the yaml package. */
export const YAML_INPUTS = ['parameters', 'config'] as const

export async function loadYaml(): Promise<void> {
  library ??= await import('yaml')
}

/** Loads yaml when the inputs `read` returns give `parameters` or `config`; does nothing otherwise. */
export async function loadYamlFor(read: (name: string) => string | undefined): Promise<void> {
  if (YAML_INPUTS.some(name => (read(name) ?? '').trim() !== '')) await loadYaml()
}

export function yamlLibrary(): YamlLibrary {
  if (!library) throw new Error('the yaml package was not loaded (await loadYamlFor before reading the plan)')
  return library
}
