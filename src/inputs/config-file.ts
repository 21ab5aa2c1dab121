import path from 'node:path'
import type { Document, Node } from 'yaml'
import type * as z from 'zod/mini'
import { ConfigFileSchema, DEFAULTS_FIELDS, ENTRY_FIELDS, type ConfigFile } from './config-schema.js'
import type { FilePosition, InputProblem } from './problems.js'
import { CREDENTIAL_INPUTS, DEPLOYMENT_INPUTS, INPUT_NAMES } from './schema.js'
import { readSmallTextFile } from './small-file.js'
import { parseYaml } from './yaml.js'
import { yamlLibrary } from './yaml-library.js'
import { errorFields } from '../errors.js'

export type YamlPath = readonly (string | number)[]

/** The parsed file and a way back from any value's path to `file:line:column`. */
export interface ConfigSource {
  /** The path as the `config` input gave it, which is how messages name the file. */
  file: string
  config: ConfigFile
  /** Where the value at `at` is (its key when `key` is true), or its nearest parent: file, line, column. */
  locate(at: YamlPath, key?: boolean): FilePosition
}

/** Reads and validates the config file; every problem names the file, line and column. */
export function readConfigFile(
  given: string,
  workspace: string
): { source?: ConfigSource; problems: InputProblem[] } {
  const file = path.resolve(workspace, given)
  let text: string
  try {
    text = readSmallTextFile(file)
  } catch (error) {
    return {
      problems: [
        {
          input: 'config',
          value: given,
          problem: !/ENOENT|EACCES/.test(errorFields(error).message)
            ? `cannot be read: ${errorFields(error).message}`
            : `cannot read ${file}; the path is relative to the workspace (GITHUB_WORKSPACE) — check out the repository first`
        }
      ]
    }
  }
  const yaml = parseYaml(text)
  const at = (offset: number): FilePosition => {
    const { line, col } = yaml.linePos(offset)
    return { file: given, line, column: col }
  }
  if (yaml.problems.length || !yaml.document) {
    return {
      problems: yaml.problems.map((problem): InputProblem => ({
        input: 'config',
        position:
          problem.line === undefined
            ? { file: given }
            : { file: given, line: problem.line, column: problem.col },
        problem: `is not valid YAML: ${problem.message}`
      }))
    }
  }
  const document = yaml.document
  const locate = (target: YamlPath, key = false) => at(offsetOf(document, target, key))
  const value: unknown = yaml.value ?? {}
  const parsed = ConfigFileSchema.safeParse(value)
  if (!parsed.success) {
    return { problems: parsed.error.issues.flatMap(issue => issueProblems(issue, value, locate)) }
  }
  return { source: { file: given, config: parsed.data, locate }, problems: [] }
}

/** Where the node at `target` starts; the nearest ancestor that exists when the path goes further. */
function offsetOf(document: Document, target: YamlPath, key: boolean): number {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLibrary()
  let node: unknown = document.contents
  let offset = rangeStart(node) ?? 0
  for (const [index, step] of target.entries()) {
    if (isAlias(node)) node = node.resolve(document)
    let next: unknown
    if (isMap(node)) {
      const pair = node.items.find(
        item => isPair(item) && isScalar(item.key) && String(item.key.value) === String(step)
      )
      if (!pair) break
      next = key && index === target.length - 1 ? pair.key : pair.value
    } else if (isSeq(node) && typeof step === 'number') {
      next = node.items[step]
    } else break
    const start = rangeStart(next)
    if (start === undefined) break
    node = next
    offset = start
  }
  return offset
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0]
}

/** A zod issue as problems in the shape the rest of the inputs use: entry, field, value, location. */
function issueProblems(
  issue: z.core.$ZodIssue,
  root: unknown,
  locate: (at: YamlPath, key?: boolean) => FilePosition
): InputProblem[] {
  const issuePath = issue.path.filter((step): step is string | number => typeof step !== 'symbol')
  if (issue.code === 'unrecognized_keys') {
    const valid = validFieldsAt(issuePath)
    return issue.keys.map(key => ({
      ...subjectOf([...issuePath, key], root),
      position: locate([...issuePath, key], true),
      problem: unknownFieldMessage(key, valid)
    }))
  }
  const value = valueAt(root, issuePath)
  return [
    {
      ...subjectOf(issuePath, root),
      value: value === undefined || typeof value === 'object' ? undefined : String(value),
      position: locate(issuePath),
      problem: issue.message
    }
  ]
}

function unknownFieldMessage(key: string, valid: string[]): string {
  if ((CREDENTIAL_INPUTS as readonly string[]).includes(key) && valid === DEFAULTS_FIELDS) {
    return `credentials are not defaults: give each entry its own ${key}: \${{ env.NAME }}`
  }
  if ((INPUT_NAMES as string[]).includes(key) && !(DEPLOYMENT_INPUTS as readonly string[]).includes(key)) {
    return `'${key}' is an input of the whole step: set it under the step’s with:`
  }
  return `unknown field '${key}'; valid fields: ${valid.join(', ')}`
}

function validFieldsAt(at: YamlPath): string[] {
  if (at.length === 0) return ['$schema', 'defaults', 'deployments']
  if (at[0] === 'defaults') return DEFAULTS_FIELDS
  return ENTRY_FIELDS
}

/** `deployments[1] 'planning-metadata'` + field `timeout`, `defaults` + field `timeout`, or the file itself. */
export function subjectOf(at: YamlPath, root: unknown): Pick<InputProblem, 'entry' | 'input'> {
  const [first, second, ...rest] = at
  if (first === 'deployments' && typeof second === 'number') {
    const name = valueAt(root, ['deployments', second, 'name'])
    const entry = `deployments[${second}]${typeof name === 'string' ? ` '${name}'` : ''}`
    return { entry, input: rest.length ? rest.join('.') : 'name' }
  }
  if (first === 'defaults' && second !== undefined)
    return { entry: 'defaults', input: [second, ...rest].join('.') }
  return { entry: 'config file', input: at.length ? at.join('.') : '(top level)' }
}

function valueAt(root: unknown, at: YamlPath): unknown {
  let value = root
  for (const step of at) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string | number, unknown>)[step]
  }
  return value
}
