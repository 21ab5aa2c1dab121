/**
 * A streaming multipart/form-data reader (RFC 7578): it counts and hashes each part's bytes as they pass
 * and keeps only a boundary's worth of them, so a 100 MB deployable is never held in memory.
 */
import { createHash, type Hash } from 'node:crypto'

export interface ReceivedPart {
  /** The form field name of Content-Disposition. */
  field: string
  filename?: string
  contentType?: string
  size: number
  sha256: string
  /** A field without a filename (`name`, `version`): its first 64 KiB as UTF-8 text. */
  value?: string
}

const KEPT_FIELD_BYTES = 64 * 1024

export interface MultipartResult {
  parts: ReceivedPart[]
  /** Whether the closing delimiter arrived: a body cut short is not complete. */
  complete: boolean
  /** What was wrong with the body's structure, if anything. */
  problem?: string
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return undefined
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return match?.[1] ?? match?.[2]
}

function headerParameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header)
  return match?.[1]?.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n')
}

type State = 'preamble' | 'headers' | 'body' | 'after-delimiter' | 'done'

export class MultipartScanner {
  private readonly delimiter: Buffer
  private pending: Buffer
  private state: State = 'preamble'
  private current?: {
    field: string
    filename?: string
    contentType?: string
    size: number
    hash: Hash
    kept: Buffer[]
  }
  private readonly parts: ReceivedPart[] = []
  private problem?: string

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`)
    // The first delimiter has no CRLF before it; pretend it had one.
    this.pending = Buffer.from('\r\n')
  }

  write(chunk: Buffer): void {
    if (this.state === 'done' || this.problem) return
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk
    this.scan()
  }

  end(): MultipartResult {
    if (!this.problem && this.state !== 'done') this.problem = 'the body ended before the closing boundary'
    return { parts: this.parts, complete: this.state === 'done', problem: this.problem }
  }

  private scan(): void {
    for (;;) {
      switch (this.state) {
        case 'preamble':
        case 'body': {
          const at = this.pending.indexOf(this.delimiter)
          if (at < 0) {
            // Keep what could be the start of a delimiter; the rest is part data (or preamble).
            const keep = Math.min(this.pending.length, this.delimiter.length - 1)
            this.consumeData(this.pending.subarray(0, this.pending.length - keep))
            this.pending = Buffer.from(this.pending.subarray(this.pending.length - keep))
            return
          }
          this.consumeData(this.pending.subarray(0, at))
          this.finishPart()
          this.pending = this.pending.subarray(at + this.delimiter.length)
          this.state = 'after-delimiter'
          break
        }
        case 'after-delimiter': {
          if (this.pending.length < 2) return
          const next = this.pending.subarray(0, 2).toString('latin1')
          if (next === '--') {
            this.state = 'done'
            return
          }
          if (next !== '\r\n') {
            this.problem = 'a boundary is not followed by CRLF'
            return
          }
          this.pending = this.pending.subarray(2)
          this.state = 'headers'
          break
        }
        case 'headers': {
          const end = this.pending.indexOf('\r\n\r\n')
          if (end < 0) {
            if (this.pending.length > 16 * 1024) this.problem = 'part headers longer than 16 KiB'
            return
          }
          this.startPart(this.pending.subarray(0, end).toString('utf8'))
          if (this.problem) return
          this.pending = this.pending.subarray(end + 4)
          this.state = 'body'
          break
        }
        case 'done':
          return
      }
    }
  }

  private startPart(headerText: string): void {
    const headers = new Map<string, string>()
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const disposition = headers.get('content-disposition') ?? ''
    if (!/^form-data\b/i.test(disposition)) {
      this.problem = 'a part has no Content-Disposition: form-data header'
      return
    }
    this.current = {
      field: headerParameter(disposition, 'name') ?? '',
      filename: headerParameter(disposition, 'filename'),
      contentType: headers.get('content-type'),
      size: 0,
      hash: createHash('sha256'),
      kept: []
    }
  }

  private consumeData(data: Buffer): void {
    if (this.state !== 'body' || !this.current || data.length === 0) return
    if (this.current.filename === undefined && this.current.size < KEPT_FIELD_BYTES)
      this.current.kept.push(Buffer.from(data.subarray(0, KEPT_FIELD_BYTES - this.current.size)))
    this.current.size += data.length
    this.current.hash.update(data)
  }

  private finishPart(): void {
    if (this.state !== 'body' || !this.current) return
    const { hash, kept, ...part } = this.current
    const value = part.filename === undefined ? Buffer.concat(kept).toString('utf8') : undefined
    this.parts.push({ ...part, sha256: hash.digest('hex'), ...(value === undefined ? {} : { value }) })
    this.current = undefined
  }
}
