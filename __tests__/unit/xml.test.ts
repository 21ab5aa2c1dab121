import { describe, expect, it } from '@jest/globals'
import { parseXml } from '../../src/http/body.js'

describe('parseXml', () => {
  it('decodes the predefined entities and character references once, for every driver', () => {
    expect(
      parseXml('<event reason="a &amp; b &#62; c" note="&amp;lt;"><message>x &lt; y&#x21;</message></event>')
    ).toEqual({
      event: { reason: 'a & b > c', note: '&lt;', message: 'x < y!' }
    })
  })

  it('refuses any DOCTYPE or entity declaration before parsing', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')).toThrow(
      /DOCTYPE or entity declarations/
    )
  })
})
