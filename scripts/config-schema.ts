/**
 * Writes config.schema.json, the JSON Schema of the config file, from its zod schema
 * (`npx tsx scripts/config-schema.ts`). A unit test fails while the committed file differs.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { configJsonSchema } from './config-json-schema.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const file = path.join(root, 'config.schema.json')
const options = (await prettier.resolveConfig(file)) ?? {}
const text = await prettier.format(JSON.stringify(configJsonSchema()), { ...options, parser: 'json' })
await writeFile(file, text)
console.log(`wrote ${path.relative(process.cwd(), file)}`)
