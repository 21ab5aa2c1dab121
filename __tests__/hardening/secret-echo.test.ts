/**
 * Property: whatever the credential (printable ASCII and some characters beyond it) and however a hostile
 * server echoes it back — raw, JSON-, URL- (%20 and +), HTML-, XML- or backslash-escaped, base64 and
 * base64url at each alignment, hex; in a refusal's JSON, text, HTML or XML body, or in the platform's own
 * messages, details and logs — it appears in no output, no summary, no stdout or stderr line
 * (`::add-mask::` aside) and no file under RUNNER_TEMP. Every platform's driver, through the bundle.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { everythingWritten, runAction } from '../e2e/run-action.js'
import { ECHO_PLATFORMS, echoes, echoText, startEchoFront, USER, type Refusal } from './support/echo.js'

const ascii = fc.integer({ min: 0x21, max: 0x7e }).map(code => String.fromCharCode(code))
const asciiOrSpace = fc.integer({ min: 0x20, max: 0x7e }).map(code => String.fromCharCode(code))
const beyond = fc.constantFrom('é', 'ß', '€', '日', 'Ж', '😀')

/** 8 to 20 characters; inputs are trimmed, so no space at either end. */
function credential(asciiOnly: boolean) {
  const middle = asciiOnly
    ? asciiOrSpace
    : fc.oneof({ weight: 8, arbitrary: asciiOrSpace }, { weight: 2, arbitrary: beyond })
  return fc
    .tuple(ascii, fc.array(middle, { minLength: 6, maxLength: 18 }), ascii)
    .map(([first, chars, last]) => `${first}${chars.join('')}${last}`)
}

const refusal: fc.Arbitrary<Refusal> = fc.record({
  when: fc.constantFrom<Refusal['when']>('first', 'trigger', 'read'),
  status: fc.constantFrom(400, 401, 404, 409, 422),
  kind: fc.constantFrom<Refusal['kind']>('json', 'text', 'html', 'xml')
})

describe('a credential echoed back in any encoding is written nowhere', () => {
  for (const setup of ECHO_PLATFORMS) {
    it(`${setup.platform}`, async () => {
      const how = setup.remoteEcho
        ? fc.oneof(fc.record({ refusal }), fc.constant({ remote: true as const }))
        : fc.record({ refusal })
      let reached = 0
      await fc.assert(
        fc.asyncProperty(credential(setup.asciiOnly), how, async (secret, mode) => {
          const basic = Buffer.from(`${USER}:${secret}`).toString('base64')
          const secrets = setup.credential === 'password' ? [secret, `${USER}:${secret}`, basic] : [secret]
          const remote = 'remote' in mode
          const sim = await setup.start(secret, remote ? echoText(secrets) : undefined)
          const front = await startEchoFront(
            sim.url,
            secrets,
            'refusal' in mode
              ? { ...mode.refusal, isTrigger: setup.isTrigger, isRead: setup.isRead }
              : undefined
          )
          try {
            const run = await runAction(setup.inputs(front.url, secret), { env: setup.env?.() })
            const written = everythingWritten(run)
            expect(run.code === 0 || run.code === 1).toBe(true)
            // Some refusals are reported without their body; count the runs the echo reached.
            if (written.includes('***')) reached++
            for (const value of secrets) {
              for (const [encoding, form] of Object.entries(echoes(value))) {
                if (form.length < 8) continue
                if (written.includes(form))
                  throw new Error(`the ${encoding} form of a credential was written`)
              }
            }
          } finally {
            await front.close()
            await sim.close()
          }
        }),
        {
          numRuns: 4,
          endOnFailure: true,
          // One run the echo surely reaches: a JSON refusal of the trigger, its message field shown.
          examples: [['Pa55"w0rd é/+', { refusal: { when: 'trigger', status: 400, kind: 'json' } }]]
        }
      )
      expect(reached).toBeGreaterThan(0)
    }, 60_000)
  }
})
