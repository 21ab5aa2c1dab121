import { describe, expect, it } from '@jest/globals'
import { blankUrlPasswords, isSecretField, SECRET_FIELD_PARTS } from '../../src/secrets/fields.js'

const blank = (text: string) => blankUrlPasswords(text, '***')

describe('isSecretField', () => {
  it('knows the parts SECURITY.md lists, by value', () => {
    expect(SECRET_FIELD_PARTS).toEqual([
      'pass',
      'pwd',
      'secret',
      'token',
      'key',
      'credential',
      'cookie',
      'authorization',
      'session'
    ])
  })

  it.each(SECRET_FIELD_PARTS.flatMap(part => [part, `x${part.toUpperCase()}y`]))('%s is secret', name =>
    expect(isSecretField(name)).toBe(true)
  )

  it.each(['status', 'name', 'id', 'user', 'url', 'message', ''])('%p is not', name =>
    expect(isSecretField(name)).toBe(false)
  )
})

describe('blankUrlPasswords', () => {
  it.each([
    ['https://user:hunter22@host/x', 'https://user:***@host/x'],
    ['see HTTPS://User:Hunter22@host', 'see HTTPS://User:***@host'],
    ['a s://u:p@h b', 'a s://u:***@h b'],
    ['svn+ssh://u:p@h', 'svn+ssh://u:***@h'],
    ['x.y-z://u:p@h', 'x.y-z://u:***@h'],
    ['ftp://:p@h', 'ftp://:***@h'],
    ['ftp://u:@h', 'ftp://u:***@h'],
    ['two https://a:one1@h and https://b:two2@h', 'two https://a:***@h and https://b:***@h'],
    ['no password https://user@host/x', 'no password https://user@host/x'],
    ['a path https://host/a:b@c', 'a path https://host/a:b@c'],
    ['a query https://host?a:b@c', 'a query https://host?a:b@c'],
    ['a fragment https://host#a:b@c', 'a fragment https://host#a:b@c'],
    ['spaced https://u:p w@h', 'spaced https://u:p w@h'],
    ['1http://u:p@h', '1http://u:***@h'],
    [`${'s'.repeat(32)}://u:p@h`, `${'s'.repeat(32)}://u:***@h`],
    [`${'s'.repeat(33)}://u:p@h`, `${'s'.repeat(33)}://u:***@h`],
    [`https://${'u'.repeat(256)}:p@h`, `https://${'u'.repeat(256)}:***@h`],
    [`https://u:${'p'.repeat(256)}@h`, 'https://u:***@h']
  ])('URL %s → %s', (text, expected) => expect(blank(text)).toBe(expected))

  it.each([
    ['jdbc:oracle:thin:scott/tiger@//db:1521/svc', 'jdbc:oracle:thin:scott/***@//db:1521/svc'],
    ['JDBC:ORACLE:OCI:scott/tiger@db', 'JDBC:ORACLE:OCI:scott/***@db'],
    ['jdbc:oracle:thin:scott/@db', 'jdbc:oracle:thin:scott/***@db'],
    ['jdbc:oracle:thin:scott/ti ger@db', 'jdbc:oracle:thin:scott/ti ger@db'],
    ['jdbc:oracle:thin:/tiger@db', 'jdbc:oracle:thin:/tiger@db'],
    [`jdbc:oracle:${'t'.repeat(16)}:scott/tiger@db`, `jdbc:oracle:${'t'.repeat(16)}:scott/***@db`],
    [`jdbc:oracle:${'t'.repeat(17)}:scott/tiger@db`, `jdbc:oracle:${'t'.repeat(17)}:scott/tiger@db`],
    ['jdbc:oracle:thin:scott/tiger no at', 'jdbc:oracle:thin:scott/tiger no at']
  ])('Oracle %s → %s', (text, expected) => expect(blank(text)).toBe(expected))

  it.each([
    [
      'jdbc:mysql://db/main?user=app&password=hunter22&ssl=true',
      'jdbc:mysql://db/main?user=app&password=***&ssl=true'
    ],
    [
      'jdbc:sqlserver://db;user=app;password=hunter22;encrypt=true',
      'jdbc:sqlserver://db;user=app;password=***;encrypt=true'
    ],
    ['x?passwd=a b', 'x?passwd=*** b'],
    ['x&pwd=a', 'x&pwd=***'],
    ['x;PASS=a', 'x;PASS=***'],
    ['x?Password=', 'x?Password=***'],
    ['x?password=a&password=b', 'x?password=***&password=***'],
    ['password=first', 'password=first'],
    ['x?user=a&passwordHint=b', 'x?user=a&passwordHint=b'],
    ['x?pass_word=a', 'x?pass_word=a']
  ])('query %s → %s', (text, expected) => expect(blank(text)).toBe(expected))

  it('uses the replacement it is given', () => {
    expect(blankUrlPasswords('https://u:p@h x?pwd=q jdbc:oracle:thin:s/t@h', '[hidden]')).toBe(
      'https://u:[hidden]@h x?pwd=[hidden] jdbc:oracle:thin:s/[hidden]@h'
    )
  })
})

describe('blankUrlPasswords: passwords in unusual places', () => {
  it('blanks a password that holds an unencoded @ up to the host', () => {
    expect(blank('GET https://deployer:p@ss@host/api')).toBe('GET https://deployer:***@host/api')
  })

  it('blanks a password of a kilobyte', () => {
    const long = 'x'.repeat(1000)
    expect(blank(`https://deployer:${long}@host/`)).toBe('https://deployer:***@host/')
  })

  it('blanks the password after a scheme that starts with a digit', () => {
    expect(blank('see 1http://deployer:secret1@host')).toBe('see 1http://deployer:***@host')
  })
})
