import { describe, expect, it } from '@jest/globals'
import { PassThrough, Readable } from 'node:stream'
import { RedactingLines, TailBuffer } from '../../src/report/logfile.js'
import { Redactor } from '../../src/secrets.js'

describe('Redactor', () => {
  it('scrubs the secret in every form it travels in', () => {
    const redactor = new Redactor()
    redactor.add('s3cr3t/token+x')
    redactor.addBasic('alice', 'pa ss')
    const basic = Buffer.from('alice:pa ss').toString('base64')
    const text = `a s3cr3t/token+x b ${encodeURIComponent('s3cr3t/token+x')} c Basic ${basic} d pa ss`
    expect(redactor.scrub(text)).toBe('a *** b *** c Basic *** d ***')
  })

  it('blanks secret-named fields and scrubs strings inside values', () => {
    const redactor = new Redactor()
    redactor.add('topsecret')
    expect(redactor.scrubValue({ token: 'anything', nested: { note: 'has topsecret inside' } })).toEqual({
      token: '***',
      nested: { note: 'has *** inside' }
    })
  })
})

describe('RedactingLines', () => {
  it('scrubs secrets split across chunks and hands every line to the tail', async () => {
    const redactor = new Redactor()
    redactor.add('SECRETVALUE')
    const lines: string[] = []
    const transform = new RedactingLines(redactor, line => lines.push(line))
    const out = new PassThrough()
    const chunks: string[] = []
    out.on('data', chunk => chunks.push(String(chunk)))
    Readable.from(['line one SECRET', 'VALUE end\nline two\n', 'last line']).pipe(transform).pipe(out)
    await new Promise(resolve => out.on('end', resolve))
    expect(chunks.join('')).toBe('line one *** end\nline two\nlast line')
    expect(lines).toEqual(['line one *** end', 'line two', 'last line'])
  })
})

describe('TailBuffer', () => {
  it('keeps only the last lines, each cut to a readable length', () => {
    const tail = new TailBuffer(2)
    for (const line of ['a', 'b', 'c', 'x'.repeat(1000)]) tail.push(line)
    expect(tail.value).toHaveLength(2)
    expect(tail.value[0]).toBe('c')
    expect(tail.value[1]?.length).toBeLessThan(410)
  })
})
