/**
 * Markdown the job summary is made of, from text nobody vetted: GitHub renders the summary as GitHub-flavoured
 * markdown with raw HTML (https://github.github.com/gfm/), so every piece of text is escaped for the place
 * it goes — a sentence, a table cell, a <pre> block, an attribute.
 */

/** Inside <pre>, <code> or <summary>: only what HTML would read. */
export function escapeBlock(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * A sentence or a table cell: HTML escaped, markdown punctuation backslash-escaped (GFM §2.4: any ASCII
 * punctuation may be escaped) so a message cannot start a link, emphasis, a code span or a new cell, and
 * line breaks as <br>.
 */
export function escapeInline(text: string): string {
  return escapeBlock(text)
    .replace(/[\\`*_[\]|~#]/g, (match, offset: number, whole: string) =>
      // An underscore inside a word starts no emphasis (GFM §6.2): `HFM_PROD` stays as written.
      match === '_' && isWordCharacter(whole[offset - 1]) && isWordCharacter(whole[offset + 1])
        ? match
        : `\\${match}`
    )
    .replace(/\r\n?|\n/g, '<br>')
}

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && /[\p{L}\p{N}]/u.test(character)
}

/** Text in a <code> element, on one line. */
export function code(text: string): string {
  return `<code>${escapeBlock(text).replace(/\r\n?|\n/g, ' ')}</code>`
}

/** A link only to http(s) addresses; anything else stays text. */
export function link(href: string, label: string): string {
  if (!/^https?:\/\//i.test(href)) return label
  return `<a href="${escapeBlock(href).replace(/"/g, '&quot;')}">${label}</a>`
}
