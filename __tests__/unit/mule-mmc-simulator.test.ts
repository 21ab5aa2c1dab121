import { afterEach, describe, expect, it } from '@jest/globals'
import { startMuleMmcSimulator, type MuleMmcSimulator } from '../../simulator/index.js'

const started: MuleMmcSimulator[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map(sim => sim.close()))
})

async function start(options: Parameters<typeof startMuleMmcSimulator>[0] = {}) {
  const sim = await startMuleMmcSimulator(options)
  started.push(sim)
  return sim
}

const auth = { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }

async function call(sim: MuleMmcSimulator, method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  })
  const text = await response.text()
  return { status: response.status, text, type: response.headers.get('content-type') ?? '' }
}

describe('Mule MMC simulator', () => {
  it('refuses names on create from 3.3.2 (deployments.adoc), takes them on an older console', async () => {
    const body = { name: 'n', serversNames: ['mule0'], applicationsNames: ['billing-2.3'] }
    const modern = await start()
    expect(await call(modern, 'POST', '/api/deployments', body)).toMatchObject({
      status: 400,
      text: expect.stringMatching(
        /You cannot create a deployment using the server names and application names/
      )
    })
    const old = await start({ version: '3.3.1' })
    expect((await call(old, 'POST', '/api/deployments', body)).status).toBe(200)
    expect(old.byName('n')?.applications).toEqual([old.applicationIds.get('billing:2.3')])
  })

  it('answers deploy with text behind an option, and with an empty 200 by default', async () => {
    const plain = await start({ deployments: [{ name: 'd' }] })
    expect(await call(plain, 'POST', `/api/deployments/${plain.byName('d')?.id}/deploy`)).toMatchObject({
      status: 200,
      text: ''
    })
    const text = await start({ textAnswers: true, deployments: [{ name: 'd' }] })
    expect(await call(text, 'POST', `/api/deployments/${text.byName('d')?.id}/deploy`)).toMatchObject({
      status: 200,
      text: 'The specified deployments are deployed.',
      type: expect.stringMatching(/^text\/plain/)
    })
  })

  it('lists the repository, servers with their groups, groups and clusters in {total, data}', async () => {
    const sim = await start()
    const repository = JSON.parse((await call(sim, 'GET', '/api/repository')).text)
    expect(repository.total).toBe(2)
    expect(repository.data[0]).toMatchObject({
      name: 'orders-api',
      versions: [{ name: '1.0' }, { name: '1.1' }]
    })
    const servers = JSON.parse((await call(sim, 'GET', '/api/servers')).text)
    expect(servers.data[0]).toMatchObject({ name: 'mule0', status: 'OK', groups: [{ name: 'Production' }] })
    const groups = JSON.parse((await call(sim, 'GET', '/api/serverGroups')).text)
    expect(groups.data).toEqual([expect.objectContaining({ name: 'Production', serverCount: 2 })])
    const clusters = JSON.parse((await call(sim, 'GET', '/api/clusters')).text)
    expect(clusters.data).toEqual([expect.objectContaining({ name: 'cluster-a' })])
  })

  it('a deployed deployment runs on its servers and is reconciled; a server in failOn leaves it unreconciled', async () => {
    const sim = await start({
      deployments: [
        { name: 'd', servers: ['mule0', 'mule1'], behaviour: { durationMs: 0, failOn: ['mule1'] } }
      ]
    })
    await call(sim, 'POST', `/api/deployments/${sim.byName('d')?.id}/deploy`)
    const view = JSON.parse((await call(sim, 'GET', `/api/deployments/${sim.byName('d')?.id}`)).text)
    expect(view).toMatchObject({ status: 'DEPLOYED', reconciled: false })
    const onMule0 = JSON.parse(
      (await call(sim, 'GET', `/api/servers/${sim.serverIds.get('mule0')}/applications`)).text
    )
    expect(onMule0.data).toEqual([{ name: 'orders-api', status: 'STARTED' }])
    const onMule1 = JSON.parse(
      (await call(sim, 'GET', `/api/servers/${sim.serverIds.get('mule1')}/applications`)).text
    )
    expect(onMule1.data).toEqual([])
  })
})
