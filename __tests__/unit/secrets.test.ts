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

describe('Redactor.scrubValue', () => {
  it('scrubs before serializing: a secret with a quote, backslash or tab leaves no escaped form in the JSON', () => {
    for (const secret of ['tk"quote123', 'tk\\back\\slash', 'tk\ttabbed12']) {
      const redactor = new Redactor()
      redactor.add(secret)
      const json = JSON.stringify(redactor.scrubValue({ output: `echo ${secret}`, list: [secret] }))
      expect(json).toBe('{"output":"echo ***","list":["***"]}')
    }
  })

  it('blanks fields whose name says secret, in any case and inside any name', () => {
    const redactor = new Redactor()
    const names = [
      'dbPassword',
      'pwd',
      'accessToken',
      'refresh_token',
      'clientSecret',
      'privateKey',
      'Cookie'
    ]
    names.push('set-cookie', 'AUTHORIZATION', 'sessionId', 'aws_credentials', 'passphrase', 'api-key')
    const value = Object.fromEntries(names.map(name => [name, `value of ${name}`]))
    const scrubbed: Record<string, unknown> = redactor.scrubValue({
      ...value,
      status: 'S',
      count: 3,
      nested: [{ userToken: 42 }]
    })
    for (const name of names) expect(scrubbed[name]).toBe('***')
    expect(scrubbed).toMatchObject({ status: 'S', count: 3, nested: [{ userToken: '***' }] })
  })

  it('blanks the password of URLs and connection strings in any string', () => {
    const redactor = new Redactor()
    expect(
      redactor.scrubValue({
        url: 'jdbc:postgresql://app:Pa55word@db:5432/main',
        oracle: 'jdbc:oracle:thin:scott/tiger@//db:1521/svc',
        mysql: 'jdbc:mysql://db/main?user=app&password=hunter22&ssl=true',
        sqlserver: 'jdbc:sqlserver://db;user=app;password=hunter22;encrypt=true',
        plain: 'https://host/path?x=1'
      })
    ).toEqual({
      url: 'jdbc:postgresql://app:***@db:5432/main',
      oracle: 'jdbc:oracle:thin:scott/***@//db:1521/svc',
      mysql: 'jdbc:mysql://db/main?user=app&password=***&ssl=true',
      sqlserver: 'jdbc:sqlserver://db;user=app;password=***;encrypt=true',
      plain: 'https://host/path?x=1'
    })
  })

  it('blanks URL passwords in linear time, however long the text', () => {
    const redactor = new Redactor()
    const started = Date.now()
    for (const text of [
      `${'x'.repeat(1 << 20)}@=`,
      `${'a://bbbbbbbb'.repeat(100_000)}@`,
      `${'jdbc:oracle:thin:uuuu'.repeat(50_000)}@`
    ]) {
      redactor.scrub(text)
    }
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('scrubs secrets in keys too and keeps nothing as null', () => {
    const redactor = new Redactor()
    redactor.add('wordish-s3cr3t')
    expect(redactor.scrubValue({ 'wordish-s3cr3t': 'x' })).toEqual({ '***': 'x' })
    expect(redactor.scrubValue(undefined)).toBeNull()
  })
})

describe('Redactor: Basic credentials', () => {
  it('registers the password, user:password and the header value, each in every encoding', () => {
    const redactor = new Redactor()
    redactor.addBasic('alice', 'pä ss"word')
    const header = Buffer.from('alice:pä ss"word').toString('base64')
    const text = [
      'user:pass alice:pä ss"word',
      `header ${header}`,
      `url-encoded header ${encodeURIComponent(header)}`,
      `form ${new URLSearchParams({ p: 'pä ss"word' }).toString()}`,
      `json ${JSON.stringify({ p: 'pä ss"word' })}`
    ].join('\n')
    const scrubbed = redactor.scrub(text)
    expect(scrubbed).not.toContain('ss"word')
    expect(scrubbed).not.toContain(header)
    expect(scrubbed).not.toContain(encodeURIComponent(header))
    expect(scrubbed).not.toContain('ss%22word')
    expect(scrubbed).not.toContain('ss\\"word')
    expect(redactor.reveals('has pä ss"word')).toBe(true)
    expect(redactor.reveals('nothing here')).toBe(false)
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
