import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { MAX_INPUT_FILE_BYTES, readSmallTextFile } from '../../src/inputs/small-file.js'
import { tempDirSync } from '../fixtures/temp.js'

const dir = tempDirSync('ed-small-file-')

function fileOf(name: string, content: string | Buffer): string {
  const file = path.join(dir, name)
  writeFileSync(file, content)
  return file
}

describe('readSmallTextFile', () => {
  it('allows 1 MiB by default', () => {
    expect(MAX_INPUT_FILE_BYTES).toBe(1_048_576)
  })

  it('reads a regular file as UTF-8 text', () => {
    const file = fileOf('ca.pem', 'grüße ✓\n')
    const text = readSmallTextFile(file)
    expect(typeof text).toBe('string')
    expect(text).toBe('grüße ✓\n')
  })

  it('reads a file of exactly the limit and refuses one byte more, with both sizes in the message', () => {
    const exact = fileOf('exact.txt', 'x'.repeat(10))
    expect(readSmallTextFile(exact, 10)).toBe('x'.repeat(10))
    const over = fileOf('over.txt', 'x'.repeat(11))
    expect(() => readSmallTextFile(over, 10)).toThrow(
      new Error(`${over} is 11 bytes, more than the 10 allowed`)
    )
  })

  it('holds to 1 MiB when no limit is given', () => {
    const exact = fileOf('mib.txt', Buffer.alloc(MAX_INPUT_FILE_BYTES, 'a'))
    expect(readSmallTextFile(exact)).toHaveLength(MAX_INPUT_FILE_BYTES)
    const over = fileOf('mib-plus.txt', Buffer.alloc(MAX_INPUT_FILE_BYTES + 1, 'a'))
    expect(() => readSmallTextFile(over)).toThrow(
      new Error(`${over} is 1048577 bytes, more than the 1048576 allowed`)
    )
  })

  it('refuses a folder and a device by name, without reading them', () => {
    expect(() => readSmallTextFile(dir)).toThrow(new Error(`${dir} is not a regular file`))
    // /dev/zero never ends: reading it would hang the step
    expect(() => readSmallTextFile('/dev/zero')).toThrow(new Error('/dev/zero is not a regular file'))
  })

  it('passes on the error of a file that is not there', () => {
    expect(() => readSmallTextFile(path.join(dir, 'missing.pem'))).toThrow(/ENOENT/)
  })
})
