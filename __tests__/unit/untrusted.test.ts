import { describe, expect, it } from '@jest/globals'
import { Redactor } from '../../src/secrets.js'
import { forStepLog, neutraliseCommands, singleLine, stripControls } from '../../src/text/untrusted.js'

/** Commands as the runner finds them: lines split on \n and \r, `::` after trimming, `##[` anywhere. */
function commandsIn(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter(line => line.trim().startsWith('::') || line.includes('##['))
}

describe('stripControls', () => {
  it('removes ANSI colours, OSC-8 links, C0 and C1 controls and bidi overrides; keeps tab and newline', () => {
    const hostile =
      '\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 bell\x07 nul\x00 c1\x85\x9b31m ' +
      'bidi\u202eoverride\u2066isolate\u2069 tab\tnewline\nend'
    expect(stripControls(hostile)).toBe('red link bell nul c1 bidioverrideisolate tab\tnewline\nend')
  })

  it('turns CR LF and a lone CR into a newline', () => {
    expect(stripControls('a\r\nb\rc')).toBe('a\nb\nc')
  })
})

describe('singleLine', () => {
  it('puts CR and LF on one line', () => {
    expect(singleLine('123\r\n::warning::x\ry')).toBe('123 ::warning::x y')
  })
})

describe('neutraliseCommands', () => {
  it('leaves no line that the runner would parse as a command', () => {
    const hostile = [
      '::warning title=PWNED::x',
      '  ::stop-commands::TOKEN',
      '\t::add-mask::everything',
      'text ##[error]mid-line',
      '##[group]legacy',
      'plain :: colons'
    ].join('\n')
    expect(commandsIn(hostile)).toHaveLength(5)
    const inert = neutraliseCommands(hostile)
    expect(commandsIn(inert)).toEqual([])
    // Still readable: only zero-width characters were added.
    expect(inert.replace(/\u200b/g, '')).toBe(hostile)
  })

  it('is what forStepLog does after stripping controls, so a CR cannot start a new line', () => {
    const redactor = new Redactor()
    redactor.add('s3cret-value')
    const printed = forStepLog('deploying s3cret-value\r::error::PWNED\x1b[2K', redactor)
    expect(commandsIn(printed)).toEqual([])
    expect(printed).toBe('deploying ***\n\u200b::error::PWNED')
  })
})
