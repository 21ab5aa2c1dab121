/**
 * The step's outputs as the files other CIs read: one JSON object, a dotenv file, a JUnit XML report.
 */

/**
 * One JSON object, the outputs' names as keys and their values as the action gives them (strings; `results`
 * and `details` hold JSON text). Every `#` is written `\u0023`: the text stays the same JSON, and no `##[`
 * in a server's message can reach a log as a legacy workflow command.
 */
export function outputsJson(outputs: ReadonlyMap<string, string>): string {
  return JSON.stringify(Object.fromEntries(outputs)).replace(/#/g, '\\u0023')
}

/** `task-id` → `DEPLOY_TASK_ID`: the names GitLab's dotenv report accepts (letters, digits, underscores). */
export function dotenvName(output: string): string {
  return `DEPLOY_${output.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
}

/**
 * `DEPLOY_STATUS=succeeded`, one line per output. A value is written as it is — GitLab's dotenv report keeps
 * quotes as part of the value (https://docs.gitlab.com/ci/yaml/artifacts_reports/#artifactsreportsdotenv) —
 * unless it spans lines: then double-quoted with `\n`, `\"` and `\\` escapes, as the dotenv package reads them.
 */
export function outputsDotenv(outputs: ReadonlyMap<string, string>): string {
  const lines = [...outputs].map(([name, value]) => {
    const quoted = /[\r\n]/.test(value)
      ? `"${value
          .replace(/\\/g, '\\\\')
          .replace(/"/g, '\\"')
          .replace(/\r?\n|\r/g, '\\n')}"`
      : value
    return `${dotenvName(name)}=${quoted}`
  })
  return `${lines.join('\n')}\n`
}

/** One element of the `results` output. */
export interface ResultRow {
  name: string
  platform: string
  status: string
  'task-id': string
  message: string
  duration: number
}

/** The `results` output parsed; when it cannot be (cut at its size limit), one row from the other outputs. */
export function resultRows(outputs: ReadonlyMap<string, string>): ResultRow[] {
  try {
    const parsed: unknown = JSON.parse(outputs.get('results') ?? '')
    if (Array.isArray(parsed) && parsed.length > 0) return parsed as ResultRow[]
  } catch {
    // cut or absent: fall through to the step's own outputs
  }
  return [
    {
      name: 'enterprise-deploy',
      platform: '',
      status: outputs.get('status') ?? 'failed',
      'task-id': outputs.get('task-id') ?? '',
      message: outputs.get('message') ?? '',
      duration: Number(outputs.get('duration') ?? 0) || 0
    }
  ]
}

const FAILURES: ReadonlySet<string> = new Set(['failed', 'timed-out', 'canceled'])

/**
 * A JUnit XML report (the schema Jenkins' junit step, GitLab's `artifacts:reports:junit` and Azure's
 * PublishTestResults@2 read: https://github.com/testmoapp/junitxml): one `testcase` per deployment, named by
 * it, its platform as the class; `failed`, `timed-out` and `canceled` are failures, `skipped` is skipped,
 * `succeeded` and `started` pass.
 */
export function junitXml(rows: readonly ResultRow[], suiteName = 'enterprise-deploy'): string {
  const failures = rows.filter(row => FAILURES.has(row.status)).length
  const skipped = rows.filter(row => row.status === 'skipped').length
  const seconds = rows.reduce((total, row) => total + (Number(row.duration) || 0), 0)
  const cases = rows.map(row => {
    const name = row.name || row.platform || 'deployment'
    const detail = `${row.status}${row['task-id'] ? ` (task ${row['task-id']})` : ''}: ${row.message}`
    const open = `    <testcase name="${xml(name)}" classname="${xml(row.platform || 'enterprise-deploy')}" time="${Number(row.duration) || 0}"`
    if (FAILURES.has(row.status)) {
      return `${open}>\n      <failure message="${xml(firstLine(detail))}" type="${xml(row.status)}">${xml(detail)}</failure>\n    </testcase>`
    }
    if (row.status === 'skipped')
      return `${open}>\n      <skipped message="${xml(firstLine(detail))}"/>\n    </testcase>`
    return `${open}>\n      <system-out>${xml(detail)}</system-out>\n    </testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suiteName)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${rows.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? ''
}

/** Text as XML character data or an attribute value: markup escaped, characters XML 1.0 cannot hold dropped. */
function xml(text: string): string {
  return (
    String(text)
      // eslint-disable-next-line no-control-regex
      .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\r/g, '&#13;')
      .replace(/\n/g, '&#10;')
  )
}
