import { describe, expect, it } from '@jest/globals'
import { substituteEnv } from '../../src/inputs/env-references.js'

const notSet = (name: string) =>
  `environment variable ${name} is not set; set it in the step’s env:, e.g. ${name}: \${{ secrets.${name} }}`
const empty = (name: string) =>
  `environment variable ${name} is empty; set it in the step’s env:, e.g. ${name}: \${{ secrets.${name} }}`
const notEnv = (expression: string) =>
  `only \${{ env.NAME }} is read in a config file, not \${{ ${expression} }}: map it into the step’s env: and write \${{ env.NAME }}`

describe('substituteEnv', () => {
  it('leaves text without expressions as it is', () => {
    expect(substituteEnv('https://host/x', { HOST: 'h' })).toEqual({
      value: 'https://host/x',
      problems: [],
      references: []
    })
  })

  it('replaces each ${{ env.NAME }}, with or without spaces, and lists the names it read', () => {
    expect(
      substituteEnv('https://${{ env.HOST_1 }}:${{env.port}}/${{   env._Path9   }}', {
        HOST_1: 'epm.example.com',
        port: '8443',
        _Path9: 'api'
      })
    ).toEqual({
      value: 'https://epm.example.com:8443/api',
      problems: [],
      references: ['HOST_1', 'port', '_Path9']
    })
  })

  it('reads a value as it is: an expression in it is not read again', () => {
    expect(substituteEnv('${{ env.A }}', { A: '${{ env.B }}', B: 'b' }).value).toBe('${{ env.B }}')
  })

  it('names a variable that is not set, or empty, and leaves nothing in its place', () => {
    expect(substituteEnv('a${{ env.MISSING }}b${{ env.BLANK }}c', { BLANK: '' })).toEqual({
      value: 'abc',
      problems: [notSet('MISSING'), empty('BLANK')],
      references: ['MISSING', 'BLANK']
    })
  })

  it('refuses every other expression, naming it, and leaves it in the text', () => {
    expect(substituteEnv('x ${{ secrets.TOKEN }} y', { TOKEN: 't' })).toEqual({
      value: 'x ${{ secrets.TOKEN }} y',
      problems: [notEnv('secrets.TOKEN')],
      references: []
    })
    const env = { A: 'a', '1A': 'x' }
    expect(substituteEnv('${{ xenv.A }}', env).problems).toEqual([notEnv('xenv.A')])
    expect(substituteEnv("${{ env.A || 'x' }}", env).problems).toEqual([notEnv("env.A || 'x'")])
    expect(substituteEnv('${{ env.1A }}', env).problems).toEqual([notEnv('env.1A')])
    expect(substituteEnv('${{ env.A-B }}', env).problems).toEqual([notEnv('env.A-B')])
    expect(substituteEnv('${{ env.A.B }}', env).problems).toEqual([notEnv('env.A.B')])
    expect(substituteEnv('${{ envXA }}', env).problems).toEqual([notEnv('envXA')])
    expect(substituteEnv('${{ }}', env).problems).toEqual([notEnv('')])
  })

  it('takes each expression on its own, up to its own closing braces', () => {
    expect(substituteEnv('${{ env.A }}-${{ secrets.B }}-${{ env.C }}', { A: 'a', C: 'c' })).toEqual({
      value: 'a-${{ secrets.B }}-c',
      problems: [notEnv('secrets.B')],
      references: ['A', 'C']
    })
  })
})
