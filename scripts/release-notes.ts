/**
 * `npx tsx scripts/release-notes.ts [version]`: checks what a release needs and prints its notes. The version
 * (default: package.json's) must be X.Y.Z, package.json must say it, and CHANGELOG.md must have a
 * `## [X.Y.Z] - YYYY-MM-DD` section, whose text is printed (the release workflow publishes it). Exit 1 with
 * the reason otherwise.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export interface ReleaseCheck {
  version: string
  notes?: string
  problems: string[]
}

/** The notes of `version` from a Keep a Changelog text, and every reason it cannot be released. */
export function releaseCheck(
  changelog: string,
  packageVersion: string,
  version = packageVersion
): ReleaseCheck {
  const problems: string[] = []
  if (!/^\d+\.\d+\.\d+$/.test(version)) problems.push(`version '${version}' is not X.Y.Z`)
  if (version !== packageVersion)
    problems.push(`package.json says version ${packageVersion}, not ${version}: set it before releasing`)
  const lines = changelog.split('\n')
  const start = lines.findIndex(line => line.startsWith(`## [${version}]`))
  if (start < 0) {
    problems.push(
      `CHANGELOG.md has no '## [${version}] - YYYY-MM-DD' section: move the Unreleased entries there`
    )
    return { version, problems }
  }
  if (!/^## \[[^\]]+\] - \d{4}-\d{2}-\d{2}$/.test(lines[start] ?? ''))
    problems.push(`CHANGELOG.md: '${lines[start]}' should read '## [${version}] - YYYY-MM-DD'`)
  const end = lines.findIndex(
    (line, index) => index > start && (line.startsWith('## ') || /^\[[^\]]+\]: /.test(line))
  )
  const notes = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
  if (!notes) problems.push(`CHANGELOG.md: the section of ${version} is empty`)
  return { version, notes, problems }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../', import.meta.url)
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }
  const check = releaseCheck(
    readFileSync(new URL('CHANGELOG.md', root), 'utf8'),
    pkg.version,
    process.argv[2]
  )
  if (check.problems.length) {
    for (const problem of check.problems) console.error(problem)
    process.exit(1)
  }
  process.stdout.write(`${check.notes}\n`)
}
