/**
 * `npx tsx scripts/mutation-targets.ts [--gated] [report]`: fails when a mutated file scores under its target.
 * `npx tsx scripts/mutation-targets.ts --list`: the gated files, comma-separated, for `npm run mutation -- --mutate`.
 *
 * Reads Stryker's JSON report (reports/mutation/mutation.json, written by `npm run mutation`) and computes
 * each file's mutation score the way Stryker does: killed + timed out over killed + timed out + survived +
 * no coverage (compile and runtime errors and ignored mutants do not count). Targets (issue 19): 90 % for
 * http/retry.ts, http/redirect.ts and secrets.ts, 85 % for every other file. Every file in the report is
 * checked, so a run with `--mutate <file>` is checked for that file alone; with `--gated` (CI), a gated file
 * missing from the report fails too, so no gated file drops out of the check unnoticed.
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

interface Report {
  files: Record<string, { mutants: { status: string }[] }>
}

export const STRICT_TARGET = 90
export const TARGET = 85
const STRICT_FILES = new Set([
  'src/http/retry.ts',
  'src/http/redirect.ts',
  'src/secrets.ts',
  'src/secrets/form-set.ts'
])

/**
 * The files measured at or over their target (docs/mutation.md has the scores): CI mutates these and fails
 * when one falls under its target. A file joins the list once its tests bring it to the target.
 */
export const GATED_FILES = [
  'src/http/retry.ts',
  'src/http/redirect.ts',
  'src/http/decode.ts',
  'src/http/body.ts',
  'src/http/client.ts',
  'src/engine/batch.ts',
  'src/engine/cancel.ts',
  'src/engine/wind-down.ts',
  'src/engine/result.ts',
  'src/engine/auth.ts',
  'src/engine/dry-run.ts',
  'src/engine/clock.ts',
  'src/engine/execute.ts',
  'src/engine/poll.ts',
  'src/engine/interval.ts',
  'src/engine/schedule.ts',
  'src/http/path.ts',
  'src/http/proxy.ts',
  'src/http/send.ts',
  'src/secrets.ts',
  'src/secrets/form-set.ts',
  'src/secrets/encodings.ts',
  'src/inputs/duration.ts',
  'src/inputs/graph.ts',
  'src/inputs/yaml.ts',
  'src/secrets/fields.ts',
  'src/inputs/lazy-modules.ts',
  'src/inputs/config-library.ts',
  'src/inputs/issue.ts',
  'src/inputs/small-file.ts',
  'src/inputs/shown-value.ts',
  'src/inputs/problems.ts',
  'src/inputs/env-references.ts',
  'src/inputs/certificate.ts',
  'src/inputs/yaml-library.ts',
  'src/inputs/fields.ts',
  'src/inputs/task-ids.ts',
  'src/inputs/parameters.ts',
  'src/inputs/config-schema.ts',
  'src/inputs/schema.ts',
  'src/inputs/deployment.ts',
  'src/inputs/config-file.ts',
  'src/inputs/config-plan.ts',
  'src/inputs/plan.ts'
] as const

export function targetFor(file: string): number {
  return STRICT_FILES.has(file.replaceAll('\\', '/')) ? STRICT_TARGET : TARGET
}

export function fileScore(mutants: { status: string }[]): number | undefined {
  const count = (...statuses: string[]) => mutants.filter(m => statuses.includes(m.status)).length
  const detected = count('Killed', 'Timeout')
  const valid = detected + count('Survived', 'NoCoverage')
  return valid === 0 ? undefined : (100 * detected) / valid
}

/** One line per file, and the number of files under their target (or, gated, missing from the report). */
export function checkReport(report: Report, gated: boolean): { lines: string[]; failed: number } {
  const lines: string[] = []
  let failed = 0
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const score = fileScore(mutants)
    if (score === undefined) continue
    const target = targetFor(file)
    const ok = score >= target
    if (!ok) failed++
    lines.push(`${ok ? 'ok  ' : 'FAIL'} ${score.toFixed(1).padStart(5)} % (target ${target} %)  ${file}`)
  }
  if (gated) {
    for (const file of GATED_FILES) {
      if (fileScore(report.files[file]?.mutants ?? []) !== undefined) continue
      failed++
      lines.push(`FAIL   not in the report (a gated file must be mutated)  ${file}`)
    }
  }
  return { lines, failed }
}

function main(args: string[]): number {
  if (args.includes('--list')) {
    console.log(GATED_FILES.join(','))
    return 0
  }
  const path = args.find(arg => !arg.startsWith('--')) ?? 'reports/mutation/mutation.json'
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report
  const { lines, failed } = checkReport(report, args.includes('--gated'))
  for (const line of lines) console.log(line)
  if (failed === 0) return 0
  console.log(`${failed} file(s) under their mutation-score target`)
  return 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exit(main(process.argv.slice(2)))
