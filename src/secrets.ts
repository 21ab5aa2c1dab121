import * as core from '@actions/core'

export const REDACTED = '***'

/**
 * Knows every secret of the run and every form it can take on the wire (raw, URL-encoded, Basic header
 * value), masks each with the runner before anything prints, and scrubs them from any text we write.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  /** Registers a token or password; call before anything that could print it. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 3) return
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]) {
      if (this.secrets.has(form)) continue
      this.secrets.add(form)
      core.setSecret(form)
    }
  }

  /** Registers Basic credentials: the password and the header's base64 value. */
  addBasic(username: string | undefined, password: string | undefined): void {
    this.add(password)
    if (username !== undefined && password) this.add(Buffer.from(`${username}:${password}`).toString('base64'))
  }

  /** Longest secret, so streaming scrubbers know how much text to hold back across chunk borders. */
  get longest(): number {
    let length = 0
    for (const secret of this.secrets) length = Math.max(length, secret.length)
    return length
  }

  scrub(text: string): string {
    let result = text
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED)
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
