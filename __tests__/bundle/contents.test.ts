import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { runAction } from '../e2e/run-action.js'

/**
 * Issue 16: what a run loads decides its cold start. These tests run dist/index.js as the runner does, record
 * every file Node loads (a module hook given through NODE_OPTIONS) and read the loaded chunks' source maps:
 * a run must not load undici, yaml, the XML parser or another platform's driver unless it uses them.
 */
const DIST = path.resolve(import.meta.dirname, '../../dist')
const PLATFORM_DRIVERS = ['epmware', 'mule-mmc', 'bmc-rpm', 'mobilefirst', 'flexdeploy']

/** The sources bundled into each chunk of dist/, from its source map: `node_modules/undici/…`, `src/main.ts`. */
function chunkSources(): Map<string, string[]> {
  const chunks = new Map<string, string[]>()
  for (const file of readdirSync(DIST).filter(name => name.endsWith('.js'))) {
    const map = JSON.parse(readFileSync(path.join(DIST, `${file}.map`), 'utf8')) as { sources: string[] }
    chunks.set(
      file,
      map.sources.map(source => source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.\.?\/)+/, ''))
    )
  }
  return chunks
}

const packageOf = (source: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1]
const driverOf = (source: string) => /^src\/drivers\/([^/]+)\/driver\.ts$/.exec(source)?.[1]

let server: http.Server
let url = ''
let hookDir = ''
let sources: Map<string, string[]>

beforeAll(async () => {
  sources = chunkSources()
  // Every platform answers 401 here: the run reaches its driver, sends one request and ends.
  server = http.createServer((request, response) => {
    request.resume()
    response.writeHead(401, { 'content-type': 'application/json' })
    response.end('{"status":"E","message":"unauthorized"}')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  hookDir = mkdtempSync(path.join(os.tmpdir(), 'ed-bundle-hooks-'))
  writeFileSync(
    path.join(hookDir, 'hooks.mjs'),
    [
      "import { appendFileSync } from 'node:fs'",
      'export async function load(url, context, next) {',
      "  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_FILES_LOG, url + '\\n')",
      '  return next(url, context)',
      '}',
      ''
    ].join('\n')
  )
  writeFileSync(
    path.join(hookDir, 'register.mjs'),
    [
      "import { appendFileSync } from 'node:fs'",
      "import { register } from 'node:module'",
      "register('./hooks.mjs', import.meta.url)",
      // Node's own modules the run loaded, read as it exits: `builtin:tls`, `builtin:https`, …
      "process.on('exit', () => appendFileSync(process.env.LOADED_FILES_LOG, process.moduleLoadList.filter(name => name.startsWith('NativeModule ')).map(name => 'builtin:' + name.slice(13) + '\\n').join('')))",
      ''
    ].join('\n')
  )
})

afterAll(async () => {
  await new Promise<void>(resolve => server.close(() => resolve()))
})

/** Runs dist/index.js with these inputs; the chunks of dist/ it loaded, and every source they bundle. */
async function loadedBy(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {}
): Promise<{ chunks: string[]; bundled: string[]; builtins: string[] }> {
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'ed-bundle-')), 'loaded.txt')
  writeFileSync(log, '')
  const run = await runAction(
    { ...(inputs.config ? {} : { 'base-url': url }), ...inputs },
    {
      env: {
        NODE_OPTIONS: `--import=${pathToFileURL(path.join(hookDir, 'register.mjs')).href}`,
        LOADED_FILES_LOG: log,
        ...extraEnv
      },
      killAfterMs: 20_000
    }
  )
  expect(run.outputs.status).toBeDefined()
  const chunks = [
    ...new Set(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(line => line.startsWith(pathToFileURL(DIST).href + '/'))
        .map(line => path.basename(new URL(line).pathname))
    )
  ]
  const builtins = readFileSync(log, 'utf8')
    .split('\n')
    .filter(line => line.startsWith('builtin:'))
    .map(line => line.slice('builtin:'.length))
  return { chunks, bundled: chunks.flatMap(chunk => sources.get(chunk) ?? []), builtins }
}

const RUNS: Record<string, Record<string, string>> = {
  epmware: { platform: 'epmware', token: 'bundle-token-1234', target: 'ASOALL', wait: 'false' },
  'mule-mmc': {
    platform: 'mule-mmc',
    username: 'u',
    password: 'bundle-pass-1234',
    operation: 'status',
    target: 'app'
  },
  'bmc-rpm': { platform: 'bmc-rpm', token: 'bundle-token-1234', target: '12' },
  mobilefirst: {
    platform: 'mobilefirst',
    username: 'u',
    password: 'bundle-pass-1234',
    operation: 'status',
    target: 'mfp'
  },
  flexdeploy: {
    platform: 'flexdeploy',
    username: 'u',
    password: 'bundle-pass-1234',
    operation: 'await',
    'task-id': '42',
    target: '10501'
  }
}

describe('dist/', () => {
  it('has been built (npm run package)', () => {
    expect(existsSync(path.join(DIST, 'index.js'))).toBe(true)
  })

  it('keeps undici only in the chunk of @actions/github, never beside src/main.ts', () => {
    const withUndici = [...sources].filter(([, list]) => list.some(source => packageOf(source) === 'undici'))
    expect(withUndici.length).toBeGreaterThan(0)
    for (const [, list] of withUndici) {
      expect(list.some(source => packageOf(source) === '@actions/github')).toBe(true)
      expect(list).not.toContain('src/main.ts')
    }
  })

  it('bundles zod only as the tree-shaken copy in vendor/zod-used (scripts/vendor-zod.ts)', () => {
    const all = [...sources.values()].flat()
    expect(all).toContain('vendor/zod-used/index.js')
    expect(all.filter(source => packageOf(source) === 'zod')).toEqual([])
  })

  it("puts each platform's driver in a chunk of its own", () => {
    const chunkOfDriver = new Map<string, string>()
    for (const [chunk, list] of sources) {
      const drivers = [...new Set(list.map(driverOf).filter(Boolean))]
      expect(drivers.length).toBeLessThanOrEqual(1)
      if (drivers[0]) chunkOfDriver.set(drivers[0], chunk)
    }
    expect([...chunkOfDriver.keys()].sort()).toEqual([...PLATFORM_DRIVERS].sort())
    expect(chunkOfDriver.get('epmware')).not.toBe(chunkOfDriver.get('mule-mmc'))
  })
})

describe('a run loads', () => {
  it.each(PLATFORM_DRIVERS)(
    'for %s: its own driver only, and no undici, yaml or XML parser',
    async platform => {
      const { bundled, builtins } = await loadedBy(RUNS[platform] ?? {})
      expect(bundled).toContain('src/main.ts')
      expect(bundled.map(driverOf).filter(Boolean)).toEqual([platform])
      // Not even another platform's definition or parameter schemas, nor the config file's modules.
      const platformsLoaded = new Set(bundled.map(source => /^src\/drivers\/([^/]+)\//.exec(source)?.[1]))
      for (const other of PLATFORM_DRIVERS.filter(name => name !== platform))
        expect(platformsLoaded).not.toContain(other)
      expect(bundled.filter(source => /^src\/inputs\/config-(file|plan|schema)\.ts$/.test(source))).toEqual(
        []
      )
      const packages = new Set(bundled.map(packageOf).filter(Boolean))
      expect(packages).toContain('@actions/core')
      // zod's functions come tree-shaken (vendor/zod-used), never the whole package
      expect(bundled).toContain('vendor/zod-used/index.js')
      for (const unused of ['undici', 'yaml', 'fast-xml-parser', '@actions/github', '@octokit/core', 'zod'])
        expect(packages).not.toContain(unused)
      // Over plain http nothing of TLS, and nothing @actions/core only needs for OIDC or platform details: its
      // copies of @actions/http-client and @actions/exec are stand-ins (vendor/), the action's requests go
      // through src/http/send.ts, and of the real @actions/http-client only its proxy rules load.
      for (const unused of ['tunnel', '@actions/exec', '@actions/io']) expect(packages).not.toContain(unused)
      expect(bundled.filter(source => packageOf(source) === '@actions/http-client')).toEqual([
        'node_modules/@actions/http-client/lib/proxy.js'
      ])
      for (const builtin of ['tls', 'https', 'child_process']) expect(builtins).not.toContain(builtin)
      expect(builtins).toContain('http')
    }
  )

  it('every definition and the config modules when config is given', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'ed-bundle-config-'))
    writeFileSync(
      path.join(workspace, 'deploy.yml'),
      `deployments:\n  - name: one\n    platform: epmware\n    base-url: ${url}\n    token: \${{ env.T }}\n    target: ASOALL\n    wait: false\n`
    )
    const { bundled } = await loadedBy(
      { config: 'deploy.yml' },
      { GITHUB_WORKSPACE: workspace, T: 'bundle-token-1234' }
    )
    expect(bundled).toContain('src/inputs/config-file.ts')
    expect(bundled).toContain('src/inputs/config-plan.ts')
    for (const platform of PLATFORM_DRIVERS) expect(bundled).toContain(`src/drivers/${platform}/index.ts`)
    expect(new Set(bundled.map(packageOf))).toContain('yaml')
  })

  it('yaml when parameters is given', async () => {
    const { bundled } = await loadedBy({ ...RUNS.epmware, parameters: 'rollback: ASOALL_PREVIOUS' })
    expect(new Set(bundled.map(packageOf))).toContain('yaml')
  })
})
