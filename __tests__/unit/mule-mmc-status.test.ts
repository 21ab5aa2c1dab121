import { describe, expect, it } from '@jest/globals'
import { deploymentPath, segment } from '../../src/drivers/mule-mmc/api.js'
import { parseLastModified } from '../../src/drivers/mule-mmc/modified.js'
import { SingleDeploymentSchema, type MmcDeployment } from '../../src/drivers/mule-mmc/schemas.js'
import {
  mapCurrent,
  mapDeployment,
  mapGone,
  QUIET_READINGS,
  UNRECONCILED_READINGS,
  type Inspect,
  type Watch
} from '../../src/drivers/mule-mmc/status.js'

const reading = (
  status: string,
  lastModified = 'Mon, 5 Sep 2011 12:19:15 GMT-03:00',
  reconciled = status === 'DEPLOYED' || status === 'SUCCESSFUL'
): MmcDeployment => ({
  id: 'local$97e3c184-09ed-423e-a5a5-9b94713a9e36',
  name: 'Example',
  status,
  lastModified,
  reconciled,
  href: 'http://localhost:8080/mmc/api/deployments/local$97e3c184-09ed-423e-a5a5-9b94713a9e36'
})

const watch = (expect: Watch['expect'], status?: string, allowPartial?: boolean): Watch => ({
  expect,
  start: status ? { status, lastModified: 'Mon, 5 Sep 2011 12:19:15 GMT-03:00' } : undefined,
  left: false,
  allowPartial
})

/** What the per-server state says, and how often it was asked. */
function inspector(problems: string[]): Inspect & { calls: number } {
  const inspect = Object.assign(
    async () => {
      inspect.calls++
      return problems
    },
    { calls: 0 }
  )
  return inspect
}
const inStep = () => inspector([])
const later = 'Mon, 5 Sep 2011 12:20:01 GMT-03:00'

describe('Mule MMC status mapping', () => {
  it('keeps polling on IN_PROGRESS and ends a deploy at DEPLOYED or SUCCESSFUL when reconciled', async () => {
    const deploying = watch('deployed', 'UNDEPLOYED')
    expect((await mapDeployment(reading('IN_PROGRESS'), deploying, inStep())).state).toBe('running')
    const done = await mapDeployment(reading('DEPLOYED'), deploying, inStep())
    expect(done).toMatchObject({ state: 'succeeded', code: 'DEPLOYED' })
    expect(done.url).toBeUndefined()
    const successful = await mapDeployment(reading('SUCCESSFUL'), watch('deployed', 'UNDEPLOYED'), inStep())
    expect(successful.state).toBe('succeeded')
  })

  it('fails a deploy that settles DEPLOYED but not reconciled, naming what is out of step', async () => {
    const deploying = watch('deployed', 'UNDEPLOYED')
    const inspect = inspector(['orders-api 1.0 is not deployed on server mule1'])
    const unreconciled = reading('DEPLOYED', later, false)
    for (let index = 1; index < UNRECONCILED_READINGS; index++) {
      expect(await mapDeployment(unreconciled, deploying, inspect)).toMatchObject({
        state: 'running',
        label: 'deployed, not reconciled yet'
      })
    }
    expect(await mapDeployment(unreconciled, deploying, inspect)).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(
        /is DEPLOYED but not on every server: orders-api 1.0 is not deployed on server mule1/
      )
    })
    expect(inspect.calls).toBe(1)
  })

  it('with allowPartial, an unreconciled deploy succeeds with a warning naming the servers', async () => {
    const deploying = watch('deployed', 'UNDEPLOYED', true)
    const inspect = inspector(['server mule1 is STOPPED'])
    let last
    for (let index = 0; index < UNRECONCILED_READINGS; index++)
      last = await mapDeployment(reading('DEPLOYED', later, false), deploying, inspect)
    expect(last).toMatchObject({
      state: 'succeeded',
      warning: expect.stringContaining('server mule1 is STOPPED')
    })
  })

  it('a reconciled reading after a few unreconciled ones succeeds', async () => {
    const deploying = watch('deployed', 'UNDEPLOYED')
    const inspect = inspector(['x'])
    expect((await mapDeployment(reading('DEPLOYED', later, false), deploying, inspect)).state).toBe('running')
    expect((await mapDeployment(reading('DEPLOYED', later, true), deploying, inspect)).state).toBe(
      'succeeded'
    )
  })

  it('ends a redeploy that never shows IN_PROGRESS after a few quiet readings, when every server agrees', async () => {
    const redeploying = watch('deployed', 'DEPLOYED')
    const inspect = inStep()
    for (let index = 1; index < QUIET_READINGS; index++) {
      expect(await mapDeployment(reading('DEPLOYED'), redeploying, inspect)).toMatchObject({
        state: 'running',
        label: 'deployed, waiting for the console to start',
        nextReadInMs: 1000
      })
    }
    expect(await mapDeployment(reading('DEPLOYED'), redeploying, inspect)).toMatchObject({
      state: 'succeeded',
      message: expect.stringMatching(/never showed IN_PROGRESS, and every server runs every application/)
    })
    expect(inspect.calls).toBe(1)
  })

  it('a quiet redeploy whose servers are not in step keeps reading, then fails naming them', async () => {
    const redeploying = watch('deployed', 'DEPLOYED')
    const inspect = inspector(['orders-api 1.0 is STOPPED on server mule0'])
    const states: string[] = []
    for (let index = 0; index < QUIET_READINGS + UNRECONCILED_READINGS - 1; index++)
      states.push((await mapDeployment(reading('DEPLOYED'), redeploying, inspect)).state)
    expect(states.at(-1)).toBe('failed')
    expect(states.slice(0, -1).every(state => state === 'running')).toBe(true)
  })

  it('a deploy of an UNDEPLOYED deployment never ends on quiet readings (a console that ignores it times out)', async () => {
    const deploying = watch('deployed', 'UNDEPLOYED')
    for (let index = 0; index < QUIET_READINGS * 3; index++)
      expect((await mapDeployment(reading('UNDEPLOYED'), deploying, inStep())).state).toBe('running')
  })

  it('a moved lastModified ends a redeploy at once', async () => {
    const redeploying = watch('deployed', 'DEPLOYED')
    expect((await mapDeployment(reading('DEPLOYED', later), redeploying, inStep())).state).toBe('succeeded')
  })

  it('follows a change answered IN_PROGRESS until it leaves it', async () => {
    const changing = watch('changed', 'IN_PROGRESS')
    expect((await mapDeployment(reading('IN_PROGRESS'), changing, inStep())).state).toBe('running')
    expect(await mapDeployment(reading('UNDEPLOYED', later), changing, inStep())).toMatchObject({
      state: 'succeeded',
      code: 'UNDEPLOYED'
    })
    expect(
      (await mapDeployment(reading('FAILED', later), watch('changed', 'IN_PROGRESS'), inStep())).state
    ).toBe('failed')
  })

  it('fails on FAILED, and on another settled state once the operation was seen in progress', async () => {
    expect((await mapDeployment(reading('FAILED'), watch('deployed', 'UNDEPLOYED'), inStep())).state).toBe(
      'failed'
    )
    const undeploying = watch('undeployed', 'DEPLOYED')
    expect((await mapDeployment(reading('IN_PROGRESS'), undeploying, inStep())).state).toBe('running')
    expect(
      await mapDeployment(reading('DEPLOYED', 'Tue, 6 Sep 2011 10:00:00 GMT-03:00'), undeploying, inStep())
    ).toMatchObject({ state: 'failed', message: expect.stringMatching(/ended DEPLOYED, not UNDEPLOYED/) })
  })

  it('ends a delete when the deployment is gone; DELETING keeps polling', async () => {
    const deleting = watch('gone', 'DEPLOYED')
    expect((await mapDeployment(reading('DELETING'), deleting, inStep())).state).toBe('running')
    expect(mapGone('local$x', deleting).state).toBe('succeeded')
    expect(mapGone('local$x', watch('deployed', 'UNDEPLOYED')).state).toBe('failed')
  })

  it('keeps polling on a status it does not know', async () => {
    expect((await mapDeployment(reading('QUEUED'), watch('deployed', 'UNDEPLOYED'), inStep())).state).toBe(
      'running'
    )
  })
})

describe('Mule MMC operation: status (the deployment’s own state)', () => {
  it.each([
    ['DEPLOYED', true, 'succeeded'],
    ['SUCCESSFUL', true, 'succeeded'],
    ['UNDEPLOYED', false, 'succeeded'],
    ['FAILED', false, 'failed'],
    ['IN_PROGRESS', false, 'running'],
    ['DELETING', false, 'running'],
    ['DEPLOYED', false, 'failed']
  ])('%s (reconciled %s) → %s, with the console’s code', async (status, reconciled, state) => {
    const mapped = await mapCurrent(
      reading(status, undefined, reconciled),
      inspector(['server mule1 is STOPPED']),
      false
    )
    expect(mapped).toMatchObject({ state, code: status })
  })

  it('an unreconciled DEPLOYED names the server, and allowPartial makes it a warning', async () => {
    const unreconciled = reading('DEPLOYED', undefined, false)
    expect((await mapCurrent(unreconciled, inspector(['server mule1 is STOPPED']), false)).message).toMatch(
      /server mule1 is STOPPED/
    )
    expect(await mapCurrent(unreconciled, inspector(['server mule1 is STOPPED']), true)).toMatchObject({
      state: 'succeeded',
      warning: expect.stringContaining('mule1')
    })
  })
})

describe('Mule MMC responses and paths', () => {
  it('reads GET by id as the bare object or wrapped in {total, data}', () => {
    const bare = reading('DEPLOYED')
    expect(SingleDeploymentSchema.parse(bare)).toMatchObject({ id: bare.id })
    expect(SingleDeploymentSchema.parse({ total: 1, data: [bare] })).toMatchObject({ id: bare.id })
    expect(SingleDeploymentSchema.parse({ total: 0, data: [] })).toBeUndefined()
  })

  it('keeps `$` in ids as the vendor sends it and encodes what must be encoded', () => {
    expect(deploymentPath('local$97e3c184', 'deploy')).toBe('/api/deployments/local$97e3c184/deploy')
    expect(segment('a/b c?')).toBe('a%2Fb%20c%3F')
  })

  it('orders lastModified in both documented forms', () => {
    expect(parseLastModified('Mon, 5 Sep 2011 12:19:15 GMT-03:00')).toBe(Date.UTC(2011, 8, 5, 15, 19, 15))
    expect(parseLastModified('Mon, 5 Sep 2011 12:19:15.138 GMT')).toBe(Date.UTC(2011, 8, 5, 12, 19, 15, 138))
    expect(parseLastModified('Thu, 18 Apr 2013 13:54:09.443 ART')).toBe(Date.UTC(2013, 3, 18, 16, 54, 9, 443))
    expect(parseLastModified('yesterday')).toBeUndefined()
  })
})
