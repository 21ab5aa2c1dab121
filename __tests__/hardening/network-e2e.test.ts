/** ca-certificate, insecure-skip-tls-verify and the runner's proxy variables, through the bundled action. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../e2e/run-action.js'
import { leakedSecrets } from './support/audit.js'
import { makeTestPki, type TestPki } from './support/certificates.js'
import { startForwardProxy, type ForwardProxy } from './support/forward-proxy.js'
import { startGate, type Gate } from './support/gate.js'
import { PLATFORMS, type PlatformSetup, type Started } from './support/platforms.js'

const NO_PROXY_ENV = {
  HTTPS_PROXY: '',
  https_proxy: '',
  HTTP_PROXY: '',
  http_proxy: '',
  NO_PROXY: '',
  no_proxy: ''
}

let pki: TestPki
let proxy: ForwardProxy
const fronts: { platform: PlatformSetup; started: Started; gate: Gate }[] = []

beforeAll(async () => {
  pki = makeTestPki()
  proxy = await startForwardProxy()
  for (const platform of PLATFORMS) {
    const started = await platform.start('quick')
    fronts.push({
      platform,
      started,
      gate: await startGate(started.upstream, { key: pki.key, cert: pki.cert })
    })
  }
})

afterAll(async () => {
  await proxy.close()
  for (const front of fronts) await Promise.all([front.gate.close(), front.started.close()])
})

const front = (name: string) =>
  fronts.find(entry => entry.platform.platform === name) as (typeof fronts)[number]

function run(name: string, inputs: Record<string, string>, env: Record<string, string> = {}, root?: string) {
  const { platform, gate } = front(name)
  return runAction(
    { ...platform.inputs(root ?? gate.url, 'quick'), timeout: '30s', ...inputs },
    { env: { ...NO_PROXY_ENV, ...platform.env, ...env } }
  )
}

describe('HTTPS with an internal CA, end to end', () => {
  it('fails without the CA, naming the certificate problem and ca-certificate, having sent nothing', async () => {
    const result = await run('epmware', {})
    expect(result.outputs.status).toBe('failed')
    expect(result.outputs.message).toMatch(
      /POST \/service\/api\/deployment\/run failed: .*(certificate|issuer)/i
    )
    expect(result.stdout).toMatch(/give its CA with ca-certificate/)
    expect(front('epmware').gate.requests).toHaveLength(0)
    expect(leakedSecrets(result, front('epmware').platform.secrets)).toEqual([])
  })

  it.each(PLATFORMS.map(platform => [platform.label, platform.platform] as const))(
    '%s succeeds with ca-certificate as PEM text',
    async (_label, name) => {
      const result = await run(name, { 'ca-certificate': pki.caPem })
      expect([name, result.outputs.status, result.outputs.message]).toEqual([
        name,
        'succeeded',
        result.outputs.message
      ])
      expect(result.stdout).not.toMatch(/insecure-skip-tls-verify is true/)
      expect(leakedSecrets(result, front(name).platform.secrets)).toEqual([])
    }
  )

  it('succeeds with ca-certificate as a file path', async () => {
    const result = await run('flexdeploy', { 'ca-certificate': pki.caFile })
    expect(result.outputs.status).toBe('succeeded')
  })

  it('does not accept a CA that did not sign the server', async () => {
    const result = await run('mule-mmc', { 'ca-certificate': pki.otherCaPem })
    expect(result.outputs.status).toBe('failed')
    expect(result.stdout).toMatch(/ca-certificate/)
  })

  it('skips verification with insecure-skip-tls-verify, and warns', async () => {
    const result = await run('bmc-rpm', { 'insecure-skip-tls-verify': 'true' })
    expect(result.outputs.status).toBe('succeeded')
    expect(result.stdout).toMatch(/::warning title=enterprise-deploy::insecure-skip-tls-verify is true/)
    expect(leakedSecrets(result, front('bmc-rpm').platform.secrets)).toEqual([])
  })
})

describe('the runner’s proxy, end to end', () => {
  // Loopback is never proxied by @actions/http-client: the server is addressed by a name only the proxy resolves.
  const corp = (name: string) => front(name).gate.url.replace('127.0.0.1', 'platform.corp.invalid')

  it('reaches an HTTPS server through HTTPS_PROXY (CONNECT), verifying it with ca-certificate', async () => {
    proxy.seen.length = 0
    const result = await run(
      'mobilefirst',
      { 'ca-certificate': pki.caFile },
      { HTTPS_PROXY: proxy.url },
      corp('mobilefirst')
    )
    expect(result.outputs.status).toBe('succeeded')
    expect(proxy.seen.length).toBeGreaterThan(1)
    expect(new Set(proxy.seen.map(record => `${record.kind} ${record.target}`))).toEqual(
      new Set([`connect platform.corp.invalid:${front('mobilefirst').gate.port}`])
    )
    expect(proxy.seen.every(record => record.headers.authorization === undefined)).toBe(true)
    expect(leakedSecrets(result, front('mobilefirst').platform.secrets)).toEqual([])
  })

  it('says the proxy refused, not the platform, when the proxy answers CONNECT with 403', async () => {
    proxy.refuseWith = 403
    const gate = front('epmware').gate
    gate.requests.length = 0
    try {
      const result = await run(
        'epmware',
        { 'ca-certificate': pki.caPem },
        { HTTPS_PROXY: proxy.url },
        corp('epmware')
      )
      expect(result.outputs.status).toBe('failed')
      expect(result.outputs.message).toMatch(
        new RegExp(`the proxy ${proxy.url} \\(HTTPS_PROXY\\) refused to open a tunnel .*HTTP 403`)
      )
      expect(result.stdout).toMatch(/add it to NO_PROXY/)
      expect(gate.requests).toHaveLength(0)
    } finally {
      proxy.refuseWith = undefined
    }
  })
})
