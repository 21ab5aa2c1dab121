import type { Host } from '../host/host.js'
import type { FormSet } from '../secrets/form-set.js'

/** What the run said it produced, kept for the command line's own files (--output-file, --junit, …). */
export interface Recorded {
  /** Every output in the order the run set it, scrubbed of every masked form. */
  outputs: Map<string, string>
  summary: string
  /** Whether the run failed the step (as `core.setFailed` would): the exit code is then not 0. */
  failed: boolean
}

/** The host, with the outputs, the summary and a failure also recorded; every form it masks kept in `forms`. */
export function recording(inner: Host, forms: FormSet): { host: Host; recorded: Recorded } {
  const recorded: Recorded = { outputs: new Map(), summary: '', failed: false }
  const host: Host = {
    ...inner,
    fail: (message, annotation) => {
      recorded.failed = true
      inner.fail(message, annotation)
    },
    mask: form => {
      forms.add(form)
      inner.mask(form)
    },
    setOutput: (name, value) => {
      recorded.outputs.set(name, forms.scrub(value))
      inner.setOutput(name, value)
    },
    appendSummary: async markdown => {
      // As core.summary.addRaw(markdown, true): each piece ends its line.
      recorded.summary += forms.scrub(markdown.endsWith('\n') ? markdown : `${markdown}\n`)
      await inner.appendSummary(markdown)
    }
  }
  return { host, recorded }
}
