export const REDACTED = '***'

/**
 * A set of secret forms that scrubs them from text, longest first: a short form inside a longer one (a
 * password inside a Basic value) must not leave a remnant. The Redactor keeps one for every form it derives;
 * the command line keeps one for the forms the engine asked it to mask.
 */
export class FormSet {
  private readonly forms = new Set<string>()
  /** The forms longest first, for scrub. */
  private ordered: string[] = []

  /** Adds a form; false when it was there already (or is empty). */
  add(form: string): boolean {
    if (!form || this.forms.has(form)) return false
    this.forms.add(form)
    this.ordered = [...this.forms].sort((a, b) => b.length - a.length)
    return true
  }

  /** Length of the longest form, so streaming scrubbers know how much text to hold back across chunk borders. */
  get longest(): number {
    return this.ordered[0]?.length ?? 0
  }

  /** Whether the text holds any of the forms. */
  foundIn(text: string): boolean {
    return this.ordered.some(form => text.includes(form))
  }

  /** Every form replaced by `***`. */
  scrub(text: string): string {
    let result = text
    for (const form of this.ordered) {
      if (result.includes(form)) result = result.split(form).join(REDACTED)
    }
    return result
  }
}
