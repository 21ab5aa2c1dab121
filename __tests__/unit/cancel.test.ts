import { describe, expect, it } from '@jest/globals'
import type { Driver } from '../../src/drivers/driver.js'
import { noCancelSentence, requestRemoteCancel } from '../../src/engine/cancel.js'
import { ActionError } from '../../src/errors.js'

const task = { id: 'T-42' }
const onTimeout = { enabled: true, input: 'cancel-on-timeout' as const }

/** A driver that records its cancel calls; only `cancel` is ever used by requestRemoteCancel. */
function driverWith(cancel?: Driver['cancel']): { driver: Driver; calls: unknown[][] } {
  const calls: unknown[][] = []
  const driver = (
    cancel
      ? {
          cancel: (...args: Parameters<NonNullable<Driver['cancel']>>) => {
            calls.push(args)
            return cancel(...args)
          }
        }
      : {}
  ) as Driver
  return { driver, calls }
}

describe('noCancelSentence', () => {
  it('starts the reason with a capital and names the task', () => {
    expect(noCancelSentence('the API has no cancel', 'T-1')).toBe(
      'The API has no cancel: task T-1 may still be running on the server.'
    )
  })
})

describe('requestRemoteCancel', () => {
  const signal = new AbortController().signal

  it('asks nothing when nothing runs on the server, saying why', async () => {
    const { driver, calls } = driverWith(async () => 'ok')
    expect(await requestRemoteCancel(driver, task, signal, { nothingRunsRemotely: true }, onTimeout)).toEqual(
      {
        said: 'nothing runs on the server'
      }
    )
    expect(
      await requestRemoteCancel(
        driver,
        task,
        signal,
        { nothingRunsRemotely: true, noCancelReason: 'a dry run' },
        onTimeout
      )
    ).toEqual({ said: 'a dry run' })
    expect(calls).toEqual([])
  })

  it('asks nothing when the input says no, naming the input and the task once as still running', async () => {
    const { driver, calls } = driverWith(async () => 'ok')
    const sentence = 'cancel-on-abort is false: task T-42 keeps running on the server.'
    expect(
      await requestRemoteCancel(driver, task, signal, {}, { enabled: false, input: 'cancel-on-abort' })
    ).toEqual({ said: sentence, stillRunning: sentence })
    expect(calls).toEqual([])
  })

  it('says the platform cannot cancel, with its own reason or the general one', async () => {
    const { driver } = driverWith()
    const general = 'This platform has no API to cancel a job: task T-42 may still be running on the server.'
    expect(await requestRemoteCancel(driver, task, signal, {}, onTimeout)).toEqual({
      said: general,
      stillRunning: general
    })
    const own = 'RPM cannot stop a request: task T-42 may still be running on the server.'
    expect(
      await requestRemoteCancel(
        driver,
        task,
        signal,
        { noCancelReason: 'RPM cannot stop a request' },
        onTimeout
      )
    ).toEqual({ said: own, stillRunning: own })
  })

  it('asks the platform with the task and the signal, and reports its answer', async () => {
    const { driver, calls } = driverWith(async () => 'stopped by the server')
    expect(await requestRemoteCancel(driver, task, signal, {}, onTimeout)).toEqual({
      said: 'cancel requested for task T-42: stopped by the server'
    })
    expect(calls).toEqual([[task, signal]])
  })

  it('says the job may go on when the cancel fails, with the reason', async () => {
    const { driver } = driverWith(async () => {
      throw new ActionError('HTTP 500: busy')
    })
    const sentence = 'Could not cancel task T-42 (HTTP 500: busy): it may still be running on the server.'
    expect(await requestRemoteCancel(driver, task, signal, {}, onTimeout)).toEqual({
      said: sentence,
      stillRunning: sentence
    })
  })
})
