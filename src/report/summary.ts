import type { FinalStatus } from '../drivers/driver.js'
import { definitionOf } from '../drivers/index.js'
import { flatten, overallStatus, type DeploymentResult } from '../engine/result.js'
import { formatDuration } from '../text/duration.js'
import { singleLine } from '../text/untrusted.js'

/** GitHub rejects a step summary over 1 MiB; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 1000 * 1024

const HEADLINE: Record<FinalStatus, string> = {
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  'timed-out': '⏱️ timed out',
  canceled: '🛑 canceled',
  skipped: '⏭️ skipped',
  started: '🚀 started'
}

function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r\n?|\n/g, '<br>')
}

export function escapeBlock(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function titleOf(result: DeploymentResult): string {
  return definitionOf(result.platform).title
}

function progressOf(result: DeploymentResult): string {
  const label = result.remoteLabel ?? result.remoteCode
  const code =
    result.remoteCode && result.remoteLabel && result.remoteCode !== result.remoteLabel
      ? ` (${result.remoteCode})`
      : ''
  const percent = result.percent !== undefined ? `${result.percent}%` : ''
  return [percent, label ? `${label}${code}` : ''].filter(Boolean).join(' ')
}

function tableRow(result: DeploymentResult, withName: boolean): string {
  const taskId = result.url
    ? `<a href="${escapeCell(result.url)}">${escapeCell(result.taskId ?? 'open')}</a>`
    : escapeCell(result.taskId ?? '—')
  const cells = [
    ...(withName ? [escapeCell(result.name)] : []),
    escapeCell(titleOf(result)),
    escapeCell(result.target ?? '—'),
    escapeCell(result.operation),
    taskId,
    HEADLINE[result.status],
    formatDuration(result.durationSeconds * 1000),
    escapeCell(progressOf(result) || '—'),
    escapeCell(result.message.length > 300 ? `${result.message.slice(0, 300)}…` : result.message)
  ]
  return `| ${cells.join(' | ')} |`
}

/** What a dry run checked for one deployment, a row per check. */
function checksBlock(result: DeploymentResult): string {
  if (!result.checks) return ''
  return [
    `**${escapeCell(result.name)}: dry run checks** (nothing was triggered)`,
    '',
    '| Check | Result | Detail |',
    '|---|---|---|',
    ...result.checks.map(
      check =>
        `| ${escapeCell(check.check)} | ${check.ok ? '✅ passed' : '❌ failed'} | ${escapeCell(check.detail)} |`
    ),
    ''
  ].join('\n')
}

function logBlock(result: DeploymentResult, tail: string[]): string {
  if (tail.length === 0) return ''
  const where = result.logFile ? ` — full log: <code>${escapeBlock(result.logFile)}</code>` : ''
  return [
    `<details><summary>${escapeBlock(result.name)}: last ${tail.length} lines of the remote log${where}</summary>`,
    '',
    '<pre>',
    escapeBlock(tail.join('\n')),
    '</pre>',
    '</details>',
    ''
  ].join('\n')
}

function reasonBlock(result: DeploymentResult): string {
  if (result.status === 'succeeded' || result.status === 'started' || result.status === 'skipped') {
    return result.warnings.map(warning => `> [!WARNING]\n> ${escapeCell(warning)}\n`).join('\n')
  }
  const hint = result.hint ? `\n>\n> **Hint:** ${escapeCell(result.hint)}` : ''
  return `> [!CAUTION]\n> **${escapeCell(result.name)} ${HEADLINE[result.status].replace(/^\S+ /, '')}:** ${escapeCell(result.message)}${hint}\n`
}

/** The job summary as Markdown: outcome heading, one table row per deployment, reasons, checks, log tails. */
export function renderSummary(
  results: DeploymentResult[],
  logLines: number,
  context: { environment?: string } = {}
): string {
  const all = flatten(results)
  const main = results[0]
  const several = results.length > 1
  const dryRun = all.length > 0 && all.every(result => result.checks)
  const where = context.environment ? ` to ${context.environment}` : ''
  const heading =
    (!several && main
      ? `## ${HEADLINE[main.status]}: ${titleOf(main)} ${main.operation} ${escapeBlock(singleLine(main.target ?? ''))}`.trimEnd()
      : `## ${HEADLINE[overallStatus(all)]}: ${all.length} deployments${where}`) +
    (dryRun ? ' (dry run, nothing triggered)' : '')
  const head = [
    heading,
    '',
    `| ${several ? 'Deployment | ' : ''}Platform | Target | Operation | Task id | Status | Duration | Progress | Message |`,
    `|${several ? '---|' : ''}---|---|---|---|---|---|---|---|`,
    ...all.map(result => tableRow(result, several)),
    '',
    ...all.map(reasonBlock).filter(Boolean),
    ...all.map(checksBlock).filter(Boolean)
  ].join('\n')
  let lines = logLines
  for (;;) {
    const text = `${head}\n${all.map(result => logBlock(result, result.logTail.slice(-lines))).join('\n')}`
    if (Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES || lines === 0) return text
    lines = Math.floor(lines / 2)
  }
}
