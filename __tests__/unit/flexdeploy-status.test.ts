import { describe, expect, it } from '@jest/globals'
import { aggregate, isKnownStatus, labelOf, stateOf } from '../../src/drivers/flexdeploy/status.js'

const reading = (id: number, code: string) => ({
  id,
  code,
  subject: 'ProcessHRRequest 1.0.8',
  details: { id, code }
})

describe('FlexDeploy workflow request statuses', () => {
  it.each([
    ['INITIATED', 'running', 'initiated'],
    ['PENDING_APPROVAL', 'running', 'waiting for approval'],
    ['SCHEDULED', 'running', 'scheduled'],
    ['READY', 'running', 'ready'],
    ['SUBMITTED', 'running', 'running'],
    ['COMPLETED', 'succeeded', 'completed'],
    ['FAILED', 'failed', 'failed'],
    ['REJECTED', 'failed', 'rejected'],
    ['ABORTED', 'canceled', 'aborted']
  ])('maps %s to %s (%s)', (code, state, label) => {
    expect(stateOf(code)).toBe(state)
    expect(labelOf(code)).toBe(label)
    expect(isKnownStatus(code)).toBe(true)
  })

  it('keeps polling on an unknown status, never calling it success', () => {
    expect(isKnownStatus('PAUSED')).toBe(false)
    expect(aggregate([reading(1, 'PAUSED')])).toMatchObject({
      state: 'running',
      code: 'PAUSED',
      label: "unknown status 'PAUSED'",
      message:
        "Workflow request 1 (ProcessHRRequest 1.0.8) has status 'PAUSED', unknown to this action; still waiting"
    })
  })

  it('says plainly that a request awaits approval in FlexDeploy', () => {
    expect(aggregate([reading(12001, 'PENDING_APPROVAL')])).toMatchObject({
      state: 'running',
      label: 'waiting for approval',
      message:
        'Workflow request 12001 (ProcessHRRequest 1.0.8) is waiting for approval in FlexDeploy; it starts only once an approver approves it there'
    })
  })

  it('keeps several requests running until all ended, showing the one awaiting approval first', () => {
    const status = aggregate([
      reading(1, 'COMPLETED'),
      reading(2, 'SUBMITTED'),
      reading(3, 'PENDING_APPROVAL')
    ])
    expect(status.state).toBe('running')
    expect(status.label).toBe('waiting for approval')
    expect(status.code).toBe('1:COMPLETED, 2:SUBMITTED, 3:PENDING_APPROVAL')
    expect(status.message).toMatch(/^Workflow request 3 .* \(1 of 3 workflow requests ended\)$/)
  })

  it('succeeds only when every request completed', () => {
    expect(aggregate([reading(1, 'COMPLETED'), reading(2, 'COMPLETED')])).toMatchObject({
      state: 'succeeded',
      message: 'All 2 workflow requests completed (1, 2)'
    })
  })

  it('fails when one request failed or was rejected, naming it', () => {
    expect(aggregate([reading(1, 'COMPLETED'), reading(2, 'FAILED'), reading(3, 'ABORTED')])).toMatchObject({
      state: 'failed',
      label: 'failed',
      message: 'Workflow request 2 (ProcessHRRequest 1.0.8) failed; 1 of 3 workflow requests completed'
    })
    expect(aggregate([reading(1, 'REJECTED')])).toMatchObject({ state: 'failed', label: 'rejected' })
  })

  it('keeps following the others but carries the known failure when one of several was rejected, failed or aborted', () => {
    const status = aggregate([
      reading(5001, 'REJECTED'),
      reading(5002, 'SUBMITTED'),
      reading(5003, 'COMPLETED')
    ])
    expect(status.state).toBe('running')
    expect(status.failure).toBe(
      'Workflow request 5001 (ProcessHRRequest 1.0.8) was rejected by an approver in FlexDeploy; workflow request 5002 did not finish'
    )
    expect(status.message).toContain('was rejected')
    expect(
      aggregate([
        reading(1, 'ABORTED'),
        reading(2, 'FAILED'),
        reading(3, 'READY'),
        reading(4, 'PENDING_APPROVAL')
      ]).failure
    ).toBe(
      'Workflow request 1 (ProcessHRRequest 1.0.8) was aborted in FlexDeploy; Workflow request 2 (ProcessHRRequest 1.0.8) failed; workflow requests 3, 4 did not finish'
    )
    expect(aggregate([reading(1, 'COMPLETED'), reading(2, 'SUBMITTED')]).failure).toBeUndefined()
  })

  it('is canceled when requests were aborted and none failed', () => {
    expect(aggregate([reading(1, 'COMPLETED'), reading(2, 'ABORTED')])).toMatchObject({
      state: 'canceled',
      message:
        'Workflow request 2 (ProcessHRRequest 1.0.8) was aborted in FlexDeploy; 1 of 2 workflow requests completed'
    })
  })

  it('reads statuses whatever their case', () => {
    expect(stateOf('completed')).toBe('succeeded')
    expect(aggregate([reading(1, 'pending_approval')]).label).toBe('waiting for approval')
  })
})
