import { describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { readConfigFile, subjectOf } from '../../src/inputs/config-file.js'
import { DEFAULTS_FIELDS, ENTRY_FIELDS } from '../../src/inputs/config-schema.js'
import { tempDirSync } from '../fixtures/temp.js'

const workspace = tempDirSync('ed-config-file-')

function read(text: string, name = 'deploy.yml') {
  writeFileSync(path.join(workspace, name), text)
  return readConfigFile(name, workspace)
}

const ENTRY = '  - name: a\n    platform: epmware\n'

describe('readConfigFile', () => {
  it('gives the parsed file, named as the input gave it', () => {
    const { source, problems } = read(`deployments:\n${ENTRY}`)
    expect(problems).toEqual([])
    expect(source?.file).toBe('deploy.yml')
    expect(source?.config).toEqual({ deployments: [{ name: 'a', platform: 'epmware' }] })
  })

  it('says a missing file’s path is relative to the workspace', () => {
    expect(readConfigFile('nope/deploy.yml', workspace)).toEqual({
      problems: [
        {
          input: 'config',
          value: 'nope/deploy.yml',
          problem: `cannot read ${path.join(workspace, 'nope/deploy.yml')}; the path is relative to the workspace (GITHUB_WORKSPACE) — check out the repository first`
        }
      ]
    })
  })

  it('gives the reason when the path is there but cannot be read', () => {
    mkdirSync(path.join(workspace, 'folder.yml'), { recursive: true })
    expect(readConfigFile('folder.yml', workspace)).toEqual({
      problems: [
        {
          input: 'config',
          value: 'folder.yml',
          problem: `cannot be read: ${path.join(workspace, 'folder.yml')} is not a regular file`
        }
      ]
    })
  })

  it('names each YAML problem by line and column', () => {
    expect(read('deployments:\n  - name: a\n    name: b\n')).toEqual({
      problems: [
        {
          input: 'config',
          position: { file: 'deploy.yml', line: 3, column: 5 },
          problem: 'is not valid YAML: Map keys must be unique'
        }
      ]
    })
  })

  it('reads an empty file as an empty mapping', () => {
    expect(read('')).toEqual({
      problems: [
        {
          entry: 'config file',
          input: 'deployments',
          value: undefined,
          position: { file: 'deploy.yml', line: 1, column: 1 },
          problem: 'is required: a list of deployments'
        }
      ]
    })
  })

  it('names a file that is not a mapping at the top level', () => {
    expect(read('- a\n- b\n').problems).toEqual([
      {
        entry: 'config file',
        input: '(top level)',
        value: undefined,
        position: { file: 'deploy.yml', line: 1, column: 1 },
        problem: 'Invalid input: expected object, received array'
      }
    ])
  })

  it('points at the value of a bad field, and shows it when it is a scalar', () => {
    const { problems } = read(`deployments:\n${ENTRY}    wait: 5\n    needs: { a: 1 }\n`)
    expect(problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'wait',
        value: '5',
        position: { file: 'deploy.yml', line: 4, column: 11 },
        problem: 'use true or false'
      },
      {
        entry: "deployments[0] 'a'",
        input: 'needs',
        value: undefined,
        position: { file: 'deploy.yml', line: 5, column: 12 },
        problem: 'Invalid input: expected array, received object'
      }
    ])
  })

  it('points at the key of an unknown field, listing the valid ones where it is', () => {
    const { problems } = read(`colour: red\ndefaults:\n  shade: x\ndeployments:\n${ENTRY}    hue: 1\n`)
    expect(problems).toEqual([
      {
        entry: 'defaults',
        input: 'shade',
        position: { file: 'deploy.yml', line: 3, column: 3 },
        problem: `unknown field 'shade'; valid fields: ${DEFAULTS_FIELDS.join(', ')}`
      },
      {
        entry: "deployments[0] 'a'",
        input: 'hue',
        position: { file: 'deploy.yml', line: 7, column: 5 },
        problem: `unknown field 'hue'; valid fields: ${ENTRY_FIELDS.join(', ')}`
      },
      {
        entry: 'config file',
        input: 'colour',
        position: { file: 'deploy.yml', line: 1, column: 1 },
        problem: "unknown field 'colour'; valid fields: $schema, defaults, deployments"
      }
    ])
  })

  it('says credentials are no defaults, and a step input belongs under with:', () => {
    const { problems } = read(
      `defaults:\n  token: x\n  max-parallel: 2\ndeployments:\n${ENTRY}    summary: false\n`
    )
    expect(problems.map(problem => [problem.entry, problem.input, problem.problem])).toEqual([
      ['defaults', 'token', 'credentials are not defaults: give each entry its own token: ${{ env.NAME }}'],
      [
        'defaults',
        'max-parallel',
        "'max-parallel' is an input of the whole step: set it under the step’s with:"
      ],
      [
        "deployments[0] 'a'",
        'summary',
        "'summary' is an input of the whole step: set it under the step’s with:"
      ]
    ])
  })

  it('takes a credential at the top level for an unknown field like any other', () => {
    expect(read(`token: x\ndeployments:\n${ENTRY}`).problems).toEqual([
      {
        entry: 'config file',
        input: 'token',
        position: { file: 'deploy.yml', line: 1, column: 1 },
        problem: "unknown field 'token'; valid fields: $schema, defaults, deployments"
      }
    ])
  })

  it('names an entry by its index alone when its name is not text, and an entry that is no mapping', () => {
    const { problems } = read('deployments:\n  - name: 5\n  - plain\n')
    expect(problems.map(problem => [problem.entry, problem.input, problem.value, problem.position])).toEqual([
      ['deployments[0]', 'name', '5', { file: 'deploy.yml', line: 2, column: 11 }],
      ['deployments[1]', 'name', 'plain', { file: 'deploy.yml', line: 3, column: 5 }]
    ])
  })

  it('names defaults that are no mapping', () => {
    const { problems } = read(`defaults: 5\ndeployments:\n${ENTRY}`)
    expect(problems).toEqual([
      {
        entry: 'config file',
        input: 'defaults',
        value: '5',
        position: { file: 'deploy.yml', line: 1, column: 11 },
        problem: 'Invalid input: expected object, received number'
      }
    ])
  })

  it('follows aliases to where the value was written', () => {
    const { problems } = read(`base: &entry\n  name: a\n  wait: maybe\ndeployments:\n  - *entry\n`)
    expect(problems.map(problem => [problem.entry, problem.input, problem.position])).toEqual([
      ["deployments[0] 'a'", 'wait', { file: 'deploy.yml', line: 3, column: 9 }],
      ['config file', 'base', { file: 'deploy.yml', line: 1, column: 1 }]
    ])
  })

  it('finds keys written as numbers, and the nearest parent of a place that is not written', () => {
    const { source } = read(`deployments:\n  - name: a\n    parameters: { 1: x }\n    environments: [dev]\n`)
    expect(source?.locate(['deployments', 0, 'parameters', 1])).toEqual({
      file: 'deploy.yml',
      line: 3,
      column: 22
    })
    expect(source?.locate(['deployments', 0, 'parameters', 1], true)).toEqual({
      file: 'deploy.yml',
      line: 3,
      column: 19
    })
    expect(source?.locate(['deployments', 0, 'parameters'], true)).toEqual({
      file: 'deploy.yml',
      line: 3,
      column: 5
    })
    expect(source?.locate(['deployments', 0, 'parameters', 'missing'])).toEqual({
      file: 'deploy.yml',
      line: 3,
      column: 17
    })
    expect(source?.locate(['deployments', 0, 'environments', 'dev'])).toEqual({
      file: 'deploy.yml',
      line: 4,
      column: 19
    })
    expect(source?.locate(['deployments', 0, 'environments', 5])).toEqual({
      file: 'deploy.yml',
      line: 4,
      column: 19
    })
    expect(source?.locate(['deployments', 0, 'name', 'deeper'])).toEqual({
      file: 'deploy.yml',
      line: 2,
      column: 11
    })
    expect(source?.locate([])).toEqual({ file: 'deploy.yml', line: 1, column: 1 })
    // an index into a text or a mapping stops there too
    expect(source?.locate(['deployments', 0, 'name', 0])).toEqual({ file: 'deploy.yml', line: 2, column: 11 })
    expect(source?.locate(['deployments', 0, 0])).toEqual({ file: 'deploy.yml', line: 2, column: 5 })
  })

  it('starts at the document’s own start', () => {
    const { source } = read(`# settings\n\ndeployments:\n${ENTRY}`)
    expect(source?.locate([])).toEqual({ file: 'deploy.yml', line: 3, column: 1 })
    expect(source?.locate(['nothing'])).toEqual({ file: 'deploy.yml', line: 3, column: 1 })
  })
})

describe('subjectOf', () => {
  const root = { deployments: [{ name: 'first' }, { name: 7 }], defaults: {} }

  it('names an entry by index and name, and the field inside it', () => {
    expect(subjectOf(['deployments', 0, 'parameters', 'rollback'], root)).toEqual({
      entry: "deployments[0] 'first'",
      input: 'parameters.rollback'
    })
    expect(subjectOf(['deployments', 1], root)).toEqual({ entry: 'deployments[1]', input: 'name' })
    expect(subjectOf(['deployments', 3, 'wait'], root)).toEqual({ entry: 'deployments[3]', input: 'wait' })
  })

  it('names defaults and their field, and the file itself', () => {
    expect(subjectOf(['defaults', 'parameters', 'x'], root)).toEqual({
      entry: 'defaults',
      input: 'parameters.x'
    })
    expect(subjectOf(['defaults'], root)).toEqual({ entry: 'config file', input: 'defaults' })
    expect(subjectOf(['deployments'], root)).toEqual({ entry: 'config file', input: 'deployments' })
    expect(subjectOf(['deployments', 'x'], root)).toEqual({ entry: 'config file', input: 'deployments.x' })
    expect(subjectOf([], root)).toEqual({ entry: 'config file', input: '(top level)' })
    expect(subjectOf(['defaults', 0], root)).toEqual({ entry: 'defaults', input: '0' })
    expect(subjectOf(['other', 1], root)).toEqual({ entry: 'config file', input: 'other.1' })
    expect(subjectOf(['deployments', 0], null)).toEqual({ entry: 'deployments[0]', input: 'name' })
    expect(subjectOf(['deployments', 0], { deployments: 'text' })).toEqual({
      entry: 'deployments[0]',
      input: 'name'
    })
  })
})
