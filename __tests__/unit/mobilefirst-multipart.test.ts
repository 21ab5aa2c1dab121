import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { multipartBody, ReplayableBody, type FilePart } from '../../src/drivers/upload/multipart.js'
import { boundaryOf, MultipartScanner } from '../../simulator/mobilefirst/multipart.js'

let directory: string
const contents: Record<string, Buffer> = {}

function file(name: string, data: Buffer): FilePart {
  const full = path.join(directory, name)
  writeFileSync(full, data)
  contents[name] = data
  return { field: 'file', filename: name, path: full, size: data.length }
}

async function collect(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  await pipeline(
    body,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk)
        done()
      }
    })
  )
  return Buffer.concat(chunks)
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex')

beforeAll(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'mf-multipart-'))
})
afterAll(() => rmSync(directory, { recursive: true, force: true }))

describe('multipart encoder', () => {
  it('writes RFC 7578 parts whose length matches Content-Length', async () => {
    const parts = [file('a.adapter', Buffer.from('hello')), file('b "quoted".json', Buffer.from('{}'))]
    const body = multipartBody(parts, 'BOUNDARY')
    const bytes = await collect(body.open())
    expect(bytes.length).toBe(body.length)
    expect(body.contentType).toBe('multipart/form-data; boundary=BOUNDARY')
    expect(bytes.toString()).toBe(
      '--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="a.adapter"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\nhello\r\n' +
        '--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="b %22quoted%22.json"\r\n' +
        'Content-Type: application/octet-stream\r\n\r\n{}\r\n--BOUNDARY--\r\n'
    )
  })

  it('round-trips through the simulator’s streaming reader, whatever the chunk borders', async () => {
    const binary = Buffer.alloc(300_000)
    for (let index = 0; index < binary.length; index++) binary[index] = (index * 31) % 256
    // Data that looks like a boundary's beginning must stay data.
    const tricky = Buffer.from('\r\n--BOUNDAR\r\n--\r\n')
    const parts = [
      file('big.adapter', binary),
      file('tricky.bin', tricky),
      file('c.json', Buffer.from('{"a":1}'))
    ]
    const body = multipartBody(parts)
    const bytes = await collect(body.open())
    for (const size of [1, 7, 64, 4096, 65_536]) {
      const scanner = new MultipartScanner(boundaryOf(body.contentType) ?? '')
      for (let at = 0; at < bytes.length; at += size) scanner.write(bytes.subarray(at, at + size))
      const result = scanner.end()
      expect(result.complete).toBe(true)
      expect(result.problem).toBeUndefined()
      expect(result.parts.map(part => [part.filename, part.size, part.sha256])).toEqual(
        ['big.adapter', 'tricky.bin', 'c.json'].map(name => [
          name,
          contents[name]?.length,
          sha(contents[name] as Buffer)
        ])
      )
    }
  })

  it('tells a body cut short from a complete one', async () => {
    const body = multipartBody([file('x.adapter', Buffer.from('x'.repeat(100)))], 'B')
    const bytes = await collect(body.open())
    const scanner = new MultipartScanner('B')
    scanner.write(bytes.subarray(0, bytes.length - 10))
    expect(scanner.end()).toMatchObject({
      complete: false,
      problem: expect.stringMatching(/closing boundary/)
    })
  })

  it('fails the stream when a file changes size while it is sent', async () => {
    const part = file('changing.adapter', Buffer.from('12345'))
    const body = multipartBody([{ ...part, size: 3 }])
    await expect(collect(body.open())).rejects.toThrow(/changed while it was uploaded/)
  })

  it('gives every pipe of the request body a fresh stream', async () => {
    const body = new ReplayableBody(multipartBody([file('again.adapter', Buffer.from('again'))], 'R'))
    const first = await collect(body.pipe(new (await import('node:stream')).PassThrough()))
    const second = await collect(body.pipe(new (await import('node:stream')).PassThrough()))
    expect(second.equals(first)).toBe(true)
    expect(first.toString()).toContain('again')
  })

  it('reads boundaries from content types, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc')
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b')
    expect(boundaryOf('application/json')).toBeUndefined()
  })
})
