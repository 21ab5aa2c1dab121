import { describe, expect, it } from '@jest/globals'
import { MuleParametersSchema } from '../../src/drivers/mule-mmc/schemas.js'
import * as z from '../../src/zod.js'

// Issue 16: the schemas use zod/mini, which leaves zod's messages to its user; src/zod.ts sets the English
// ones. Without them every default message reads "Invalid input" and says nothing of what was expected.
describe('zod as the action uses it', () => {
  it('says what it expected and what it got', () => {
    const parsed = z.boolean().safeParse('yes')
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toBe('Invalid input: expected boolean, received string')
  })

  it('names the expected type in a platform parameter’s default message', () => {
    const parsed = MuleParametersSchema.safeParse({ allowPartial: 'yes' })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues.map(issue => issue.message)).toEqual([
      'Invalid input: expected boolean, received string'
    ])
  })
})

describe('zod’s configuration', () => {
  it('generates no parser code at run time (jitless)', () => {
    expect(z.config().jitless).toBe(true)
  })
})
