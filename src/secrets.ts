import { silentHost, type Host } from './host/host.js'
import { maskableForms, SHORTEST_DERIVED_FORM } from './secrets/encodings.js'
import { blankUrlPasswords, isSecretField } from './secrets/fields.js'
import { FormSet, REDACTED } from './secrets/form-set.js'

export { REDACTED } from './secrets/form-set.js'

/** A raw secret shorter than this is not registered: masking it would blank ordinary words everywhere. */
const SHORTEST_SECRET = 3

/**
 * Knows every secret of the run and every form it can take on the wire or in an echo (raw, JSON-, URL-,
 * HTML- and backslash-escaped, base64 at each alignment, hex: see secrets/encodings.ts), masks each with
 * the runner before anything prints, and scrubs them from any text or value we write.
 */
export class Redactor {
  private readonly forms = new FormSet()

  /** `host` masks each form before anything prints it (the runner's mask in the action). */
  constructor(private readonly host: Pick<Host, 'mask' | 'debug'> = silentHost) {}

  /** Registers a token or password (and every encoding of it); call before anything that could print it. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < SHORTEST_SECRET) return
    const { forms, tooShort } = maskableForms(secret)
    if (tooShort > 0) {
      this.host.debug(
        `${tooShort} encoded forms of a credential are shorter than ${SHORTEST_DERIVED_FORM} characters: neither masked nor scrubbed`
      )
    }
    for (const form of forms) if (this.forms.add(form)) this.host.mask(form)
  }

  /** Registers Basic credentials: the password, `user:password` and the header's base64 value. */
  addBasic(username: string | undefined, password: string | undefined): void {
    this.add(password)
    if (username !== undefined && password) {
      this.add(`${username}:${password}`)
      this.add(Buffer.from(`${username}:${password}`).toString('base64'))
    }
  }

  /** Longest form, so streaming scrubbers know how much text to hold back across chunk borders. */
  get longest(): number {
    return this.forms.longest
  }

  /** Whether the text holds any form of a secret (an input problem then shows the value as `***`). */
  reveals(text: string): boolean {
    return this.forms.foundIn(text)
  }

  /**
   * Every form of every secret, and the password of any URL or connection string, replaced by `***`. Longest
   * first: a short secret inside a longer one (a password inside a Basic value) must not leave a remnant.
   */
  scrub(text: string): string {
    return blankUrlPasswords(this.forms.scrub(text), REDACTED)
  }

  /**
   * Deep copy of a JSON-like value with every string (keys too) scrubbed and the values of secret-named
   * fields blanked — before it is serialized, so no escaped form of a secret can survive in the JSON.
   */
  scrubValue<T>(value: T): T {
    // Nothing serializes as `null`, as it always has: `fromJSON` of the output still parses.
    return this.scrubInner(value ?? null, new WeakSet()) as T
  }

  private scrubInner(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.scrub(value)
    if (value === null || typeof value !== 'object') return value
    // A cycle (never in parsed JSON) would not serialize either.
    if (seen.has(value)) return REDACTED
    seen.add(value)
    try {
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return this.scrubInner((value as { toJSON(): unknown }).toJSON(), seen)
      }
      if (Array.isArray(value)) return value.map(item => this.scrubInner(item, seen))
      const copy: Record<string, unknown> = {}
      for (const [key, inner] of Object.entries(value)) {
        if (inner === undefined || typeof inner === 'function') continue
        // `typeof null` is 'object': a secret-named null stays null
        const blank = isSecretField(key) && typeof inner !== 'object'
        copy[this.scrub(key)] = blank ? REDACTED : this.scrubInner(inner, seen)
      }
      return copy
    } finally {
      seen.delete(value)
    }
  }
}
