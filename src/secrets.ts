import * as core from '@actions/core'

export const REDACTED = '***'

/**
 * Knows every secret of the run and every form it can take on the wire (raw, URL-encoded, Basic header
 * value), masks each with the runner before anything prints, and scrubs them from any text we write.
 */
export class Redactor {
  private readonly secrets = new Set<string>()
  /** The secrets longest first, for scrub. */
  private ordered: string[] = []

  /** Registers a token or password; call before anything that could print it. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 3) return
    for (const form of [secret, encodeURIComponent(secret)]) {
      if (this.secrets.has(form)) continue
      this.secrets.add(form)
      this.ordered = [...this.secrets].sort((a, b) => b.length - a.length)
      core.setSecret(form)
    }
  }

  /** Registers Basic credentials: the password and the header's base64 value. */
  addBasic(username: string | undefined, password: string | undefined): void {
    this.add(password)
    if (username !== undefined && password)
      this.add(Buffer.from(`${username}:${password}`).toString('base64'))
  }

  /** Longest secret, so streaming scrubbers know how much text to hold back across chunk borders. */
  get longest(): number {
    let length = 0
    for (const secret of this.secrets) length = Math.max(length, secret.length)
    return length
  }

  /** Longest first: a short secret inside a longer one (a password inside a Basic value) must not leave a remnant. */
  scrub(text: string): string {
    let result = text
    for (const secret of this.ordered) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED)
    }
    return result
  }

  /** Deep copy of a JSON-like value with every string scrubbed and secret-named fields blanked. */
  scrubValue<T>(value: T): T {
    return JSON.parse(
      this.scrub(
        JSON.stringify(value ?? null, (key, inner: unknown) =>
          /^(token|password|passwd|secret|authorization|api[-_]?key)$/i.test(key) && typeof inner === 'string'
            ? REDACTED
            : inner
        )
      )
    ) as T
  }
}
