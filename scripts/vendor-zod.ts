/**
 * Writes vendor/zod-used/: the zod/mini functions this action calls, bundled and tree-shaken by esbuild
 * (`npx tsx scripts/vendor-zod.ts`; `npm run package` runs it first, and CI fails while the committed copy
 * differs from a fresh one).
 *
 * Why (issue 16): ncc runs webpack without `usedExports`, so it cannot tree-shake, and every start of the action
 * loaded all of zod/mini and zod/v4/core, 75 KB minified, for the 30 functions the schemas use. esbuild, already
 * the minifier of the chunks, shakes zod down to those functions: about 35 KB. zod keeps its shared state on
 * globalThis (its registry and config), so this copy and the zod package the tests and scripts load work as
 * one. A function not in NAMES does not type-check (the .d.ts lists these names alone): add it here and run
 * this script.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { build } from 'esbuild'

export const NAMES = [
  'NEVER',
  'array',
  'boolean',
  'catchall',
  'config',
  'describe',
  'enum',
  'extend',
  'int',
  'looseObject',
  'minLength',
  'nonnegative',
  'null',
  'nullable',
  'nullish',
  'number',
  'object',
  'optional',
  'partial',
  'pipe',
  'positive',
  'record',
  'refine',
  'regex',
  'strictObject',
  'string',
  'transform',
  'trim',
  'union',
  'unknown'
] as const

const root = path.resolve(import.meta.dirname, '..')
const target = path.join(root, 'vendor/zod-used')
const zodPackage = JSON.parse(await readFile(path.join(root, 'node_modules/zod/package.json'), 'utf8')) as {
  version: string
  license: string
}
const entry = [
  `export { ${NAMES.join(', ')} } from 'zod/mini'`,
  "export { default as en } from 'zod/v4/locales/en.js'",
  ''
].join('\n')
const header = `// zod ${zodPackage.version} (MIT, LICENSE beside this file): the functions scripts/vendor-zod.ts names, bundled by esbuild. Generated; do not edit.`

const result = await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'zod-used.js' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  write: false,
  legalComments: 'inline',
  banner: { js: header },
  preserveSymlinks: true,
  logLevel: 'warning'
})
await mkdir(target, { recursive: true })
await writeFile(path.join(target, 'index.js'), result.outputFiles[0]?.text ?? '')
await writeFile(
  path.join(target, 'index.d.ts'),
  [
    header.replace('bundled by esbuild', 'typed as zod/mini types them'),
    `export { ${NAMES.join(', ')} } from 'zod/mini'`,
    "export { default as en } from 'zod/v4/locales/en.js'",
    ''
  ].join('\n')
)
await writeFile(
  path.join(target, 'package.json'),
  `${JSON.stringify(
    {
      name: 'zod-used',
      version: zodPackage.version,
      description: 'The zod/mini functions this action calls, tree-shaken from zod (scripts/vendor-zod.ts)',
      private: true,
      type: 'module',
      main: 'index.js',
      license: zodPackage.license
    },
    null,
    2
  )}\n`
)
await writeFile(
  path.join(target, 'LICENSE'),
  await readFile(path.join(root, 'node_modules/zod/LICENSE'), 'utf8')
)
console.log(
  `wrote ${path.relative(process.cwd(), target)}/ (zod ${zodPackage.version}, ${NAMES.length} functions)`
)
