import type { Redactor } from '../secrets.js'

/**
 * Text a server wrote (status messages, log lines, error bodies, ids) is data. Before it reaches the step
 * log, an output or the job summary it loses what a terminal, a browser or the runner would act on:
 * control characters, escape sequences, bidi overrides — and in the step log, anything the runner would
 * parse as a workflow command.
 */

/** ANSI CSI sequences (colours, cursor moves), OSC sequences (titles, OSC-8 hyperlinks), other ESC sequences. */
const ESCAPE_SEQUENCES =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]/g
/** C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates (U+202A–E, U+2066–9). */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

/** Zero-width space: after trimming, a line that starts with it is no command (.NET and JS trim neither). */
const BREAK = '\u200b'

/** The text without control characters or escape sequences; tab and newline kept, CR LF and lone CR as newline. */
export function stripControls(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, '')
}

/** A value that must stay on one line (a message in a sentence, a task id, a target): CR and LF become spaces. */
export function singleLine(text: string): string {
  return stripControls(text).replace(/\n/g, ' ')
}

/**
 * The runner reads stdout line by line (on `\n` and on `\r`) and takes a line as a command when, trimmed,
 * it starts with `::`, or when it holds `##[` anywhere (the legacy syntax). A zero-width space in front of
 * such a line, and inside every `##[`, leaves it readable and inert.
 */
export function neutraliseCommands(text: string): string {
  return text
    .split('\n')
    .map(line => {
      const inert = line.includes('##[') ? line.replace(/##\[/g, `##${BREAK}[`) : line
      return inert.trimStart().startsWith('::') ? `${BREAK}${inert}` : inert
    })
    .join('\n')
}

/**
 * Text for an output or the job summary: controls stripped, then secrets scrubbed — in that order, so a
 * secret a server split with an escape sequence is whole again when the scrub looks for it.
 */
export function cleanText(text: string, redactor: Redactor): string {
  return redactor.scrub(stripControls(text))
}

/**
 * The one way text that may hold something a server said reaches the step log (core.info, warning, error,
 * group titles): controls stripped, secrets scrubbed, commands neutralised.
 */
export function forStepLog(text: string, redactor: Redactor): string {
  return neutraliseCommands(cleanText(text, redactor))
}

/** A JSON-like value for an output: controls stripped from every string, then scrubbed and secret fields blanked. */
export function cleanValue<T>(value: T, redactor: Redactor): T {
  return redactor.scrubValue(stripControlsDeep(value))
}

/** Deep copy of a JSON-like value with control characters stripped from every string (keys too). */
export function stripControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return stripControls(value) as T
  if (Array.isArray(value)) return value.map(item => stripControlsDeep(item as unknown)) as T
  if (value && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return stripControlsDeep((value as unknown as { toJSON(): unknown }).toJSON()) as T
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [stripControls(key), stripControlsDeep(inner as unknown)])
    ) as T
  }
  return value
}
