import type { ActionError } from '../errors.js'
import type { Host } from '../host/host.js'
import type { Redactor } from '../secrets.js'
import { writeOutputs, type OutputValues } from './outputs.js'
import { escapeBlock, escapeInline } from './markdown.js'
import { cleanText, forStepLog, singleLine } from '../text/untrusted.js'

/** The title of the annotation a config file problem gets, beside its file, line and column. */
export const CONFIG_PROBLEM_TITLE = 'enterprise-deploy: config file problem'

/**
 * Bad inputs still produce every output and a summary, though nothing was sent anywhere: `status` is
 * `failed` and `message` lists the problems. The summary lists them one per item; a problem in a config file
 * is also annotated at its file, line and column (the step's failure line, written by the caller, says all).
 */
export async function reportInputFailure(
  host: Host,
  error: ActionError,
  redactor: Redactor,
  options: { platform: string; summary: boolean }
): Promise<string> {
  const scrubbed = cleanText(error.userMessage, redactor)
  const outputs: OutputValues = {
    status: 'failed',
    message: scrubbed,
    'task-id': '',
    duration: '0',
    'log-file': '',
    details: '',
    url: '',
    'remote-status': '',
    'export-file': '',
    plan: '',
    results: JSON.stringify([
      {
        name: '',
        platform: options.platform,
        status: 'failed',
        'task-id': '',
        message: scrubbed,
        duration: 0
      }
    ])
  }
  writeOutputs(host, outputs)
  for (const item of error.items ?? []) {
    if (item.file === undefined) continue
    host.error(forStepLog(item.text, redactor), {
      title: CONFIG_PROBLEM_TITLE,
      file: singleLine(item.file),
      line: item.line,
      column: item.column
    })
  }
  if (options.summary) {
    await host.appendSummary(cleanText(inputFailureSummary(error), redactor)).catch(() => undefined)
  }
  return scrubbed
}

/** The summary of bad inputs: a heading that says nothing was sent, every problem as a list item, the hint. */
export function inputFailureSummary(error: ActionError): string {
  const items = error.items?.length ? error.items.map(item => item.text) : error.message.split('\n')
  const lead = error.items?.length ? error.message.split('\n')[0] : undefined
  return [
    '## ❌ The inputs are not valid · nothing was sent',
    '',
    ...(lead ? [escapeInline(lead), ''] : []),
    '<ul>',
    ...items.filter(text => text.trim()).map(text => `<li>${escapeBlock(text.trim())}</li>`),
    '</ul>',
    '',
    ...(error.hint ? [`**Hint:** ${escapeInline(error.hint)}`, ''] : [])
  ].join('\n')
}
