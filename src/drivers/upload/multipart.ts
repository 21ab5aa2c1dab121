import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'

/** One file of a multipart/form-data body, read from disk while it is sent. */
export interface FilePart {
  field: string
  filename: string
  path: string
  /** Bytes the file holds; Content-Length is computed from it, so the file must not change meanwhile. */
  size: number
  contentType?: string
}

/** A plain form field (`name=test-app`), sent as UTF-8 text. */
export interface FieldPart {
  field: string
  value: string
}

export type Part = FilePart | FieldPart

const isFile = (part: Part): part is FilePart => 'path' in part

export interface MultipartBody {
  contentType: string
  /** Exact byte length, so the request carries Content-Length rather than chunked encoding. */
  length: number
  /** A fresh stream of the whole body: the file parts are read in chunks, never held whole. */
  open(): Readable
}

const CRLF = '\r\n'

/** Quotes a value for a Content-Disposition parameter the way browsers do (WHATWG form encoding). */
function quoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')
}

function partHeader(boundary: string, part: Part): Buffer {
  if (!isFile(part)) {
    return Buffer.from(
      `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(part.field)}"${CRLF}${CRLF}${part.value}`,
      'utf8'
    )
  }
  return Buffer.from(
    `--${boundary}${CRLF}` +
      `Content-Disposition: form-data; name="${quoted(part.field)}"; filename="${quoted(part.filename)}"${CRLF}` +
      `Content-Type: ${part.contentType ?? 'application/octet-stream'}${CRLF}${CRLF}`,
    'utf8'
  )
}

export function newBoundary(): string {
  return `----enterprise-deploy-${randomBytes(16).toString('hex')}`
}

export function multipartBody(parts: Part[], boundary = newBoundary()): MultipartBody {
  const headers = parts.map(part => partHeader(boundary, part))
  const closing = Buffer.from(`--${boundary}--${CRLF}`)
  const separator = Buffer.from(CRLF)
  const length =
    headers.reduce((sum, header) => sum + header.length, 0) +
    parts.reduce((sum, part) => sum + (isFile(part) ? part.size : 0) + separator.length, 0) +
    closing.length

  async function* generate(): AsyncGenerator<Buffer> {
    for (const [index, part] of parts.entries()) {
      yield headers[index] as Buffer
      if (!isFile(part)) {
        yield separator
        continue
      }
      let read = 0
      for await (const chunk of createReadStream(part.path, { highWaterMark: 256 * 1024 })) {
        read += (chunk as Buffer).length
        if (read > part.size) break
        yield chunk as Buffer
      }
      if (read !== part.size) {
        throw new Error(`${part.filename} changed while it was uploaded (${part.size} bytes expected)`)
      }
      yield separator
    }
    yield closing
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    open: () => Readable.from(generate(), { objectMode: false })
  }
}

/**
 * The request body handed to the HTTP client. The client pipes its body once per attempt, and it may send
 * a trigger again when the first attempt never reached the server (connection refused): each pipe gets a
 * fresh stream from disk, so a second attempt never sends a half-consumed one.
 */
export class ReplayableBody extends Readable {
  constructor(private readonly body: MultipartBody) {
    super()
  }

  override _read(): void {}

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    const fresh = this.body.open()
    fresh.once('error', error => {
      const writable = destination as unknown as { destroy?: (error: Error) => void }
      writable.destroy?.(error)
    })
    destination.once('close', () => fresh.destroy())
    return fresh.pipe(destination, options)
  }
}
