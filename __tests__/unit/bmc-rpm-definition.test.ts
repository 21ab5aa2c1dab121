import { describe, expect, it } from '@jest/globals'
import { bmcRpm } from '../../src/drivers/bmc-rpm/index.js'
import { validationErrors } from '../../src/drivers/bmc-rpm/errors.js'
import { EventSchema } from '../../src/drivers/bmc-rpm/schemas.js'
import { parseXml } from '../../src/http/body.js'
import { parameterProblems } from '../../src/inputs/plan.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'

function deployment(operation: string, parameters: Record<string, unknown> = {}, target = '12'): Deployment {
  return testDeployment({
    platform: 'bmc-rpm',
    baseUrl: 'https://rpm.example.com',
    operation,
    target,
    parameters,
    credentials: { token: 'secret-token' }
  })
}

const problems = (operation: string, parameters: Record<string, unknown> = {}, target = '12') =>
  bmcRpm.validate(deployment(operation, parameters, target)).map(problem => problem.problem)

describe('bmc-rpm input checks, before anything is sent', () => {
  it('accepts each operation with what it needs', () => {
    expect(problems('check-window')).toEqual([])
    expect(problems('wait-for-window')).toEqual([])
    expect(problems('suspend', { reason: 'Change freeze' })).toEqual([])
    expect(problems('resume', { reason: 'Freeze lifted' })).toEqual([])
    expect(
      problems('move', {
        reason: 'Moved',
        start_at: '2026-05-01T22:00:00+02:00',
        finish_at: '2026-05-01T23:30:00+02:00'
      })
    ).toEqual([])
  })

  it('requires a reason for every state change', () => {
    for (const operation of ['suspend', 'resume', 'move'])
      expect(problems(operation).join('\n')).toMatch(/reason is required with operation: /)
  })

  it('requires both times for move, and start before finish', () => {
    expect(problems('move', { reason: 'r' })).toEqual([
      expect.stringMatching(/^start_at is required with operation: move/),
      expect.stringMatching(/^finish_at is required with operation: move/)
    ])
    expect(
      problems('move', {
        reason: 'r',
        start_at: '2026-05-01T22:00:00+02:00',
        finish_at: '2026-05-01T21:00:00+02:00'
      })
    ).toEqual(['start_at must be before finish_at'])
    // Same instant written in two zones: not before.
    expect(
      problems('move', {
        reason: 'r',
        start_at: '2026-05-01T22:00:00+02:00',
        finish_at: '2026-05-01T20:00:00Z'
      })
    ).toEqual(['start_at must be before finish_at'])
  })

  it('refuses parameters that an operation does not use; takes a target that is not an event id as an environment', () => {
    expect(problems('check-window', { reason: 'r', start_at: '2026-05-01T22:00:00Z' })).toEqual([
      'reason applies only to suspend, resume and move',
      'start_at applies only to operation: move'
    ])
    expect(problems('check-window', {}, 'QA-window')).toEqual([])
    expect(problems('check-window', { environment: 'QA' }, 'QA-window')).toEqual([
      'give either target or parameters.environment (QA), not both'
    ])
    expect(problems('check-window', { series: 'Weekly' }, '12')).toEqual([
      'series applies only with an environment (target as an environment name, or parameters.environment), not with an event id'
    ])
    expect(
      bmcRpm.validate({ ...deployment('check-window'), target: undefined, parameters: { environment: 'QA' } })
    ).toEqual([])
    expect(bmcRpm.validate({ ...deployment('check-window'), target: undefined })[0]?.problem).toMatch(
      /is required for bmc-rpm: a deployment window event id \(e.g. 12\) or an environment name/
    )
  })

  it('refuses a time without its offset, naming the format', () => {
    const checked = parameterProblems(bmcRpm, { reason: 'r', start_at: '11th Apr 2014 05:00', finsh_at: 'x' })
    expect(checked.problems.map(problem => problem.problem).sort()).toEqual([
      "unknown key 'finsh_at' for bmc-rpm; valid keys: reason, start_at, finish_at, environment, series",
      'use an ISO 8601 date and time with its offset, e.g. 2026-05-01T22:00:00+02:00'
    ])
  })
})

// The sample XML of the REST deployment window events page.
const SAMPLE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<event>
 <created-at type="datetime">2014-04-11T07:44:33-04:00</created-at>
 <finish-at type="datetime">2014-04-24T10:30:00-04:00</finish-at>
 <id type="integer">12</id>
 <reason nil="true"/>
 <start-at type="datetime">2014-04-24T08:00:00-04:00</start-at>
 <state>created</state>
 <updated-at type="datetime">2014-04-11T07:44:33-04:00</updated-at>
 <environment>
   <id type="integer">3</id>
   <name>QA environment closed</name>
 </environment>
 <occurrence>
   <finish-at type="datetime">2014-04-24T10:30:00-04:00</finish-at>
   <id type="integer">12</id>
   <position type="integer">10</position>
   <start-at type="datetime">2014-04-24T08:00:00-04:00</start-at>
 </occurrence>
 <series>
   <behavior>allow</behavior>
   <id type="integer">3</id>
   <name>Allow DW Test series</name>
 </series>
</event>`

const SAMPLE_JSON = {
  created_at: '2014-04-11T07:44:33-04:00',
  finish_at: '2014-04-24T10:30:00-04:00',
  id: 12,
  reason: null,
  start_at: '2014-04-24T08:00:00-04:00',
  state: 'created',
  updated_at: '2014-04-11T07:44:33-04:00',
  environment: { id: 3, name: 'QA environment closed' },
  occurrence: {
    finish_at: '2014-04-24T10:30:00-04:00',
    id: 12,
    position: 10,
    start_at: '2014-04-24T08:00:00-04:00'
  },
  series: { behavior: 'allow', id: 3, name: 'Allow DW Test series' }
}

describe('the event schema', () => {
  it('reads the page’s XML sample exactly as its JSON sample', () => {
    const fromXml = EventSchema.parse(parseXml(SAMPLE_XML))
    const fromJson = EventSchema.parse(SAMPLE_JSON)
    expect(fromXml).toEqual(fromJson)
    expect(fromJson).toMatchObject({
      id: 12,
      state: 'created',
      reason: null,
      start_at: { text: '2014-04-24T08:00:00-04:00', ms: Date.UTC(2014, 3, 24, 12) },
      series: { behavior: 'allow', name: 'Allow DW Test series' },
      occurrence: { position: 10 }
    })
  })

  it('reads an event without its associations (filters[alone]=true)', () => {
    const { environment, occurrence, series, ...alone } = SAMPLE_JSON
    void environment
    void occurrence
    void series
    expect(EventSchema.parse(alone).series).toBeUndefined()
  })

  it('refuses an unknown series behavior', () => {
    const result = EventSchema.safeParse({
      ...SAMPLE_JSON,
      series: { ...SAMPLE_JSON.series, behavior: 'maybe' }
    })
    expect(result.success).toBe(false)
  })
})

describe('validationErrors', () => {
  it('lists every message of a Rails errors hash, base messages as they are', () => {
    expect(
      validationErrors({
        base: ["Can't move suspended event.", 'Start date is before current date'],
        reason: ["can't be blank"]
      })
    ).toEqual(["Can't move suspended event.", 'Start date is before current date', "reason can't be blank"])
  })

  it('lists Rails’ XML errors', () => {
    expect(
      validationErrors(parseXml("<errors><error>Reason can't be blank</error><error>B</error></errors>"))
    ).toEqual(["Reason can't be blank", 'B'])
    expect(validationErrors(parseXml('<errors><error>Only one</error></errors>'))).toEqual(['Only one'])
  })
})
