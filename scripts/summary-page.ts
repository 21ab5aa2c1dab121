/**
 * A job summary as GitHub shows it: GitHub-flavoured markdown with raw HTML rendered by `marked` (GFM on),
 * and, for a page to open in a browser, a little CSS close to GitHub's markdown styles. The tests render
 * summaries with it to judge their structure; `npm run demo` writes each summary's page beside its markdown.
 */
import { Marked, type Token, type Tokens } from 'marked'

const gfm = new Marked({ gfm: true, breaks: false })

/** The markdown as HTML, the way GitHub's renderer reads it (tables, alerts' blockquotes, raw HTML kept). */
export function renderGfm(markdown: string): string {
  return gfm.parse(markdown, { async: false })
}

/** The markdown's top-level blocks (headings, lists, tables, HTML), in order. */
export function gfmBlocks(markdown: string): Token[] {
  return gfm.lexer(markdown)
}

export type GfmTable = Tokens.Table

const CSS = `
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
main { max-width: 1012px; margin: 24px auto; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 24px; }
.caption { color: #59636e; font-size: 12px; margin: 0 0 8px; }
h1, h2, h3 { font-weight: 600; line-height: 1.25; margin: 24px 0 16px; }
h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
a { color: #0969da; text-decoration: none; } a:hover { text-decoration: underline; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; background: #818b981f; padding: .2em .4em; border-radius: 6px; }
pre { font: 85% ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; background: #f6f8fa; padding: 16px; overflow: auto; border-radius: 6px; }
details { margin: 0 0 16px; } summary { cursor: pointer; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #9a6700; }
ul { padding-left: 2em; } li + li { margin-top: .25em; } sub { color: #59636e; }
`

/** A page of its own: the rendered summary in a frame like the run page's, titled, with the CSS above. */
export function summaryPage(markdown: string, title: string): string {
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escaped}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<p class="caption">Job summary — ${escaped}</p>
${renderGfm(markdown)}
</main>
</body>
</html>
`
}
