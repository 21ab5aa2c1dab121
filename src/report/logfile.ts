import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { StringDecoder } from 'node:string_decoder'
import { errorFields } from '../errors.js'
import type { LogSink } from '../engine/execute.js'
import type { SavedLog } from '../engine/result.js'
import type { Redactor } from '../secrets.js'

/** Lines longer than this are cut in the summary's tail (the file keeps them whole). */
const TAIL_LINE_LIMIT = 400

/** Keeps the last N lines it is given, each cut to a readable length. */
export class TailBuffer {
  private readonly lines: string[] = []
  constructor(private readonly size: number) {}

  push(line: string): void {
    if (this.size === 0) return
    this.lines.push(line.length > TAIL_LINE_LIMIT ? `${line.slice(0, TAIL_LINE_LIMIT)} …` : line)
    if (this.lines.length > this.size) this.lines.shift()
  }

  get value(): string[] {
    return [...this.lines]
  }
}

/**
 * Scrubs secrets from a text stream line by line; a line with no end in sight is flushed in pieces,
 * holding back enough characters that no secret is split between two pieces unseen.
 */
export class RedactingLines extends Transform {
  private pending = ''
  /** Decodes the whole stream once, so a character split across two chunks arrives whole. */
  private readonly decoder = new StringDecoder('utf8')
  private static readonly MAX_PENDING = 1 << 20

  constructor(
    private readonly redactor: Redactor,
    private readonly onLine: (line: string) => void
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    const end = this.pending.lastIndexOf('\n')
    if (end >= 0) {
      this.emitText(this.pending.slice(0, end + 1))
      this.pending = this.pending.slice(end + 1)
    } else if (this.pending.length > RedactingLines.MAX_PENDING) {
      const keep = Math.max(0, this.redactor.longest - 1)
      const scrubbed = this.redactor.scrub(this.pending)
      this.push(scrubbed.slice(0, scrubbed.length - keep))
      this.pending = scrubbed.slice(scrubbed.length - keep)
    }
    done()
  }

  override _flush(done: TransformCallback): void {
    this.pending += this.decoder.end()
    if (this.pending) this.emitText(this.pending)
    done()
  }

  private emitText(text: string): void {
    const scrubbed = this.redactor.scrub(text)
    for (const line of scrubbed.split('\n')) if (line.trim()) this.onLine(line.replace(/\r$/, ''))
    this.push(scrubbed)
  }
}

/**
 * The source's chunks until it ends, the signal aborts, or it breaks: whatever arrived is kept, and a last
 * line says why the rest is missing. The abort destroys the source, which ends the iteration: no promise
 * outlives a chunk (a race against one long-pending promise would keep every chunk of the log alive).
 */
async function* untilCut(
  source: Readable,
  signal: AbortSignal,
  onCut: (why: string) => void
): AsyncGenerator<Buffer | string> {
  const onAbort = () => source.destroy()
  if (signal.aborted) onAbort()
  else signal.addEventListener('abort', onAbort, { once: true })
  let why: string | undefined
  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      if (signal.aborted) break
      yield chunk
    }
    if (signal.aborted) why = 'the time for it ran out'
  } catch (error) {
    why = signal.aborted
      ? 'the time for it ran out'
      : `the connection broke (${errorFields(error).code || errorFields(error).message})`
  } finally {
    signal.removeEventListener('abort', onAbort)
    source.destroy()
  }
  if (why) {
    onCut(why)
    yield `\n[enterprise-deploy] the log download stopped here: ${why}; what arrived until then is above\n`
  }
}

/**
 * Streams a remote log to a file under the runner's temp dir, secrets scrubbed; never whole in memory.
 * Bounded by `signal`: when it aborts, the download stops and what arrived is kept, with a line saying so.
 */
export async function saveRemoteLog(
  source: Readable,
  directory: string,
  fileName: string,
  redactor: Redactor,
  tailLines: number,
  signal: AbortSignal = new AbortController().signal
): Promise<SavedLog> {
  await mkdir(directory, { recursive: true })
  // Only word characters, dots and dashes, and no leading dot: never a hidden file, never `..`.
  const file = path.join(directory, fileName.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_'))
  const tail = new TailBuffer(tailLines)
  let bytes = 0
  let cut: string | undefined
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      done(null, chunk)
    }
  })
  await pipeline(
    Readable.from(
      untilCut(source, signal, why => (cut = why)),
      { objectMode: false }
    ),
    counter,
    new RedactingLines(redactor, line => tail.push(line)),
    createWriteStream(file)
  )
  return { file, bytes, tail: tail.value, cut }
}

/** The engine's log sink: every remote log of the run goes to `<tempDir>/enterprise-deploy/`. */
export function logSinkUnder(tempDir: string, redactor: Redactor, tailLines: number): LogSink {
  const directory = path.join(tempDir, 'enterprise-deploy')
  return (stream, fileName, signal) => saveRemoteLog(stream, directory, fileName, redactor, tailLines, signal)
}
