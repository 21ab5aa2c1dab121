/**
 * The JSON Schema editors read (config.schema.json), from the config file's zod schema; draft-07 is what YAML
 * language servers know best. Build time only: the action never generates it, so zod's JSON Schema code stays
 * out of the bundle (it comes from the zod package, which shares its registry of descriptions with
 * vendor/zod-used through globalThis).
 */
import { toJSONSchema } from 'zod/mini'
import { ConfigFileSchema } from '../src/inputs/config-schema.js'

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...toJSONSchema(ConfigFileSchema, { target: 'draft-7', io: 'input' }),
    title: 'Enterprise Deploy config file'
  }
}
