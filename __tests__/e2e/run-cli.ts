import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseOutputFile } from './run-action.js'

/** The command line's bundle (npm run package builds it beside dist/); CLI_BUNDLE points elsewhere when set. */
export const CLI =
  process.env.CLI_BUNDLE ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist-cli/index.js')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The directory it ran in (its cwd, workspace and RUNNER_TEMP). */
  dir: string
  /** Every file it wrote under `dir`, with its text. */
  files: Record<string, string>
  /** With `github: true`: the outputs it wrote to GITHUB_OUTPUT, and its summary. */
  githubOutputs: Record<string, string>
  githubSummary: string
}

export interface CliOptions {
  /** Variables besides a clean environment (no GITHUB_*, INPUT_* or ENTERPRISE_DEPLOY_* of the test's own). */
  env?: Record<string, string>
  /** Run as a `run:` step of GitHub Actions: GITHUB_ACTIONS=true, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
  github?: boolean
  /** Send this signal once stderr (stdout in GitHub mode) matches `when`. */
  interrupt?: { signal: NodeJS.Signals; when: RegExp }
  /** Files to create in the directory first, relative to it. */
  files?: Record<string, string>
  /** Run in this directory instead of a fresh one. */
  dir?: string
  killAfterMs?: number
}

/** The test's environment without what a CI of its own (GitHub Actions, a runner) or a user would add. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    const theirs = /^(GITHUB_|INPUT_|ENTERPRISE_DEPLOY_|RUNNER_)/.test(key) || key === 'CI'
    if (value !== undefined && !theirs) env[key] = value
  }
  return env
}

/** Runs `enterprise-deploy <args>` as a CI would: a child process, in a fresh directory of its own. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'ed-cli-')))
  for (const [name, text] of Object.entries(options.files ?? {})) await writeFile(path.join(dir, name), text)
  const env = cleanEnv()
  env.RUNNER_TEMP = dir
  const githubOutput = path.join(dir, 'github_output')
  const githubSummary = path.join(dir, 'step_summary')
  if (options.github) {
    await writeFile(githubOutput, '')
    await writeFile(githubSummary, '')
    Object.assign(env, {
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: githubOutput,
      GITHUB_STEP_SUMMARY: githubSummary,
      GITHUB_WORKSPACE: dir
    })
  }
  Object.assign(env, options.env)
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let interrupted = false
  const watch = () => {
    const log = options.github ? stdout : stderr
    if (options.interrupt && !interrupted && options.interrupt.when.test(log)) {
      interrupted = true
      child.kill(options.interrupt.signal)
    }
  }
  child.stdout.on('data', chunk => {
    stdout += String(chunk)
    watch()
  })
  child.stderr.on('data', chunk => {
    stderr += String(chunk)
    watch()
  })
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 25_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  )
  clearTimeout(killer)
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name)
      files[path.relative(dir, file)] = await readFile(file, 'utf8')
    }
  }
  return {
    code,
    signal,
    stdout,
    stderr,
    dir,
    files,
    githubOutputs: options.github ? parseOutputFile(files.github_output ?? '') : {},
    githubSummary: options.github ? (files.step_summary ?? '') : ''
  }
}

/**
 * The lines a runner would take for a workflow command, read as the runner reads stdout: split on \n and
 * \r, a `::` command after leading white space is trimmed, a legacy `##[` command anywhere in a line.
 */
export function workflowCommandLines(text: string): string[] {
  return text.split(/\r|\n/).filter(line => line.trimStart().startsWith('::') || line.includes('##['))
}
