import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { newBoundary, ReplayableBody, type MultipartBody } from '../upload/multipart.js'

/** The file part of erp/upload_file: read from disk while it is sent, never held whole. */
export interface UploadFile {
  path: string
  filename: string
  size: number
}

const CRLF = '\r\n'

function quoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')
}

/**
 * `multipart/form-data` with text fields and one `file` part, the form `erp/upload_file` takes (REST API
 * Guide v1.3 and docs/modules/erp/upload-file.md: `-F 'file=@…' -F 'name=…' -F 'delimiter_char=…'
 * -F 'enclosing_char=…'`). Its exact length is known, so it is sent with Content-Length.
 */
export function uploadForm(
  fields: Record<string, string>,
  file: UploadFile,
  boundary = newBoundary()
): MultipartBody {
  const head = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoted(name)}"${CRLF}${CRLF}${value}${CRLF}`
      )
      .join('') +
      `--${boundary}${CRLF}Content-Disposition: form-data; name="file"; filename="${quoted(file.filename)}"${CRLF}` +
      `Content-Type: application/octet-stream${CRLF}${CRLF}`,
    'utf8'
  )
  const tail = Buffer.from(`${CRLF}--${boundary}--${CRLF}`)

  async function* generate(): AsyncGenerator<Buffer> {
    yield head
    let read = 0
    for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
      read += (chunk as Buffer).length
      if (read > file.size) break
      yield chunk as Buffer
    }
    if (read !== file.size)
      throw new Error(`${file.filename} changed while it was uploaded (${file.size} bytes expected)`)
    yield tail
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
    open: () => Readable.from(generate(), { objectMode: false })
  }
}

/** The body to hand the HTTP client: a fresh stream from disk for every attempt. */
export function replayable(body: MultipartBody): ReplayableBody {
  return new ReplayableBody(body)
}
