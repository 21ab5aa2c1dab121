import { describe, expect, it, jest } from '@jest/globals'
import * as Yaml from 'yaml'
import type * as YamlLibraryModule from '../../src/inputs/yaml-library.js'

type Library = typeof YamlLibraryModule

/**
 * A module instance of its own, with nothing loaded yet: the test setup loads yaml for every other test file
 * (__tests__/setup-lazy-modules.ts), as an entry point would.
 */
async function fresh(): Promise<Library> {
  jest.resetModules()
  return import('../../src/inputs/yaml-library.js')
}

const NOT_LOADED = 'the yaml package was not loaded (await loadYamlFor before reading the plan)'

describe('yaml-library', () => {
  it('names the inputs written in YAML', async () => {
    const { YAML_INPUTS } = await fresh()
    expect(YAML_INPUTS).toEqual(['parameters', 'config'])
  })

  it('refuses to hand out the library before it is loaded, saying what to do', async () => {
    const { yamlLibrary } = await fresh()
    expect(() => yamlLibrary()).toThrow(new Error(NOT_LOADED))
  })

  it('loads the yaml package on loadYaml', async () => {
    const { loadYaml, yamlLibrary } = await fresh()
    await loadYaml()
    const library = yamlLibrary()
    expect(library.parse('a: [1, 2]')).toEqual({ a: [1, 2] })
    expect(Object.keys(library).sort()).toEqual(Object.keys(Yaml).sort())
    await loadYaml()
    expect(yamlLibrary()).toBe(library)
  })

  it.each([
    ['parameters', 'rollback: x'],
    ['config', 'deployments.yml'],
    ['config', ' deploy.yml ']
  ])('loads it when %s is given (%p)', async (input, value) => {
    const { loadYamlFor, yamlLibrary } = await fresh()
    const asked: string[] = []
    await loadYamlFor(name => {
      asked.push(name)
      return name === input ? value : undefined
    })
    expect(yamlLibrary().parse('a: 1')).toEqual({ a: 1 })
    expect(asked).toEqual(input === 'parameters' ? ['parameters'] : ['parameters', 'config'])
  })

  it('does not load it when neither parameters nor config is given, or both are blank', async () => {
    for (const read of [
      () => undefined,
      () => '',
      () => ' \n\t',
      (name: string) => (name === 'platform' ? 'epmware' : undefined)
    ]) {
      const { loadYamlFor, yamlLibrary } = await fresh()
      const asked: string[] = []
      await loadYamlFor(name => {
        asked.push(name)
        return read(name)
      })
      expect(asked).toEqual(['parameters', 'config'])
      expect(() => yamlLibrary()).toThrow(new Error(NOT_LOADED))
    }
  })
})
