import { REDACTED } from '../secrets.js'

/**
 * The forms of the secrets the engine asked the host to mask. Where no runner masks them (outside GitHub
 * Actions), every line, output and file the command line writes is scrubbed of them once more.
 */
export class MaskedForms {
  private readonly forms = new Set<string>()
  private ordered: string[] = []

  add(form: string): void {
    if (!form || this.forms.has(form)) return
    this.forms.add(form)
    this.ordered = [...this.forms].sort((a, b) => b.length - a.length)
  }

  /** Longest first, so a short form inside a longer one leaves no remnant. */
  scrub(text: string): string {
    let result = text
    for (const form of this.ordered) if (result.includes(form)) result = result.split(form).join(REDACTED)
    return result
  }
}
