import { describe, expect, it, jest } from '@jest/globals'
import type * as ConfigLibraryModule from '../../src/inputs/config-library.js'
import type * as DriversModule from '../../src/drivers/index.js'
import type * as LazyModule from '../../src/inputs/lazy-modules.js'
import { PLATFORMS } from '../../src/inputs/schema.js'
import { addIssue } from '../../src/inputs/issue.js'
import * as z from '../../src/zod.js'

/**
 * Issue 16: what reading the plan loads first. The test setup loads everything for the other test files
 * (__tests__/setup-lazy-modules.ts), as an entry point would; these tests take module instances of their own,
 * with nothing loaded yet.
 */
async function fresh(): Promise<{
  lazy: typeof LazyModule
  drivers: typeof DriversModule
  config: typeof ConfigLibraryModule
}> {
  jest.resetModules()
  const lazy = await import('../../src/inputs/lazy-modules.js')
  const drivers = await import('../../src/drivers/index.js')
  const config = await import('../../src/inputs/config-library.js')
  return { lazy, drivers, config }
}

const inputs =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name]

describe('platformsNamed', () => {
  it('is the platform input’s, trimmed and in any case', async () => {
    const { lazy } = await fresh()
    expect(lazy.platformsNamed(inputs({ platform: '  Mule-MMC ' }))).toEqual(['mule-mmc'])
  })

  it('is every platform with config (the file may name any), whatever platform says', async () => {
    const { lazy } = await fresh()
    expect(lazy.platformsNamed(inputs({ config: 'deploy.yml', platform: 'epmware' }))).toEqual([...PLATFORMS])
  })

  it('is none for a platform the schema will refuse, or none given, or a blank config', async () => {
    const { lazy } = await fresh()
    expect(lazy.platformsNamed(inputs({ platform: 'jenkins' }))).toEqual([])
    expect(lazy.platformsNamed(inputs({}))).toEqual([])
    expect(lazy.platformsNamed(inputs({ config: '   ' }))).toEqual([])
  })
})

describe('loadForInputs', () => {
  it('loads the named platform’s definition only, and not the config modules', async () => {
    const { lazy, drivers, config } = await fresh()
    expect(() => drivers.definitionOf('epmware')).toThrow(
      new Error('the epmware driver was not loaded (await loadDefinitions before reading the plan)')
    )
    await lazy.loadForInputs(inputs({ platform: 'epmware' }))
    expect(drivers.definitionOf('epmware').platform).toBe('epmware')
    expect(() => drivers.definitionOf('flexdeploy')).toThrow(/the flexdeploy driver was not loaded/)
    expect(() => config.configLibrary()).toThrow(
      new Error('the config file modules were not loaded (await loadForInputs before reading the plan)')
    )
  })

  it('with config, loads every definition and the config file’s reader and planner', async () => {
    const { lazy, drivers, config } = await fresh()
    await lazy.loadForInputs(inputs({ config: 'deploy.yml' }))
    for (const platform of PLATFORMS) expect(drivers.definitionOf(platform).platform).toBe(platform)
    const library = config.configLibrary()
    expect(typeof library.readConfigFile).toBe('function')
    expect(typeof library.configDeployments).toBe('function')
    // Loading again changes nothing.
    await config.loadConfigLibrary()
    expect(config.configLibrary()).toBe(library)
  })
})

describe('addIssue', () => {
  it('records a custom problem with the value it is about, as classic zod’s ctx.addIssue did', () => {
    const schema = z.pipe(
      z.string(),
      z.transform((text, payload) => {
        addIssue(payload, `'${text}' is not allowed`)
        return z.NEVER
      })
    )
    const parsed = schema.safeParse('nope', { reportInput: true })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues).toEqual([
      { code: 'custom', message: "'nope' is not allowed", input: 'nope', path: [] }
    ])
  })
})
