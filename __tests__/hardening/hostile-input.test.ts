/**
 * Hostile input, property-based: the parsers never crash or hang on anything a workflow can type, never
 * echo a credential, and no target or task id can move a request outside its path segment.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { definitionOf } from '../../src/drivers/index.js'
import { systemClock } from '../../src/engine/clock.js'
import { ActionError } from '../../src/errors.js'
import { parseXml } from '../../src/http/body.js'
import { parseDuration } from '../../src/inputs/duration.js'
import { parseParameters } from '../../src/inputs/parameters.js'
import { getPlan } from '../../src/inputs/plan.js'
import { INPUT_NAMES, PLATFORMS, type InputName, type Platform } from '../../src/inputs/schema.js'
import { sendJson, startHttpServer, type RunningServer } from '../../simulator/server.js'
import { testDeployment } from '../fixtures/deployment.js'
import { testHttpClient } from '../fixtures/http-client.js'

const MB = 1024 * 1024
const TOKEN = 'SECRET-token-q8w7e6'
const PASSWORD = 'SECRET-password-z1x2c3'

/** Strings a hostile workflow would try: traversal, templating, separators, unicode, newlines. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '..',
    '.',
    '../..',
    '%2e%2e',
    '/',
    '$',
    '${{ env.X }}',
    'a/../b',
    '?x=1',
    '#f',
    '\n',
    '\r\n',
    '\u0000'
  ),
  fc
    .array(fc.constantFrom('..', '/', '$', '?', '#', '%', '\\', 'é', '😀', '\n', 'a', '1', ' ', ':'), {
      maxLength: 12
    })
    .map(parts => parts.join(''))
)

describe('parseDuration', () => {
  it('returns a whole number of ms or undefined for any text, never throwing', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string()), text => {
        const ms = parseDuration(text)
        expect(ms === undefined || (Number.isInteger(ms) && ms >= 0)).toBe(true)
      })
    )
  })

  it('adds up any sequence of parts', () => {
    const part = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.constantFrom('h', 'm', 's', 'ms'))
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), parts => {
        const unit = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }
        const expected = parts.reduce((sum, [amount, name]) => sum + amount * unit[name], 0)
        expect(parseDuration(parts.map(([amount, name]) => `${amount}${name}`).join(''))).toBe(expected)
      })
    )
  })

  it('answers a 1 MB value at once', () => {
    const started = Date.now()
    expect(parseDuration('1'.repeat(MB) + 'x')).toBeUndefined()
    expect(parseDuration('1h'.repeat(MB / 2))).toBeGreaterThan(0)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})

describe('parseParameters', () => {
  it('returns a mapping or problems for any text, never throwing', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string(), fc.json()), text => {
        const { value, problems } = parseParameters(text)
        expect(typeof value).toBe('object')
        expect(Array.isArray(problems)).toBe(true)
      })
    )
  })

  it('keeps keys and values with $, /, .., unicode and newlines as they are', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          nasty.filter(key => key.trim() !== ''),
          nasty,
          { maxKeys: 5 }
        ),
        record => {
          const { value, problems } = parseParameters(JSON.stringify(record))
          expect(problems).toEqual([])
          expect(value).toEqual(record)
        }
      )
    )
  })

  it('takes a 1 MB value', () => {
    const { value } = parseParameters(JSON.stringify({ big: 'x'.repeat(MB) }))
    expect((value.big as string).length).toBe(MB)
  })

  // Found by this suite: yaml's alias errors escaped parseParameters as a ReferenceError.
  it('refuses an unresolved alias as a problem, not an exception', () => {
    expect(parseParameters('*!').problems.length).toBeGreaterThan(0)
  })

  it('refuses an alias bomb (billion laughs) as a problem, not an exception', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd']
    ] as const) {
      rows.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`)
    }
    const { problems } = parseParameters(rows.join('\n'))
    expect(problems.length).toBeGreaterThan(0)
  })
})

describe('getPlan', () => {
  const env = { RUNNER_TEMP: '/tmp/rt', GITHUB_WORKSPACE: '/nonexistent-workspace' }
  /** Every input but config and ca-certificate (which read files): any value. */
  const free = INPUT_NAMES.filter(name => !['config', 'ca-certificate', 'artifacts'].includes(name))

  function plan(inputs: Partial<Record<InputName, string>>): unknown {
    try {
      return getPlan(name => inputs[name], env)
    } catch (error) {
      return error
    }
  }

  it('throws nothing but ActionError, and never echoes a credential, whatever the inputs', () => {
    const values = fc.record(
      Object.fromEntries(free.map(name => [name, nasty])) as Record<InputName, typeof nasty>,
      {
        requiredKeys: []
      }
    )
    fc.assert(
      fc.property(values, fc.constantFrom(...PLATFORMS), (inputs, platform) => {
        const all = {
          platform,
          'base-url': 'https://h.example/x',
          ...inputs,
          token: TOKEN,
          password: PASSWORD
        }
        const outcome = plan(all)
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(ActionError)
          const error = outcome as ActionError
          expect(`${error.message}\n${error.hint ?? ''}`).not.toMatch(/SECRET-/)
        }
      }),
      { numRuns: 300 }
    )
  })

  it('handles 1 MB values in every input without crashing or hanging', () => {
    const big = `$../\u00e9\n${'x'.repeat(MB)}`
    const started = Date.now()
    for (const platform of PLATFORMS) {
      const inputs = Object.fromEntries(free.map(name => [name, big]))
      const outcome = plan({ ...inputs, platform, token: TOKEN, password: PASSWORD })
      expect(outcome).toBeInstanceOf(ActionError)
      const message = (outcome as ActionError).message
      expect(message).not.toContain('SECRET-')
      expect(message.length).toBeLessThan(64 * 1024)
    }
    expect(Date.now() - started).toBeLessThan(20_000)
  }, 30_000)
})

describe('XML from a server', () => {
  it.each([
    ['an external entity', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'],
    ['a parameter entity', '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><x/>'],
    [
      'entity expansion (billion laughs)',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    ],
    ['a bare ENTITY', '<x><!ENTITY e "v"></x>']
  ])('refuses %s without resolving it', (_what, xml) => {
    expect(() => parseXml(xml)).toThrow(/DOCTYPE or entity declarations is refused/)
  })

  it('leaves an undeclared entity reference as text', () => {
    expect(parseXml('<x>&e;</x>')).toEqual({ x: '&e;' })
  })
})

describe('request paths built from a target or task id', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startHttpServer((_request, response) =>
      sendJson(response, 404, { message: 'nothing here' })
    )
  })
  afterAll(() => server.close())

  /** The status read of a job watched by id: every platform builds a path from the id it is given. */
  async function readStatus(platform: Platform, id: string, base: string): Promise<void> {
    const definition = definitionOf(platform)
    const deployment = testDeployment({
      platform,
      baseUrl: base,
      operation: 'await',
      taskId: id,
      target: id,
      credentials: { token: TOKEN, username: 'u', password: PASSWORD }
    })
    const http = testHttpClient(base, { kind: 'none' }, { deadline: Date.now() + 10_000 })
    const driver = await definition.create({
      deployment,
      http,
      log: { info: () => {}, warning: () => {} },
      clock: systemClock
    })
    try {
      await driver.status(driver.resume(id), new AbortController().signal)
    } catch {
      // a 404, a refusal, a schema error: only where the request went matters here
    }
  }

  const PREFIXES: Record<Platform, string | string[]> = {
    epmware: '/ctx/service/api/task/get_status/',
    'mule-mmc': '/ctx/api/deployments/',
    'bmc-rpm': '/ctx/v1/deployment_window/events/',
    mobilefirst: '/ctx/management-apis/2.0/runtimes/',
    // apiVersion auto reads v2 first (GET /rest/v2/workflowrequest/1), then falls back to v1.
    flexdeploy: ['/ctx/rest/v2/workflowrequest/', '/ctx/rest/v1/workflowrequest/']
  }

  it.each(PLATFORMS.map(platform => [platform] as const))(
    '%s: no id can leave its path segment',
    async platform => {
      let sent = 0
      await fc.assert(
        fc.asyncProperty(nasty, async id => {
          server.requests.length = 0
          await readStatus(platform, id, `${server.url}/ctx`)
          sent += server.requests.length
          for (const request of server.requests) {
            expect([PREFIXES[platform]].flat().some(prefix => request.path.startsWith(prefix))).toBe(true)
            expect(request.path.split('/').some(segment => segment === '..' || segment === '.')).toBe(false)
          }
        }),
        { numRuns: 60 }
      )
      expect(sent).toBeGreaterThan(20)
    },
    60_000
  )
})
