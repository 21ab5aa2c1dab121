import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs'
import path from 'node:path'
import type { InputProblem } from '../../inputs/problems.js'
import { depthBelowBase, globToRegExp, hasMagic, literalBase } from './glob.js'

/** One deployable file to upload. */
export interface Artifact {
  /** Absolute path on the runner. */
  path: string
  /** Path relative to the workspace, `/`-separated, as shown in logs. */
  relative: string
  /** File name sent in the multipart part. */
  name: string
  size: number
}

export interface ResolvedArtifacts {
  files: Artifact[]
  problems: InputProblem[]
}

/** Where `artifacts` are resolved: the runner's workspace, as the plan reads it. */
export function workspaceDirectory(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd()
}

function toPosix(text: string): string {
  return text.split(path.sep).join('/')
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

function realOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file)
  } catch {
    return undefined
  }
}

/** Files below `directory`, at most `depth` levels down; symbolic links to directories are not followed. */
function walk(workspace: string, directory: string, depth: number, found: string[]): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(directory, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name)
    if (entry.isDirectory()) {
      if (depth > 1 && !entry.name.startsWith('.')) walk(workspace, full, depth - 1, found)
    } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) {
      found.push(toPosix(path.relative(workspace, full)))
    }
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * Resolves `artifacts` (paths and globs relative to the workspace) to files. Every problem is reported at
 * once: a pattern that matches nothing, a directory, anything that resolves outside the workspace.
 */
export function resolveArtifacts(workspace: string, patterns: string[]): ResolvedArtifacts {
  const problems: InputProblem[] = []
  const files = new Map<string, Artifact>()
  const realWorkspace = realOrUndefined(workspace) ?? path.resolve(workspace)
  const problem = (value: string, text: string) => problems.push({ input: 'artifacts', value, problem: text })

  for (const raw of patterns) {
    const pattern = process.platform === 'win32' ? raw.replace(/\\/g, '/') : raw
    const absolute = path.resolve(workspace, pattern)
    if (!isInside(path.resolve(workspace), absolute)) {
      problem(raw, `is outside the workspace (${workspace}); artifacts must lie inside it`)
      continue
    }
    const relative = toPosix(path.relative(path.resolve(workspace), absolute))
    let candidates: string[]
    if (!hasMagic(relative)) {
      if (!statSync(absolute, { throwIfNoEntry: false })) {
        problem(raw, `matches no file in the workspace (${workspace})`)
        continue
      }
      if (statSync(absolute).isDirectory()) {
        problem(raw, `is a directory; name its files or use a glob such as ${relative}/*.adapter`)
        continue
      }
      candidates = [relative]
    } else {
      const base = literalBase(relative)
      const found: string[] = []
      walk(path.resolve(workspace), path.resolve(workspace, base), depthBelowBase(relative), found)
      const matcher = globToRegExp(relative)
      candidates = found.filter(file => matcher.test(file)).sort()
      if (candidates.length === 0) {
        problem(raw, `matches no file in the workspace (${workspace})`)
        continue
      }
    }
    for (const candidate of candidates) {
      const full = path.resolve(workspace, candidate)
      const real = realOrUndefined(full)
      if (!real || !isInside(realWorkspace, real)) {
        problem(
          raw,
          `${candidate} is a symbolic link that resolves outside the workspace; it is not uploaded`
        )
        continue
      }
      if (files.has(real)) continue
      files.set(real, {
        path: full,
        relative: candidate,
        name: path.basename(full),
        size: statSync(real).size
      })
    }
  }
  return { files: [...files.values()], problems }
}
