import type { Host } from '../host/host.js'
import type { Redactor } from '../secrets.js'
import { writeOutputs, type OutputValues } from './outputs.js'
import { escapeBlock } from './summary.js'
import { cleanText } from '../text/untrusted.js'

/**
 * Bad inputs still produce every output and a summary, though nothing was sent anywhere: `status` is
 * `failed` and `message` lists the problems.
 */
export async function reportInputFailure(
  host: Host,
  message: string,
  redactor: Redactor,
  options: { platform: string; summary: boolean }
): Promise<string> {
  const scrubbed = cleanText(message, redactor)
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
  if (options.summary) {
    await host
      .appendSummary(`## ❌ failed: the inputs are not valid\n\n<pre>\n${escapeBlock(scrubbed)}\n</pre>\n`)
      .catch(() => undefined)
  }
  return scrubbed
}
