import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { releaseCheck } from '../../scripts/release-notes.js'
import { removeTempDirs, tempDir } from '../fixtures/temp.js'

/** Release hygiene: one owner, one checkout version, a changelog with the version, engines that fit. */
const root = new URL('../../', import.meta.url).pathname
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
const pkg = JSON.parse(read('package.json')) as {
  version: string
  repository: { url: string }
  engines: { node: string }
  devDependencies: Record<string, string>
}

/** README, SECURITY, CHANGELOG, docs/ and the workflows: what a user reads and copies. */
function documents(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir)).flatMap(name => {
      const file = path.join(dir, name)
      if (statSync(path.join(root, file)).isDirectory()) return walk(file)
      return /\.(md|ya?ml|json)$/.test(name) ? [file] : []
    })
  return [
    'README.md',
    'SECURITY.md',
    'CHANGELOG.md',
    'action.yml',
    'config.schema.json',
    ...walk('docs'),
    ...walk('.github')
  ]
}

describe('the owner', () => {
  const owner = /^git\+https:\/\/github\.com\/([A-Za-z0-9-]+)\/enterprise-deploy\.git$/.exec(
    pkg.repository.url
  )?.[1]

  it('is named once, in package.json repository', () => {
    expect(owner).toBeDefined()
  })

  /** Every `<owner>/enterprise-deploy` a text names (uses:, URLs) that is not package.json's owner. */
  const foreignOwners = (text: string): string[] =>
    [
      ...text.matchAll(/(?<![\w.}$/-])([A-Za-z0-9-]+)\/enterprise-deploy\b/g),
      ...text.matchAll(/(?:github\.com|githubusercontent\.com)\/([A-Za-z0-9-]+)\/enterprise-deploy\b/g)
    ]
      .filter(match => match[1] !== owner)
      .map(match => match[0])

  it('is the one every document names', () => {
    const others = documents().flatMap(file => foreignOwners(read(file)).map(found => `${file}: ${found}`))
    expect(others).toEqual([])
    expect(
      documents().filter(file => read(file).includes(`${owner}/enterprise-deploy`)).length
    ).toBeGreaterThan(5)
  })

  it('finds another owner in uses: and in URLs, not in RUNNER_TEMP paths', () => {
    expect(
      foreignOwners(
        [
          'uses: octo/enterprise-deploy@v1',
          `uses: ${owner}/enterprise-deploy@v1`,
          'see https://github.com/octo-org/enterprise-deploy/releases',
          'https://raw.githubusercontent.com/someone/enterprise-deploy/v1/config.schema.json',
          'RUNNER_TEMP/enterprise-deploy and ${{ runner.temp }}/enterprise-deploy'
        ].join('\n')
      )
    ).toEqual([
      'octo/enterprise-deploy',
      'github.com/octo-org/enterprise-deploy',
      'githubusercontent.com/someone/enterprise-deploy'
    ])
  })
})

describe('actions/checkout', () => {
  it('is one version everywhere', () => {
    const versions = new Map<string, string[]>()
    for (const file of documents()) {
      for (const match of read(file).matchAll(/actions\/checkout@([\w.-]+)/g))
        versions.set(match[1] as string, [...(versions.get(match[1] as string) ?? []), file])
    }
    expect([...versions.keys()]).toEqual(['v5'])
  })
})

describe('the changelog', () => {
  it("has the package's version, an Unreleased section and release links", () => {
    const changelog = read('CHANGELOG.md')
    expect(changelog).toMatch(/^## \[Unreleased\]$/m)
    const check = releaseCheck(changelog, pkg.version)
    expect(check.problems).toEqual([])
    expect(check.notes).toMatch(/^### Added/)
    expect(changelog).toContain(`[${pkg.version}]: https://github.com/`)
  })

  it('refuses a release the changelog or package.json does not have, each reason said', () => {
    const changelog =
      '# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-11-30\n\n### Fixed\n\n- a thing\n\n## [1.1.0] - 2026-10-01\n\n- older\n'
    expect(releaseCheck(changelog, '1.2.0')).toEqual({
      version: '1.2.0',
      notes: '### Fixed\n\n- a thing',
      problems: []
    })
    expect(releaseCheck(changelog, '1.2.0', '1.3.0').problems).toEqual([
      'package.json says version 1.2.0, not 1.3.0: set it before releasing',
      "CHANGELOG.md has no '## [1.3.0] - YYYY-MM-DD' section: move the Unreleased entries there"
    ])
    expect(releaseCheck('## [2.0.0]\n\n- x\n', '2.0.0').problems).toEqual([
      "CHANGELOG.md: '## [2.0.0]' should read '## [2.0.0] - YYYY-MM-DD'"
    ])
    expect(releaseCheck('## [2.0.0] - 2026-01-01\n\n- x\n', '2.0.0', 'v2').problems).toEqual([
      "version 'v2' is not X.Y.Z",
      'package.json says version 2.0.0, not v2: set it before releasing',
      "CHANGELOG.md has no '## [v2] - YYYY-MM-DD' section: move the Unreleased entries there"
    ])
    expect(releaseCheck('## [2.0.0] - 2026-01-01\n## [1.0.0] - 2025-01-01\n', '2.0.0').problems).toEqual([
      'CHANGELOG.md: the section of 2.0.0 is empty'
    ])
  })

  it('the release workflow tags vX.Y.Z, moves vX, and checks dist/ and the changelog first', () => {
    const release = read('.github/workflows/release.yml')
    const flow = parse(release) as { on: Record<string, unknown>; permissions: Record<string, string> }
    expect(Object.keys(flow.on)).toEqual(['workflow_dispatch'])
    expect(flow.permissions).toEqual({ contents: 'write' })
    const order = [
      'scripts/release-notes.ts',
      'npm test',
      'npm run package',
      'git status --porcelain -- dist',
      'git push origin "v$VERSION"',
      'git push --force origin "$MAJOR"'
    ]
    const positions = order.map(text => release.indexOf(text))
    expect(positions.every(position => position > 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })
})

/** Whether `version` satisfies an npm engines range (the forms package-lock.json holds; others throw). */
function satisfies(version: string, range: string): boolean {
  const parts = (text: string) =>
    text.split('.').map(part => (part === '*' || part === 'x' ? NaN : Number(part)))
  const compare = (a: number[], b: number[]) => {
    for (let index = 0; index < 3; index++) {
      const diff = (a[index] ?? 0) - (b[index] ?? 0)
      if (diff) return Math.sign(diff)
    }
    return 0
  }
  const have = parts(version)
  const comparator = (token: string): boolean => {
    const match = /^(>=|<=|>|<|\^)?(\d+(?:\.(?:\d+|\*|x))*(?:\.(?:\d+|\*|x))?)$/.exec(token)
    if (!match) throw new Error(`cannot read the engines range '${range}'`)
    const [, op, text] = match as unknown as [string, string | undefined, string]
    const want = parts(text)
    const known = want.filter(part => !Number.isNaN(part))
    switch (op) {
      case '>=':
        return compare(have, known) >= 0
      case '>':
        return compare(have, known) > 0
      case '<=':
        return compare(have, known) <= 0
      case '<':
        return compare(have, known) < 0
      case '^':
        return compare(have, known) >= 0 && have[0] === known[0]
      default:
        return known.every((part, index) => have[index] === part)
    }
  }
  return range.split('||').some(alternative =>
    alternative
      .trim()
      .replace(/([<>]=?)\s+/g, '$1')
      .split(/\s+/)
      .every(comparator)
  )
}

describe('engines', () => {
  const lock = JSON.parse(read('package-lock.json')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } }>
  }
  const minimum = /^>=(\d+\.\d+)$/.exec(pkg.engines.node)?.[1] ?? ''
  const action = parse(read('action.yml')) as { runs: { using: string } }
  const runtime = `${/^node(\d+)$/.exec(action.runs.using)?.[1]}.0.0`

  it('reads the ranges npm writes', () => {
    expect(satisfies('20.19.0', '^20.19.0 || ^22.13.0 || >=24')).toBe(true)
    expect(satisfies('20.19.0', '>=22')).toBe(false)
    expect(satisfies('20.19.0', '>= 18')).toBe(true)
    expect(satisfies('20.19.0', '6.* || 8.* || >= 10.*')).toBe(true)
    expect(satisfies('20.19.0', '>=16 || 14 >=14.17')).toBe(true)
    expect(satisfies('14.16.0', '>=16 || 14 >=14.17')).toBe(false)
    expect(satisfies('20.19.0', '>=0.6.11 <=0.7.0 || >=0.7.3')).toBe(true)
    expect(satisfies('20.16.0', '^20.17.0 || >=22.9.0')).toBe(false)
    expect(() => satisfies('20.19.0', '~1.2')).toThrow(/cannot read/)
  })

  it('fit what runs: engines and @types/node from Node 20 (the tests here), action.yml node24 on GitHub', () => {
    expect(minimum).toMatch(/^20\./)
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${minimum.replace('.', '\\.')}`))
    expect(read('.node-version').trim()).toBe(runtime.split('.')[0])
  })

  it('every installed package runs on both; content-type is the one known exception, and said so', () => {
    const misfits = Object.entries(lock.packages)
      .filter(([name, entry]) => name && entry.engines?.node)
      .flatMap(([name, entry]) =>
        [`${minimum}.0`, runtime]
          .filter(version => !satisfies(version, entry.engines?.node ?? ''))
          .map(
            version =>
              `${name.replace(/^.*node_modules\//, '')}@${entry.version} (${entry.engines?.node}) on Node ${version}`
          )
      )
    expect(misfits).toEqual([`content-type@3.1.1 (>=22) on Node ${minimum}.0`])
    expect(read('README.md')).toMatch(/EBADENGINE`\s+warning, for content-type 3/)
  })
})

describe('.env.example', () => {
  it('sets only inputs action.yml declares, for npm run local-action', () => {
    const action = parse(read('action.yml')) as { inputs: Record<string, unknown> }
    const text = read('.env.example')
    const inputs = [...text.matchAll(/^#?\s*INPUT_([A-Z-]+)=/gm)].map(match =>
      (match[1] as string).toLowerCase()
    )
    expect(inputs.length).toBeGreaterThan(4)
    expect(inputs.filter(name => !(name in action.inputs))).toEqual([])
    expect(read('package.json')).toContain('@github/local-action@7 . src/main.ts .env')
    expect(read('.gitignore').split('\n')).toContain('.env')
  })
})

describe('temp folders', () => {
  it('made through the fixture are gone once removeTempDirs ran (after every test file)', async () => {
    const dir = await tempDir('ed-hygiene-')
    expect(existsSync(dir)).toBe(true)
    await removeTempDirs()
    expect(existsSync(dir)).toBe(false)
  })
})
