import { describe, expect, it } from '@jest/globals'
import type { DriverDefinition } from '../../src/drivers/driver.js'
import { authFor } from '../../src/engine/auth.js'
import type { Deployment } from '../../src/inputs/schema.js'

/** Only what authFor reads: how the platform authenticates, and the deployment's credentials. */
const platform = (how: Pick<DriverDefinition, 'credentials' | 'tokenPlacement' | 'tokenScheme'>) =>
  how as DriverDefinition
const withCredentials = (credentials: Deployment['credentials']) => ({ credentials }) as Deployment

const all = { token: 'tok-1', username: 'deployer', password: 'pw-2' }

describe('authFor', () => {
  it('sends username and password on a basic platform, never the token', () => {
    expect(authFor(platform({ credentials: 'basic' }), withCredentials(all))).toEqual({
      kind: 'basic',
      username: 'deployer',
      password: 'pw-2'
    })
  })

  it('is basic whatever token placement a basic platform names', () => {
    const basic = platform({ credentials: 'basic', tokenPlacement: 'query', tokenScheme: 'Token' })
    expect(authFor(basic, withCredentials(all))).toEqual({
      kind: 'basic',
      username: 'deployer',
      password: 'pw-2'
    })
  })

  it('sends empty strings for missing basic credentials (the inputs check says which one is missing)', () => {
    expect(authFor(platform({ credentials: 'basic' }), withCredentials({}))).toEqual({
      kind: 'basic',
      username: '',
      password: ''
    })
  })

  it('puts the token in the `token` query parameter where the platform takes it there (BMC RPM)', () => {
    const query = platform({ credentials: 'token', tokenPlacement: 'query', tokenScheme: 'Token' })
    expect(authFor(query, withCredentials(all))).toEqual({
      kind: 'token-query',
      parameter: 'token',
      token: 'tok-1'
    })
    expect(authFor(query, withCredentials({}))).toEqual({
      kind: 'token-query',
      parameter: 'token',
      token: ''
    })
  })

  it('sends the token in the Authorization header with the platform’s scheme (EPMware: Token)', () => {
    const header = platform({ credentials: 'token', tokenPlacement: 'header', tokenScheme: 'Token' })
    expect(authFor(header, withCredentials(all))).toEqual({
      kind: 'token-header',
      scheme: 'Token',
      token: 'tok-1'
    })
  })

  it('uses the header with scheme Bearer when the platform names neither placement nor scheme', () => {
    expect(authFor(platform({ credentials: 'token' }), withCredentials({ token: 'tok-1' }))).toEqual({
      kind: 'token-header',
      scheme: 'Bearer',
      token: 'tok-1'
    })
    expect(authFor(platform({ credentials: 'token' }), withCredentials({}))).toEqual({
      kind: 'token-header',
      scheme: 'Bearer',
      token: ''
    })
  })
})
