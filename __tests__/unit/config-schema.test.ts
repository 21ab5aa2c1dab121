import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { configJsonSchema } from '../../scripts/config-json-schema.js'
import { ConfigFileSchema } from '../../src/inputs/config-schema.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

describe('config.schema.json', () => {
  it('is what the zod schema generates (run npx tsx scripts/config-schema.ts after changing it)', () => {
    const committed: unknown = JSON.parse(readFileSync(path.join(root, 'config.schema.json'), 'utf8'))
    expect(committed).toEqual(configJsonSchema())
  })

  it('describes credentials as ${{ env.NAME }} and every platform', () => {
    const schema = configJsonSchema() as { definitions?: unknown; properties: Record<string, unknown> }
    const text = JSON.stringify(schema)
    expect(text).toContain('"enum":["epmware","mule-mmc","bmc-rpm","mobilefirst","flexdeploy"]')
    expect(text).toContain('env\\\\.')
    expect(ConfigFileSchema.safeParse({ deployments: [{ name: 'a', token: '${{ env.T }}' }] }).success).toBe(
      true
    )
  })
})

/** The messages zod gives for a config file, each with its path. */
function issuesOf(value: unknown): [string, string][] {
  const result = ConfigFileSchema.safeParse(value)
  return result.success ? [] : result.error.issues.map(issue => [issue.path.join('.'), issue.message])
}

const entry = { name: 'a' }

describe('the config file schema’s messages', () => {
  it('says what each kind of field takes', () => {
    expect(
      issuesOf({
        deployments: [
          { name: 'a', timeout: true, wait: 'yes', token: 42, platform: 'jenkins', environments: 'prod' }
        ]
      })
    ).toEqual([
      ['deployments.0.platform', 'use one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy'],
      ['deployments.0.timeout', 'use a duration such as 90s, 30m, 2h, 1h30m, or a number of minutes'],
      ['deployments.0.wait', 'use true or false'],
      ['deployments.0.token', 'use ${{ env.NAME }}'],
      [
        'deployments.0.environments',
        'use a list of environment names, or a mapping of environment name to overrides'
      ]
    ])
  })

  it('asks for a name and names what a name may hold', () => {
    expect(issuesOf({ deployments: [{}] })).toEqual([
      ['deployments.0.name', 'is required: a unique name, used by needs and in the results']
    ])
    expect(issuesOf({ deployments: [{ name: '-a' }, { name: 'a b' }] })).toEqual([
      ['deployments.0.name', 'use letters, digits, _, . and - (starting with a letter, digit or _)'],
      ['deployments.1.name', 'use letters, digits, _, . and - (starting with a letter, digit or _)']
    ])
    expect(issuesOf({ deployments: [{ name: '_a.b-9' }, { name: '9' }] })).toEqual([])
  })

  it('asks for at least one deployment', () => {
    expect(issuesOf({})).toEqual([['deployments', 'is required: a list of deployments']])
    expect(issuesOf({ deployments: [] })).toEqual([['deployments', 'needs at least one deployment']])
    expect(issuesOf({ deployments: [entry] })).toEqual([])
  })

  it('takes a credential only as one whole ${{ env.NAME }}', () => {
    const never = [
      'deployments.0.password',
      'credentials are never written in the file: use ${{ env.NAME }} and set NAME in the step’s env (e.g. from a secret)'
    ]
    for (const password of [' ${{ env.P }} ', '${{env.P_2}}', '${{   env._x   }}'])
      expect(issuesOf({ deployments: [{ ...entry, password }] })).toEqual([])
    for (const password of [
      'x${{ env.P }}',
      '${{ env.P }}x',
      '${{ env.P }}${{ env.Q }}',
      '${{ env.9P }}',
      'hunter2'
    ])
      expect(issuesOf({ deployments: [{ ...entry, password }] })).toEqual([never])
  })
})
