/**
 * `npx tsx scripts/mutation-targets.ts [report]`: fails when a mutated file scores under its target.
 *
 * Reads Stryker's JSON report (reports/mutation/mutation.json, written by `npm run mutation`) and computes
 * each file's mutation score the way Stryker does: killed + timed out over killed + timed out + survived +
 * no coverage (compile and runtime errors and ignored mutants do not count). Targets (issue 19): 90 % for
 * http/retry.ts, http/redirect.ts and secrets.ts, 85 % for every other file. Only files in the report are
 * checked, so a run with `--mutate <file>` is checked for that file alone.
 */
import { readFileSync } from 'node:fs'

interface Report {
  files: Record<string, { mutants: { status: string }[] }>
}

export const STRICT_TARGET = 90
export const TARGET = 85
const STRICT_FILES = new Set(['src/http/retry.ts', 'src/http/redirect.ts', 'src/secrets.ts'])

export function targetFor(file: string): number {
  return STRICT_FILES.has(file.replaceAll('\\', '/')) ? STRICT_TARGET : TARGET
}

export function fileScore(mutants: { status: string }[]): number | undefined {
  const count = (...statuses: string[]) => mutants.filter(m => statuses.includes(m.status)).length
  const detected = count('Killed', 'Timeout')
  const valid = detected + count('Survived', 'NoCoverage')
  return valid === 0 ? undefined : (100 * detected) / valid
}

const path = process.argv[2] ?? 'reports/mutation/mutation.json'
const report = JSON.parse(readFileSync(path, 'utf8')) as Report
let failed = 0
for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
  const score = fileScore(mutants)
  if (score === undefined) continue
  const target = targetFor(file)
  const ok = score >= target
  if (!ok) failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${score.toFixed(1).padStart(5)} % (target ${target} %)  ${file}`)
}
if (failed > 0) {
  console.log(`${failed} file(s) under their mutation-score target`)
  process.exit(1)
}
