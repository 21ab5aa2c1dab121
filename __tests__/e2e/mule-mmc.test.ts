import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startMuleMmcSimulator, type MuleMmcSimulator } from '../../simulator/index.js'
import { runAction, type ActionRun, everythingWritten } from './run-action.js'

const USER = 'deployer'
const PASSWORD = 'mmc-S3cret!pw-4821'
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
let sim: MuleMmcSimulator

beforeAll(async () => {
  sim = await startMuleMmcSimulator({
    username: USER,
    password: PASSWORD,
    writeAuthFailureStatus: 500,
    deployments: [
      { name: 'orders-api', status: 'DEPLOYED', behaviour: { durationMs: 700 } },
      { name: 'billing', behaviour: { durationMs: 500, outcome: 'FAILED' } },
      { name: 'inventory', behaviour: { durationMs: 500, outcome: 'SUCCESSFUL' } },
      { name: 'shipping', status: 'DEPLOYED', behaviour: { durationMs: 500 } },
      { name: 'frozen', behaviour: { stuck: true } },
      { name: 'endless', behaviour: { durationMs: 10 * 60_000 } },
      { name: 'twin' },
      { name: 'twin' },
      { name: 'to-delete', status: 'DEPLOYED', behaviour: { deleteMs: 600 } },
      { name: 'catalog' }
    ]
  })
})

afterAll(() => sim.close())

beforeEach(() => {
  sim.requests.length = 0
  sim.faults.length = 0
})

function mmc(inputs: Record<string, string>, options?: Parameters<typeof runAction>[1]): Promise<ActionRun> {
  return runAction(
    {
      platform: 'mule-mmc',
      'base-url': `${sim.baseUrl}/`,
      username: USER,
      password: PASSWORD,
      'poll-interval': '100ms',
      'max-poll-interval': '300ms',
      timeout: '20s',
      ...inputs
    },
    options
  )
}

const writes = () => sim.requests.filter(request => request.method !== 'GET')
const idOf = (name: string) => sim.byName(name)?.id ?? ''

describe('Mule Management Console end to end', () => {
  it('redeploys a deployment found by name, through IN_PROGRESS to DEPLOYED', async () => {
    const id = idOf('orders-api')
    const run = await mmc({ operation: 'redeploy', target: 'orders-api' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe(id)
    // href is the REST resource, not a console page: no url
    expect(run.outputs.url ?? '').toBe('')
    expect(run.outputs.message).toMatch(/is DEPLOYED and reconciled on every server$/)
    expect(JSON.parse(run.outputs.details ?? '')).toMatchObject({ id, status: 'DEPLOYED' })
    expect(run.stdout).toMatch(/in progress \(IN_PROGRESS\)/)
    expect(writes().map(request => `${request.method} ${request.path}`)).toEqual([
      `POST /mmc/api/deployments/${id}/redeploy`
    ])
    // `$` travels as is, the way the vendor's examples send it
    expect(sim.requests.some(request => request.path.includes('local$'))).toBe(true)
  })

  it('keeps the password and the Basic header out of every output, the summary and the log', async () => {
    const run = await mmc({ target: 'inventory' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(/is SUCCESSFUL and reconciled on every server$/)
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`)
    const written = everythingWritten(run)
    expect(written).not.toContain(PASSWORD)
    expect(written).not.toContain(BASIC)
    for (const request of sim.requests) expect(request.headers.authorization).toBe(`Basic ${BASIC}`)
  })

  it('fails the step when the deployment ends FAILED', async () => {
    const run = await mmc({ target: 'billing' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/Deployment billing \(local\$[\w-]+\) FAILED/)
    expect(run.stdout).toMatch(/::error title=billing::/)
  })

  it('undeploys by id, and reads the wrapped {total, data} shape too', async () => {
    const wrapped = await startMuleMmcSimulator({
      username: USER,
      password: PASSWORD,
      singleShape: 'wrapped',
      deployments: [{ name: 'shipping', status: 'DEPLOYED', behaviour: { durationMs: 400 } }]
    })
    try {
      const id = wrapped.byName('shipping')?.id ?? ''
      const run = await mmc({ 'base-url': wrapped.baseUrl, operation: 'undeploy', target: id })
      expect(run.outputs.status).toBe('succeeded')
      expect(run.outputs['task-id']).toBe(id)
      expect(run.outputs.message).toMatch(/is UNDEPLOYED$/)
    } finally {
      await wrapped.close()
    }
  })

  it('creates a deployment from names, sent as ids, and deploys it in the same step', async () => {
    const run = await mmc({
      operation: 'create',
      target: 'payments',
      parameters: "serverNames: [mule0]\napplicationNames: ['billing:2.3']\ndeploy: true"
    })
    expect(run.outputs.status).toBe('succeeded')
    const created = sim.byName('payments')
    expect(created?.status).toBe('DEPLOYED')
    expect(run.outputs['task-id']).toBe(created?.id)
    const create = sim.requests.find(
      request => request.method === 'POST' && request.path === '/mmc/api/deployments'
    )
    expect(JSON.parse(create?.body ?? '')).toEqual({
      name: 'payments',
      servers: [sim.serverIds.get('mule0')],
      applications: [sim.applicationIds.get('billing:2.3')]
    })
  })

  it('adds an application: the console answers with a new id, which is published and followed', async () => {
    const oldId = idOf('catalog')
    const application = sim.applicationIds.get('orders-api:1.1') ?? ''
    const run = await mmc({
      operation: 'add',
      target: 'catalog',
      parameters: `applications: ['${application}']\ndeploy: true`
    })
    expect(run.outputs.status).toBe('succeeded')
    const newId = idOf('catalog')
    expect(newId).not.toBe(oldId)
    expect(run.outputs['task-id']).toBe(newId)
    expect(run.stdout).toContain(`new id: ${oldId} → ${newId}`)
    expect(sim.byName('catalog')?.status).toBe('DEPLOYED')
    const add = sim.requests.find(request => request.path.endsWith('/add'))
    expect(add?.method).toBe('PUT')
    expect(JSON.parse(add?.body ?? '')).toMatchObject({
      applications: [application],
      lastModified: expect.stringMatching(/^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d GMT/)
    })
    expect(sim.requests.some(request => request.path === `/mmc/api/deployments/${newId}/deploy`)).toBe(true)
  })

  it('removes with PUT, and falls back to DELETE where the console wants it', async () => {
    const server = sim.serverIds.get('mule0') ?? ''
    const run = await mmc({ operation: 'remove', target: 'shipping', parameters: `servers: ['${server}']` })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe(idOf('shipping'))
    expect(sim.byName('shipping')?.servers).toEqual([])
    expect(sim.requests.find(request => request.path.endsWith('/remove'))?.method).toBe('PUT')

    const deleting = await startMuleMmcSimulator({
      username: USER,
      password: PASSWORD,
      removeMethod: 'DELETE'
    })
    try {
      const other = await mmc({
        'base-url': deleting.baseUrl,
        operation: 'remove',
        target: 'orders-api',
        parameters: 'serversNames: mule0'
      })
      expect(other.outputs.status).toBe('succeeded')
      expect(deleting.requests.filter(r => r.path.endsWith('/remove')).map(r => r.method)).toEqual([
        'PUT',
        'DELETE'
      ])
    } finally {
      await deleting.close()
    }
  })

  it('deletes a deployment and waits through DELETING until it is gone', async () => {
    const id = idOf('to-delete')
    const run = await mmc({ operation: 'delete', target: 'to-delete' })
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toBe(id)
    expect(run.outputs.message).toMatch(/was deleted/)
    expect(sim.byName('to-delete')).toBeUndefined()
    expect(run.stdout).toMatch(/deleting \(DELETING\)/)
  })

  it('shows one deployment, or lists them all, with operation: status and changes nothing', async () => {
    const one = await mmc({ operation: 'status', target: 'frozen' })
    expect(one.outputs.status).toBe('succeeded')
    expect(one.outputs['remote-status']).toBe('UNDEPLOYED')
    expect(one.outputs.message).toMatch(/^Deployment frozen \(local\$[\w-]+\) is UNDEPLOYED$/)
    const all = await mmc({ operation: 'status' })
    expect(all.outputs.message).toMatch(/the most recently modified of \d+: .*orders-api \(DEPLOYED\)/)
    expect(writes()).toHaveLength(0)
  })

  it('times out when the deployment never leaves its starting state, saying MMC cannot cancel', async () => {
    const run = await mmc({ operation: 'deploy', target: 'frozen', timeout: '2s' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('timed-out')
    expect(run.outputs.message).toMatch(
      /did not finish within the timeout of 2s .*no call to stop a deployment/
    )
  })

  it('names what exists when the target matches no deployment, or several', async () => {
    const none = await mmc({ target: 'nope' })
    expect(none.outputs.status).toBe('failed')
    expect(none.outputs.message).toMatch(/No deployment is named 'nope' or has that id.*It has: .*orders-api/)
    const twins = await mmc({ target: 'twin' })
    expect(twins.outputs.message).toMatch(/2 deployments are named 'twin' .*: twin \(local\$.*twin \(local\$/)
    expect(twins.stdout).toMatch(/Give the id of the deployment you mean/)
    expect(writes()).toHaveLength(0)
  })

  it('refuses bad parameters before sending anything', async () => {
    const run = await mmc({ operation: 'create', target: 'x', parameters: 'serverNames: [mule0]\nbogus: 1' })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toContain("unknown key 'bogus'")
    const missing = await mmc({ operation: 'create', target: 'x', parameters: 'serverNames: [mule0]' })
    expect(missing.outputs.message).toMatch(/create needs at least one application/)
    expect(sim.requests).toHaveLength(0)
  })

  it.each([
    [
      'a server that is neither a name nor an id the console lists',
      {
        operation: 'create',
        target: 'p2',
        parameters: "servers: [local$nope]\napplicationsNames: ['billing:2.3']"
      },
      /No server is named 'local\$nope' or has that id \(GET \/api\/servers\)\. It has: mule0 \(local\$[\w-]+\); mule1/,
      /::error title=p2::/
    ],
    [
      'wrong credentials (401)',
      { password: 'wrong-password-1', target: 'orders-api' },
      /HTTP 401: Unauthorized user/,
      /Check username and password/
    ],
    [
      'wrong credentials on create, found by the first lookup',
      {
        password: 'wrong-password-1',
        operation: 'create',
        target: 'p3',
        parameters: "serversNames: mule0\napplicationsNames: ['billing:2.3']"
      },
      /refused GET \/api\/servers: HTTP 401: Unauthorized user/,
      /Check username and password/
    ],
    [
      'a name already taken (409)',
      {
        operation: 'create',
        target: 'orders-api',
        parameters: "serversNames: mule0\napplicationsNames: ['billing:2.3']"
      },
      /HTTP 409: A deployment with name orders-api already exists/,
      /already exists/
    ],
    [
      'an unknown id (404)',
      { target: 'local$00000000-0000-0000-0000-000000000000' },
      /No deployment is named 'local\$0+/,
      /Deployments get a new id on add and remove/
    ]
  ])('ends the step with the console’s message for %s', async (_what, inputs, message, hint) => {
    const run = await mmc(inputs as Record<string, string>)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(run.stdout).toMatch(hint)
    expect(everythingWritten(run)).not.toContain(PASSWORD)
  })

  it('stops on SIGINT mid-poll, reports canceled and exits inside the grace period', async () => {
    const run = await mmc(
      { target: 'endless', 'poll-interval': '200ms' },
      { interrupt: { signal: 'SIGINT', when: /in progress \(IN_PROGRESS\)/ } }
    )
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs['task-id']).toBe(idOf('endless'))
    expect(run.outputs.message).toContain(
      `The Mule Management Console’s REST API has no call to stop a deployment in progress: task ${idOf('endless')} may still be running on the server.`
    )
    expect(run.elapsedMs).toBeLessThan(7500)
  })

  it('with wait: false publishes the id, and operation: await follows it', async () => {
    const started = await mmc({ operation: 'redeploy', target: 'inventory', wait: 'false' })
    expect(started.outputs.status).toBe('started')
    const awaited = await mmc({ operation: 'await', 'task-id': started.outputs['task-id'] ?? '' })
    expect(awaited.outputs.status).toBe('succeeded')
    expect(awaited.outputs.message).toMatch(/is SUCCESSFUL and reconciled on every server$/)
  })
})
