/**
 * A small glob matcher (Node 20 has no fs.glob): `*` and `?` within one path segment, `**` as a whole
 * segment for any number of directories. Like a shell, wildcards do not match names that start with a dot.
 */

const MAGIC = /[*?]/

export function hasMagic(pattern: string): boolean {
  return MAGIC.test(pattern)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&')
}

function segmentSource(segment: string): string {
  let source = ''
  for (const char of segment) {
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += escapeRegExp(char)
  }
  // A wildcard at the start of a segment never matches a dot file or dot directory.
  return /^[*?]/.test(segment) ? `(?!\\.)${source}` : source
}

/** The pattern (`/`-separated, relative) as a regular expression over `/`-separated relative paths. */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/').filter(segment => segment !== '' && segment !== '.')
  let source = ''
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1
    if (segment === '**') {
      // Zero or more directories (none of them dot directories); a trailing `**` matches every file below.
      source += last ? '(?:(?!\\.)[^/]+/)*(?!\\.)[^/]+' : '(?:(?!\\.)[^/]+/)*'
      return
    }
    source += segmentSource(segment) + (last ? '' : '/')
  })
  return new RegExp(`^${source}$`)
}

/** The leading segments without wildcards: where a walk for the pattern starts. */
export function literalBase(pattern: string): string {
  const base: string[] = []
  for (const segment of pattern.split('/')) {
    if (hasMagic(segment)) break
    base.push(segment)
  }
  return base.join('/')
}

/** How many directory levels below the base a match can lie; Infinity with `**`. */
export function depthBelowBase(pattern: string): number {
  const segments = pattern.split('/').filter(segment => segment !== '')
  const rest = segments.slice(literalBase(pattern).split('/').filter(Boolean).length)
  return rest.includes('**') ? Number.POSITIVE_INFINITY : rest.length
}
