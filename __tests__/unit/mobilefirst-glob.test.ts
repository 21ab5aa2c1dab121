import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { resolveArtifacts } from '../../src/drivers/upload/artifacts.js'
import { depthBelowBase, globToRegExp, literalBase } from '../../src/drivers/mobilefirst/glob.js'

describe('globToRegExp', () => {
  it.each([
    ['*.adapter', 'a.adapter', true],
    ['*.adapter', 'dir/a.adapter', false],
    ['*.adapter', '.hidden.adapter', false],
    ['adapters/*.adapter', 'adapters/x.adapter', true],
    ['adapters/?.adapter', 'adapters/x.adapter', true],
    ['adapters/?.adapter', 'adapters/xy.adapter', false],
    ['**/*.adapter', 'a.adapter', true],
    ['**/*.adapter', 'a/b/c/d.adapter', true],
    ['**/*.adapter', '.git/d.adapter', false],
    ['apps/**/application-descriptor.json', 'apps/application-descriptor.json', true],
    ['apps/**/application-descriptor.json', 'apps/android/application-descriptor.json', true],
    ['apps/**/application-descriptor.json', 'apps/ios/x/application-descriptor.json', true],
    ['apps/**/application-descriptor.json', 'other/android/application-descriptor.json', false],
    ['apps/**', 'apps/a/b.json', true],
    ['a+b(1)/[x].adapter', 'a+b(1)/[x].adapter', true],
    ['a+b(1)/*.adapter', 'ab1/x.adapter', false]
  ])('%s against %s is %s', (pattern, file, expected) => {
    expect(globToRegExp(pattern).test(file)).toBe(expected)
  })

  it('finds the literal base and how deep to walk', () => {
    expect(literalBase('adapters/sub/*.adapter')).toBe('adapters/sub')
    expect(literalBase('*.adapter')).toBe('')
    expect(depthBelowBase('adapters/*/x.adapter')).toBe(2)
    expect(depthBelowBase('adapters/**/x.adapter')).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('resolveArtifacts', () => {
  let root: string
  let workspace: string

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'mf-glob-'))
    workspace = path.join(root, 'ws')
    for (const dir of ['adapters', 'apps/android', 'apps/ios', '.git', 'empty']) {
      mkdirSync(path.join(workspace, dir), { recursive: true })
    }
    for (const file of [
      'adapters/a.adapter',
      'adapters/b.adapter',
      'adapters/notes.txt',
      'apps/android/application-descriptor.json',
      'apps/ios/application-descriptor.json',
      '.git/x.adapter'
    ]) {
      writeFileSync(path.join(workspace, file), file)
    }
    writeFileSync(path.join(root, 'secret.adapter'), 'outside')
    symlinkSync(path.join(root, 'secret.adapter'), path.join(workspace, 'adapters/link.adapter'))
  })

  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('resolves paths and globs, sorted and without duplicates', () => {
    const { files, problems } = resolveArtifacts(workspace, [
      'adapters/a.adapter',
      'apps/*/application-descriptor.json',
      'adapters/?.adapter'
    ])
    expect(problems).toEqual([])
    expect(files.map(file => file.relative)).toEqual([
      'adapters/a.adapter',
      'apps/android/application-descriptor.json',
      'apps/ios/application-descriptor.json',
      'adapters/b.adapter'
    ])
    expect(files[0]).toMatchObject({ name: 'a.adapter', size: 'adapters/a.adapter'.length })
  })

  it('walks ** but not into dot directories', () => {
    const { files } = resolveArtifacts(workspace, ['**/*.json'])
    expect(files.map(file => file.relative)).toEqual([
      'apps/android/application-descriptor.json',
      'apps/ios/application-descriptor.json'
    ])
  })

  it('names every pattern that matches nothing, and directories', () => {
    const { files, problems } = resolveArtifacts(workspace, ['nope/*.adapter', 'missing.adapter', 'empty'])
    expect(files).toEqual([])
    expect(problems.map(problem => [problem.value, problem.problem])).toEqual([
      ['nope/*.adapter', expect.stringMatching(/matches no file in the workspace/)],
      ['missing.adapter', expect.stringMatching(/matches no file in the workspace/)],
      ['empty', expect.stringMatching(/is a directory/)]
    ])
  })

  it('refuses anything outside the workspace: .., absolute paths, symbolic links', () => {
    const { problems } = resolveArtifacts(workspace, [
      '../secret.adapter',
      path.join(root, 'secret.adapter'),
      'adapters/../../*.adapter',
      'adapters/link.adapter'
    ])
    expect(problems).toHaveLength(4)
    expect(problems.slice(0, 3).every(problem => /outside the workspace/.test(problem.problem))).toBe(true)
    expect(problems[3]?.problem).toMatch(/symbolic link that resolves outside the workspace/)
  })

  it('accepts an absolute path inside the workspace', () => {
    const { files, problems } = resolveArtifacts(workspace, [path.join(workspace, 'adapters/a.adapter')])
    expect(problems).toEqual([])
    expect(files.map(file => file.relative)).toEqual(['adapters/a.adapter'])
  })

  it('refuses a symbolic link out even when a glob finds it', () => {
    const { files, problems } = resolveArtifacts(workspace, ['adapters/*.adapter'])
    expect(files.map(file => file.name)).toEqual(['a.adapter', 'b.adapter'])
    expect(problems[0]?.problem).toMatch(/adapters\/link.adapter is a symbolic link/)
  })
})
