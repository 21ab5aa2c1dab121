import type { Annotation, Host } from '../host/host.js'
import { neutraliseCommands } from '../text/untrusted.js'
import type { FormSet } from '../secrets/form-set.js'

/** Where the plain host's lines go: stderr, or a TTY's status line in between (see progress.ts). */
export interface LineWriter {
  line(text: string): void
}

export interface PlainHostOptions {
  input: (name: string) => string
  writer: LineWriter
  /** Prints debug lines (`--verbose`); hidden otherwise, as the runner hides them without ACTIONS_STEP_DEBUG. */
  verbose: boolean
  /** The forms mask() collects, shared with what writes the outputs and files. */
  forms: FormSet
}

/**
 * A host for any CI but GitHub Actions: plain log lines that no runner would take for a workflow command,
 * never a `::add-mask::` — the secrets' forms are kept here instead and scrubbed from every line, as a
 * second line of defence behind the redaction the engine already does.
 */
export function plainHost(options: PlainHostOptions): Host {
  const { forms } = options
  const print = (prefix: string, message: string): void => {
    const lines = forms.scrub(message).split(/\r\n|\r|\n/)
    lines.forEach((line, index) => {
      const shown = index === 0 ? `${prefix}${line}` : prefix ? `  ${line}` : line
      options.writer.line(neutraliseCommands(shown))
    })
  }
  return {
    input: name => options.input(name),
    info: message => print('', message),
    debug: message => {
      if (options.verbose) print('debug: ', message)
    },
    warning: (message, annotation) => print(`warning: ${where(annotation)}`, message),
    error: (message, annotation) => print(`error: ${where(annotation)}`, message),
    fail: message => print('error: ', message),
    group: async (name, body) => {
      print('== ', name)
      return body()
    },
    mask: form => forms.add(form),
    // The command line writes outputs and the summary itself (see recording.ts); scrubbed there too.
    setOutput: () => undefined,
    appendSummary: async () => undefined
  }
}

function where(annotation: Annotation | undefined): string {
  if (!annotation?.file) return annotation?.title ? `${annotation.title}: ` : ''
  const position = [annotation.file, annotation.line, annotation.column].filter(part => part !== undefined)
  return `${position.join(':')}: `
}
