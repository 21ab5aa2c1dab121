/**
 * Where the step's words go: the inputs it reads, its log lines, annotations, outputs, summary and secrets.
 * The action talks to the GitHub runner through `actionsHost`; the command line has a host of its own, so the
 * same engine runs on any CI without printing a workflow command where none is read.
 */
export interface Host {
  /** The input's value as given, '' when it was not. */
  input(name: string): string
  info(message: string): void
  debug(message: string): void
  warning(message: string, annotation?: Annotation): void
  error(message: string, annotation?: Annotation): void
  /** Marks the step failed, with the line that says why (titled, when it is about one deployment). */
  fail(message: string, annotation?: Annotation): void
  /** Lines that belong together, folded where the log can fold them. */
  group<T>(name: string, body: () => Promise<T>): Promise<T>
  /** A secret's form the log must never show (the runner masks it; other hosts scrub it). */
  mask(form: string): void
  setOutput(name: string, value: string): void
  /** Appends markdown to the job summary. */
  appendSummary(markdown: string): Promise<void>
}

/** Where an annotation points: a title, and a file position when the problem has one. */
export interface Annotation {
  title?: string
  file?: string
  line?: number
  column?: number
}

/** A host that says nothing: the default for code run outside any step (tests, the bench). */
export const silentHost: Host = {
  input: () => '',
  info: () => undefined,
  debug: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  fail: () => undefined,
  group: (_name, body) => body(),
  mask: () => undefined,
  setOutput: () => undefined,
  appendSummary: async () => undefined
}
