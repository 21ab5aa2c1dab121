import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startMobileFirstSimulator, type MobileFirstSimulator } from '../../simulator/index.js'

let clock = 1_700_000_000_000
let sim: MobileFirstSimulator
const auth = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
const ADMIN = auth('admin', 'admin')

function multipart(files: Record<string, string>, boundary = 'XYZ'): string {
  return (
    Object.entries(files)
      .map(
        ([name, text]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n${text}\r\n`
      )
      .join('') + `--${boundary}--\r\n`
  )
}

async function upload(body: string, headers: Record<string, string> = {}, query = 'async=true') {
  const response = await fetch(`${sim.url}/management-apis/2.0/runtimes/mfp/deploy/multi?${query}`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'multipart/form-data; boundary=XYZ', ...headers },
    body
  })
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() }
}

async function read(id: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${sim.url}/management-apis/2.0/runtimes/mfp/transactions/${id}`, {
    headers: { authorization: ADMIN, ...headers }
  })
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() }
}

beforeAll(async () => {
  sim = await startMobileFirstSimulator({
    now: () => clock,
    deployables: { 'bad.adapter': { outcome: 'FAILURE', errors: ['one', 'two'] } }
  })
})
afterAll(() => sim.close())

describe('MobileFirst simulator', () => {
  it('moves a transaction through its states as its clock advances', async () => {
    const answer = await upload(multipart({ 'a.adapter': 'aaa' }))
    expect(answer.status).toBe(200)
    const body = JSON.parse(answer.text) as { ok: boolean; transaction: { id: number; status: string } }
    expect(body).toMatchObject({ ok: false, transaction: { status: 'PENDING', type: 'UPLOAD_ARTIFACT' } })
    const id = String(body.transaction.id)
    const seen: string[] = []
    for (const step of [0, 200, 400, 400]) {
      clock += step
      seen.push((JSON.parse((await read(id)).text) as { status: string }).status)
    }
    expect(seen).toEqual(['PENDING', 'PREPARING', 'COMMITTING', 'SUCCESS'])
  })

  it('fails with REJECTING then FAILURE and every error, in XML when asked', async () => {
    const answer = await upload(multipart({ 'bad.adapter': 'x', 'b.json': '{}' }), {
      accept: 'application/xml'
    })
    expect(answer.type).toMatch(/^application\/xml/)
    expect(answer.text).toMatch(
      /^<\?xml[^>]*>\n<deploy-result ok="false" productVersion="[^"]+"><transaction /
    )
    const id = /<transaction[^>]* id="(\d+)"/.exec(answer.text)?.[1] ?? ''
    clock += 600
    expect((await read(id, { accept: 'text/xml' })).text).toMatch(/status="REJECTING"/)
    clock += 1000
    const final = await read(id, { accept: 'text/xml' })
    expect(final.type).toMatch(/^text\/xml/)
    expect(final.text).toContain('<errors><error details="one"/><error details="two"/></errors>')
    expect(final.text).toContain(
      '<contentNames>bad.adapter</contentNames><contentNames>b.json</contentNames>'
    )
  })

  it('answers a synchronous deployment with its final state', async () => {
    const answer = await upload(multipart({ 'c.adapter': 'c' }), {}, 'async=false')
    expect(JSON.parse(answer.text)).toMatchObject({ ok: true, transaction: { status: 'SUCCESS' } })
  })

  it('checks the parts it got: none, empty, cut short, not multipart', async () => {
    expect((await upload('--XYZ--\r\n')).status).toBe(400)
    expect((await upload(multipart({ 'empty.adapter': '' }))).status).toBe(400)
    expect((await upload(multipart({ 'a.adapter': 'a' }).slice(0, -12))).status).toBe(400)
    expect((await upload('{}', { 'content-type': 'application/json' })).status).toBe(415)
    expect(JSON.parse((await upload('--XYZ--\r\n')).text)).toMatchObject({
      errorMsg: 'No deployable data is provided.'
    })
  })

  it('answers 401, 403 and 404 as documented', async () => {
    expect(
      (await upload(multipart({ 'a.adapter': 'a' }), { authorization: auth('admin', 'nope') })).status
    ).toBe(401)
    const forbidden = await upload(multipart({ 'a.adapter': 'a' }), {
      authorization: auth('monitor', 'monitor-pass')
    })
    expect(forbidden.status).toBe(403)
    expect((await read('999999')).status).toBe(404)
    expect((await read('1001', { authorization: auth('monitor', 'monitor-pass') })).status).toBe(200)
    sim.setRuntime('mfp', false)
    expect((await upload(multipart({ 'a.adapter': 'a' }))).status).toBe(404)
    sim.setRuntime('mfp', true)
  })
})
