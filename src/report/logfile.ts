import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
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
  private static readonly MAX_PENDING = 1 << 20

  constructor(
    private readonly redactor: Redactor,
    private readonly onLine: (line: string) => void
  ) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending += chunk.toString('utf8')
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
    if (this.pending) this.emitText(this.pending)
    done()
  }

  private emitText(text: string): void {
    const scrubbed = this.redactor.scrub(text)
    for (const line of scrubbed.split('\n')) if (line.trim()) this.onLine(line.replace(/\r$/, ''))
    this.push(scrubbed)
  }
}

export interface SavedLog {
  file: string
  bytes: number
  tail: string[]
}

/** Streams a remote log to a file under the runner's temp dir, secrets scrubbed; never whole in memory. */
export async function saveRemoteLog(
  source: Readable,
  directory: string,
  fileName: string,
  redactor: Redactor,
  tailLines: number
): Promise<SavedLog> {
  await mkdir(directory, { recursive: true })
  // Only word characters, dots and dashes, and no leading dot: never a hidden file, never `..`.
  const file = path.join(directory, fileName.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_'))
  const tail = new TailBuffer(tailLines)
  let bytes = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      done(null, chunk)
    }
  })
  await pipeline(
    source,
    counter,
    new RedactingLines(redactor, line => tail.push(line)),
    createWriteStream(file)
  )
  return { file, bytes, tail: tail.value }
}
