import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { configJsonSchema, ConfigFileSchema } from '../../src/inputs/config-schema.js'

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
