import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The committed bundle, as the runner runs it; ACTION_BUNDLE points elsewhere (a private build) when set. */
const ACTION =
  process.env.ACTION_BUNDLE ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js')

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
  /** Every file the action wrote under RUNNER_TEMP, with its text. */
  tempFiles: Record<string, string>
  elapsedMs: number
}

export interface RunOptions {
  env?: Record<string, string>
  /** Send this signal once stdout matches `when` (the runner cancelling the workflow run). */
  interrupt?: { signal: NodeJS.Signals; when: RegExp }
  /** Kill the process if it has not ended by then: a hang fails the test instead of the suite. */
  killAfterMs?: number
  /** Sees stdout as it arrives (the demo shows the log live). */
  onStdout?: (text: string) => void
  /** Sees the child's pid once started (the bench samples its memory). */
  onSpawn?: (pid: number) => void
}

/** Parses the runner's GITHUB_OUTPUT file: `name<<delimiter\nvalue\ndelimiter` records. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '')
    if (!match) continue
    const [, name, delimiter] = match as unknown as [string, string, string]
    const value: string[] = []
    while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

/**
 * Runs the bundled action the way the Actions runner does: inputs as INPUT_<NAME> variables (upper case,
 * hyphens kept), outputs and summary through the files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 */
export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
  const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'ed-e2e-'))
  const outputFile = path.join(runnerTemp, 'github_output')
  const summaryFile = path.join(runnerTemp, 'step_summary')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('INPUT_') && !key.startsWith('GITHUB_')) env[key] = value
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  Object.assign(env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: runnerTemp,
    ...options.env
  })
  const started = Date.now()
  const child = spawn(process.execPath, [ACTION], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let interrupted = false
  if (child.pid !== undefined) options.onSpawn?.(child.pid)
  child.stdout.on('data', chunk => {
    stdout += String(chunk)
    options.onStdout?.(String(chunk))
    if (options.interrupt && !interrupted && options.interrupt.when.test(stdout)) {
      interrupted = true
      child.kill(options.interrupt.signal)
    }
  })
  child.stderr.on('data', chunk => (stderr += String(chunk)))
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 25_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  )
  clearTimeout(killer)
  const elapsedMs = Date.now() - started
  const tempFiles: Record<string, string> = {}
  for (const entry of await readdir(runnerTemp, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name)
      tempFiles[path.relative(runnerTemp, file)] = await readFile(file, 'utf8')
    }
  }
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8'),
    runnerTemp,
    tempFiles,
    elapsedMs
  }
}

/**
 * Everything a step wrote where a person or a later step could read it — stdout (the runner's
 * `::add-mask::` commands aside), stderr, outputs, summary and every file under RUNNER_TEMP — for secret audits.
 */
export function everythingWritten(run: ActionRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return [stdout, run.stderr, JSON.stringify(run.outputs), run.summary, ...Object.values(run.tempFiles)].join(
    '\n'
  )
}
