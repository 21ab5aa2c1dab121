import path from 'node:path'
import type { FinalStatus } from '../drivers/driver.js'
import { PLATFORM_TITLES } from '../drivers/titles.js'
import { flatten, overallStatus, type DeploymentResult } from '../engine/result.js'
import { formatDuration } from '../text/duration.js'
import { singleLine } from '../text/untrusted.js'
import { code, escapeBlock, escapeInline, link } from './markdown.js'

export { escapeBlock } from './markdown.js'

/** GitHub rejects a step summary over 1 MiB; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 1000 * 1024

/** The most error lines a reason quotes from its log tail. */
export const ERROR_LINES_PER_REASON = 3

const EMOJI: Record<FinalStatus, string> = {
  succeeded: '✅',
  failed: '❌',
  'timed-out': '⏱️',
  canceled: '🛑',
  skipped: '⏭️',
  started: '🚀'
}

const SAID: Record<FinalStatus, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'timed-out': 'timed out',
  canceled: 'canceled',
  skipped: 'skipped',
  started: 'started'
}

/** Outcomes that fail the step, said first. */
const FAILING: ReadonlySet<FinalStatus> = new Set(['failed', 'timed-out', 'canceled'])
/** The order statuses are counted and rows are listed in: what needs a look first. */
const ORDER: FinalStatus[] = ['failed', 'timed-out', 'canceled', 'skipped', 'started', 'succeeded']

/** Links the summary offers beside the outcome: the workflow run and the commit it deployed. */
export interface RunLinks {
  runUrl?: string
  commitUrl?: string
  /** The commit's sha, shown short. */
  sha?: string
}

export interface SummaryContext {
  environment?: string
  links?: RunLinks
}

/** The workflow run and commit pages, from the runner's GITHUB_* variables; none when they are not set. */
export function runLinks(env: NodeJS.ProcessEnv): RunLinks {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const repository = env.GITHUB_REPOSITORY
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return {}
  const base = `${server}/${repository}`
  const runId = env.GITHUB_RUN_ID && /^\d+$/.test(env.GITHUB_RUN_ID) ? env.GITHUB_RUN_ID : undefined
  const sha = env.GITHUB_SHA && /^[0-9a-f]{7,64}$/i.test(env.GITHUB_SHA) ? env.GITHUB_SHA : undefined
  return {
    runUrl: runId ? `${base}/actions/runs/${runId}` : undefined,
    commitUrl: sha ? `${base}/commit/${sha}` : undefined,
    sha
  }
}

const ERROR_WORDS =
  /\b(errors?|fail(s|ed|ure|ing)?|fatal|exception|timed?[ -]?out|refused|denied|unreachable|not reachable|cannot|could not|unable|abort(ed)?|rejected|invalid|severe)\b|\bE\d{3,}\b/i

/** The lines of a log tail that look like errors, the last few (nearest the end, where it broke). */
export function errorLines(tail: string[], message = ''): string[] {
  const said = message.trim()
  return tail.filter(line => ERROR_WORDS.test(line) && line.trim() !== said).slice(-ERROR_LINES_PER_REASON)
}

function titleOf(result: DeploymentResult): string {
  return PLATFORM_TITLES[result.platform]
}

const isDryRun = (result: DeploymentResult) => result.checks !== undefined

function statusText(result: DeploymentResult): string {
  if (isDryRun(result))
    return result.status === 'succeeded'
      ? '✅ checks passed'
      : `❌ ${failedChecks(result).length ? 'a check failed' : SAID[result.status]}`
  return `${EMOJI[result.status]} ${SAID[result.status]}`
}

function progressOf(result: DeploymentResult): string {
  const label = result.remoteLabel ?? result.remoteCode
  const remoteCode =
    result.remoteCode && result.remoteLabel && result.remoteCode !== result.remoteLabel
      ? ` (${result.remoteCode})`
      : ''
  const percent = result.percent !== undefined ? `${result.percent}%` : ''
  return [percent, label ? `${label}${remoteCode}` : ''].filter(Boolean).join(' ')
}

function failedChecks(result: DeploymentResult) {
  return (result.checks ?? []).filter(check => !check.ok)
}

/** One row: deployment, platform · target, status, duration, task, link — six columns at most. */
function tableRow(result: DeploymentResult): string {
  const target = singleLine(result.target ?? '')
  const where = `${titleOf(result)}${target ? ` · ${target}` : ''} (${result.operation})`
  const progress = progressOf(result)
  const cells = [
    `**${escapeInline(singleLine(result.name))}**`,
    escapeInline(where),
    `${statusText(result)}${progress && !isDryRun(result) ? `<br><sub>${escapeInline(progress)}</sub>` : ''}`,
    formatDuration(result.durationSeconds * 1000),
    result.taskId ? code(result.taskId) : '—',
    result.url ? link(result.url, `open in ${escapeInline(titleOf(result))}`) : '—'
  ]
  return `| ${cells.join(' | ')} |`
}

/** Rows that need a look first: failures, then timeouts, cancellations, skips, then the rest; stable within. */
function byUrgency(results: DeploymentResult[]): DeploymentResult[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => ORDER.indexOf(a.result.status) - ORDER.indexOf(b.result.status) || a.index - b.index)
    .map(({ result }) => result)
}

/** One list item per deployment that did not succeed: why, in one line, and the log lines that say it. */
function reasonItem(result: DeploymentResult): string {
  const name = `**${escapeInline(singleLine(result.name))}**`
  const failed = failedChecks(result)
  const why = isDryRun(result)
    ? failed.map(check => `${check.check} ✗ ${check.detail}`).join('; ') || result.message
    : result.message
  const hint = result.hint ? ` — _Hint:_ ${escapeInline(singleLine(result.hint))}` : ''
  const verb = isDryRun(result) && failed.length ? 'failed its checks' : SAID[result.status]
  const quoted = errorLines(result.logTail, result.message).map(line => `  - log: ${code(line)}`)
  return [
    `- ${EMOJI[result.status]} ${name} ${verb}: ${escapeInline(singleLine(why))}${hint}`,
    ...quoted
  ].join('\n')
}

/** The heading: the outcome in numbers, for one deployment or many, said to be a dry run when it is one. */
function heading(results: DeploymentResult[], all: DeploymentResult[], context: SummaryContext): string {
  const overall = overallStatus(all)
  const where = context.environment ? ` · ${escapeInline(singleLine(context.environment))}` : ''
  const main = results[0]
  if (all.length > 0 && all.every(isDryRun)) {
    const bad = all.filter(result => result.status !== 'succeeded').length
    const checked =
      results.length === 1 && main
        ? `${escapeInline(describe(main))} ${bad ? 'failed its checks' : 'checked'}`
        : bad
          ? `${bad} of ${all.length} failed their checks`
          : `${all.length} checked`
    return `## ${bad ? '❌' : '✅'} Dry run · nothing was deployed · ${checked}${where}`
  }
  if (results.length === 1 && main) {
    const rollback = all.length > 1 ? ` · ${all.length - 1} follow-up${all.length > 2 ? 's' : ''}` : ''
    return `## ${EMOJI[main.status]} ${capitalised(SAID[main.status])} · ${escapeInline(describe(main))}${rollback}${where}`
  }
  const counts = ORDER.filter(status => status !== 'succeeded')
    .map(status => ({ status, count: all.filter(result => result.status === status).length }))
    .filter(({ count }) => count > 0)
  const [first, ...rest] = counts
  const tally = first
    ? [
        `${first.count} of ${all.length} ${SAID[first.status]}`,
        ...rest.map(({ status, count }) => `${count} ${SAID[status]}`)
      ].join(', ')
    : `${all.length} of ${all.length} succeeded`
  return `## ${EMOJI[overall]} ${tally}${where}`
}

function describe(result: DeploymentResult): string {
  return `${titleOf(result)} ${result.operation} ${singleLine(result.target ?? '')}`.trimEnd()
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function linksLine(context: SummaryContext): string {
  const { runUrl, commitUrl, sha } = context.links ?? {}
  const parts = [
    runUrl ? link(runUrl, 'workflow run') : '',
    commitUrl && sha ? `commit ${link(commitUrl, code(sha.slice(0, 7)))}` : ''
  ].filter(Boolean)
  return parts.length ? parts.join(' · ') : ''
}

/** What a dry run checked for one deployment, a row per check; open when a check failed. */
function checksBlock(result: DeploymentResult): string {
  if (!result.checks) return ''
  const failed = failedChecks(result).length > 0
  return [
    `<details${failed ? ' open' : ''}><summary>${escapeBlock(singleLine(result.name))}: ${result.checks.length} dry run checks, ${failed ? 'a check failed' : 'all passed'} (nothing was triggered)</summary>`,
    '',
    '| Check | Result | Detail |',
    '|---|---|---|',
    ...result.checks.map(
      check =>
        `| ${escapeInline(check.check)} | ${check.ok ? '✅ passed' : '❌ failed'} | ${escapeInline(check.detail)} |`
    ),
    '',
    '</details>',
    ''
  ].join('\n')
}

/** Where the whole log is: named by its file, which lives only as long as the job unless uploaded. */
export function logFileNote(file: string): string {
  return `log file ${path.basename(file)} (upload RUNNER_TEMP/enterprise-deploy with actions/upload-artifact to keep it)`
}

/** The log tail: open for a deployment that did not succeed, folded for one that did. */
function logBlock(result: DeploymentResult, tail: string[]): string {
  if (tail.length === 0) return ''
  const open = FAILING.has(result.status) || (isDryRun(result) && result.status !== 'succeeded')
  const where = result.logFile ? ` — ${logFileNote(result.logFile)}` : ''
  return [
    `<details${open ? ' open' : ''}><summary>${escapeBlock(singleLine(result.name))}: last ${tail.length} lines of the remote log${escapeBlock(where)}</summary>`,
    '',
    '<pre>',
    escapeBlock(tail.join('\n')),
    '</pre>',
    '</details>',
    ''
  ].join('\n')
}

function warningsBlock(all: DeploymentResult[]): string {
  const items = all.flatMap(result =>
    result.warnings.map(
      warning => `> - **${escapeInline(singleLine(result.name))}:** ${escapeInline(singleLine(warning))}`
    )
  )
  return items.length ? ['> [!WARNING]', ...items, ''].join('\n') : ''
}

/**
 * The job summary as markdown, read at a glance: a heading with the outcome in numbers, links to the run and
 * the commit, the reasons (one line each, with the log lines that look like errors), a table of at most six
 * columns with the rows that need a look first, then the dry run checks and the log tails (a failure's open,
 * a success's folded). Cut to SUMMARY_LIMIT_BYTES by shortening the log tails.
 */
export function renderSummary(
  results: DeploymentResult[],
  logLines: number,
  context: SummaryContext = {}
): string {
  const all = flatten(results)
  const notOk = byUrgency(all.filter(result => result.status !== 'succeeded' && result.status !== 'started'))
  const rows = byUrgency(all)
  const links = linksLine(context)
  const head = [
    heading(results, all, context),
    '',
    ...(links ? [links, ''] : []),
    ...(notOk.length ? [...notOk.map(reasonItem), ''] : []),
    ...(warningsBlock(all) ? [warningsBlock(all)] : []),
    '| Deployment | Platform · target | Status | Duration | Task | Link |',
    '|---|---|---|---|---|---|',
    ...rows.map(tableRow),
    '',
    ...rows.map(checksBlock).filter(Boolean)
  ].join('\n')
  let lines = logLines
  for (;;) {
    const text = `${head}\n${rows
      .map(result => logBlock(result, result.logTail.slice(-lines)))
      .filter(Boolean)
      .join('\n')}`
    if (Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES || lines === 0) return text
    lines = Math.floor(lines / 2)
  }
}
