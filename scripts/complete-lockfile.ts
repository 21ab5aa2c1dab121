/**
 * `npx tsx scripts/complete-lockfile.ts`: run after changing dependencies.
 *
 * The registry our machines reach serves only Linux builds of platform-specific packages, so npm cannot
 * record the other platforms' optional bindings of unrs-resolver (jest 30's resolver), and `npm ci` then
 * refuses the lock file as out of sync. This adds each missing binding as an optional entry with its
 * os/cpu/libc: npm skips it where it does not fit, and a macOS or Windows machine fetches its own.
 */
import { readFileSync, writeFileSync } from 'node:fs'

interface LockEntry {
  version: string
  optionalDependencies?: Record<string, string>
  [key: string]: unknown
}

const file = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> }
let added = 0
for (const [parentKey, parent] of Object.entries(lock.packages)) {
  if (!parentKey.endsWith('node_modules/unrs-resolver')) continue
  for (const name of Object.keys(parent.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    if (lock.packages[key]) continue
    const [os = '', cpu = '', abi = ''] = (name.split('resolver-binding-')[1] ?? '').split('-')
    lock.packages[key] = {
      version: parent.version,
      cpu: [cpu],
      dev: true,
      ...(os === 'linux' ? { libc: [abi.startsWith('musl') ? 'musl' : 'glibc'] } : {}),
      license: 'MIT',
      optional: true,
      os: [os]
    }
    added++
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
)
writeFileSync(file, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`)
console.log(`added ${added} optional platform bindings to package-lock.json`)
