import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { multipartBody } from '../../src/drivers/upload/multipart.js'
import { MultipartScanner } from '../../simulator/multipart.js'

describe('multipart bodies with form fields (the Mule MMC repository upload)', () => {
  it('sends a file and text fields; Content-Length is exact and the reader gets the fields back', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'fields-'))
    try {
      const data = Buffer.from('PK\u0003\u0004 archive bytes')
      const file = path.join(folder, 'app.zip')
      writeFileSync(file, data)
      const body = multipartBody(
        [
          {
            field: 'file',
            filename: 'app.zip',
            path: file,
            size: data.length,
            contentType: 'application/zip'
          },
          { field: 'name', value: 'Café-app' },
          { field: 'version', value: '1.0' }
        ],
        'B0UNDARY'
      )
      const chunks: Buffer[] = []
      for await (const chunk of body.open()) chunks.push(chunk as Buffer)
      const all = Buffer.concat(chunks)
      expect(all.length).toBe(body.length)
      const scanner = new MultipartScanner('B0UNDARY')
      scanner.write(all)
      const result = scanner.end()
      expect(result.complete).toBe(true)
      expect(result.parts.map(part => [part.field, part.filename, part.value])).toEqual([
        ['file', 'app.zip', undefined],
        ['name', undefined, 'Café-app'],
        ['version', undefined, '1.0']
      ])
      expect(result.parts[0]?.sha256).toBe(createHash('sha256').update(data).digest('hex'))
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
