import { describe, expect, it } from '@jest/globals'
import { deploymentPath, segment } from '../../src/drivers/mule-mmc/api.js'
import { SingleDeploymentSchema, type MmcDeployment } from '../../src/drivers/mule-mmc/schemas.js'
import { mapDeployment, mapGone, type Watch } from '../../src/drivers/mule-mmc/status.js'

const reading = (status: string, lastModified = 'Mon, 5 Sep 2011 12:19:15 GMT-03:00'): MmcDeployment => ({
  id: 'local$97e3c184-09ed-423e-a5a5-9b94713a9e36',
  name: 'Example',
  status,
  lastModified,
  href: 'http://localhost:8080/mmc/api/deployments/local$97e3c184-09ed-423e-a5a5-9b94713a9e36'
})

const watch = (expect: Watch['expect'], status?: string): Watch => ({
  expect,
  start: status ? { status, lastModified: 'Mon, 5 Sep 2011 12:19:15 GMT-03:00' } : undefined,
  left: false
})

describe('Mule MMC status mapping', () => {
  it('keeps polling on IN_PROGRESS and ends a deploy at DEPLOYED or SUCCESSFUL', () => {
    const deploying = watch('deployed', 'UNDEPLOYED')
    expect(mapDeployment(reading('IN_PROGRESS'), deploying).state).toBe('running')
    expect(mapDeployment(reading('DEPLOYED'), deploying)).toMatchObject({
      state: 'succeeded',
      url: reading('DEPLOYED').href
    })
    expect(mapDeployment(reading('SUCCESSFUL'), watch('deployed', 'UNDEPLOYED')).state).toBe('succeeded')
  })

  it('does not count an unchanged starting state as the end (redeploying a DEPLOYED deployment)', () => {
    const redeploying = watch('deployed', 'DEPLOYED')
    expect(mapDeployment(reading('DEPLOYED'), redeploying)).toMatchObject({
      state: 'running',
      label: 'deployed, waiting for the console to start'
    })
    expect(mapDeployment(reading('DEPLOYED', 'Mon, 5 Sep 2011 12:20:01 GMT-03:00'), redeploying).state).toBe(
      'succeeded'
    )
  })

  it('fails on FAILED, and on another settled state once the operation was seen in progress', () => {
    expect(mapDeployment(reading('FAILED'), watch('deployed', 'UNDEPLOYED')).state).toBe('failed')
    const undeploying = watch('undeployed', 'DEPLOYED')
    expect(mapDeployment(reading('IN_PROGRESS'), undeploying).state).toBe('running')
    expect(
      mapDeployment(reading('DEPLOYED', 'Tue, 6 Sep 2011 10:00:00 GMT-03:00'), undeploying)
    ).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/ended DEPLOYED, not UNDEPLOYED/)
    })
  })

  it('ends a delete when the deployment is gone; DELETING keeps polling', () => {
    const deleting = watch('gone', 'DEPLOYED')
    expect(mapDeployment(reading('DELETING'), deleting).state).toBe('running')
    expect(mapGone('local$x', deleting).state).toBe('succeeded')
    expect(mapGone('local$x', watch('deployed', 'UNDEPLOYED')).state).toBe('failed')
  })

  it('keeps polling on a status it does not know', () => {
    expect(mapDeployment(reading('QUEUED'), watch('deployed', 'UNDEPLOYED')).state).toBe('running')
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
})
