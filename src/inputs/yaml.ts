import type { Document, Node } from 'yaml'
import { yamlLibrary } from './yaml-library.js'
import { errorFields } from '../errors.js'

/** Deeper than any config file or `parameters` value needs; far below where recursion would overflow. */
export const MAX_YAML_DEPTH = 64
/** How many alias expansions a document may make: enough for sharing defaults, too few for a "billion laughs". */
export const MAX_YAML_ALIASES = 100

/** A YAML problem and, where known, its line and column (1-based). */
export interface YamlProblem {
  message: string
  line?: number
  col?: number
}

export interface ParsedYaml {
  document?: Document
  /** Turns an offset in the text into its line and column. */
  linePos(offset: number): { line: number; col: number }
  value?: unknown
  problems: YamlProblem[]
}

/**
 * Parses YAML text into a value, or says what is wrong and where: syntax, nesting deeper than
 * MAX_YAML_DEPTH, an alias to nothing, to itself, or one that expands too far. Never throws: a document
 * that would exhaust the stack or the memory is a problem like any other.
 */
export function parseYaml(text: string): ParsedYaml {
  const { LineCounter, parseDocument } = yamlLibrary()
  const lineCounter = new LineCounter()
  const linePos = (offset: number) => lineCounter.linePos(offset)
  const at = (offset: number | undefined) => (offset === undefined ? {} : linePos(offset))
  let document: Document
  try {
    document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  } catch (error) {
    return { linePos, problems: [{ message: reasonOf(errorFields(error).message) }] }
  }
  if (document.errors.length) {
    const problems = document.errors.map(error => ({
      message:
        // A stack overflow, however yaml reports it: RESOURCE_EXHAUSTION from a collection, TAG_RESOLVE_FAILED
        // from a scalar's tag, both with the engine's message; any other error keeps its own reason.
        /call stack/i.test(error.message) ? tooDeep() : reasonOf(error.message),
      ...at(error.pos[0])
    }))
    return { document, linePos, problems: dedupe(problems) }
  }
  const shape = shapeProblem(document)
  if (shape) return { document, linePos, problems: [{ message: shape.message, ...at(shape.offset) }] }
  try {
    return { document, linePos, value: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }), problems: [] }
  } catch (error) {
    const { message } = errorFields(error)
    const excessive = /alias count/i.test(message)
    return {
      document,
      linePos,
      problems: [
        {
          message: excessive
            ? `its aliases expand to more than ${MAX_YAML_ALIASES} copies (a "billion laughs"?); write the values out or share fewer`
            : reasonOf(message),
          ...at(firstAliasOffset(document, excessive))
        }
      ]
    }
  }
}

function tooDeep(): string {
  return `nests collections more than ${MAX_YAML_DEPTH} levels deep`
}

/** The library's first line without the position it repeats ("… at line 3, column 5:"). */
function reasonOf(message: string): string {
  const first = message.split('\n')[0] ?? message
  return first.replace(/\s+at line \d+, column \d+:?\s*$/, '').trim() || 'unreadable'
}

/** Nesting too deep is reported once, at its first place, without the errors it causes further on. */
function dedupe(problems: YamlProblem[]): YamlProblem[] {
  const deep = problems.find(problem => problem.message === tooDeep())
  if (deep) return [deep]
  const seen = new Set<string>()
  return problems.filter(problem => {
    const key = JSON.stringify(problem)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Walks the tree without recursion, counting how deep collections nest once aliases are expanded, and
 * finding an alias inside the node it names. The first node past MAX_YAML_DEPTH, or the self-alias, is
 * where the problem is.
 */
function shapeProblem(document: Document): { message: string; offset?: number } | undefined {
  const { isAlias, isCollection, isMap, isPair, isSeq } = yamlLibrary()
  interface Frame {
    node: unknown
    depth: number
    /** Anchored collections this node sits in (for an alias that names one of them). */
    within: ReadonlySet<unknown>
  }
  const stack: Frame[] = [{ node: document.contents, depth: 0, within: new Set() }]
  // An anchored node is walked once per depth it is reached at: enough to bound the work.
  const walked = new Map<unknown, number>()
  while (stack.length) {
    const { node, depth, within } = stack.pop() as Frame
    if (isAlias(node)) {
      const target = node.resolve(document)
      if (target === undefined) continue // toJS names the missing anchor
      if (within.has(target))
        return {
          message: `alias *${node.source} is inside the node it names, so it never ends`,
          offset: node.range?.[0]
        }
      if ((walked.get(target) ?? -1) >= depth) continue
      walked.set(target, depth)
      stack.push({ node: target, depth, within })
      continue
    }
    if (!isCollection(node)) continue
    const level = depth + 1
    if (level > MAX_YAML_DEPTH) return { message: tooDeep(), offset: (node as Node).range?.[0] }
    const inside = (node as Node & { anchor?: string }).anchor ? new Set([...within, node]) : within
    const children: unknown[] = []
    if (isMap(node)) {
      for (const pair of node.items) if (isPair(pair)) children.push(pair.key, pair.value)
    } else if (isSeq(node)) children.push(...node.items)
    for (const child of children.reverse()) stack.push({ node: child, depth: level, within: inside })
  }
  return undefined
}

/** Where an alias problem is: the first alias that names a node holding aliases (or the first alias). */
function firstAliasOffset(document: Document, nested: boolean): number | undefined {
  const { isAlias, isCollection, isMap, isPair, isSeq } = yamlLibrary()
  const aliases: { offset?: number; target: unknown; source: string }[] = []
  const stack: unknown[] = [document.contents]
  while (stack.length) {
    const node = stack.pop()
    if (isAlias(node)) {
      aliases.push({ offset: node.range?.[0], target: node.resolve(document), source: node.source })
      continue
    }
    if (isMap(node)) {
      for (const pair of [...node.items].reverse()) if (isPair(pair)) stack.push(pair.value, pair.key)
    } else if (isSeq(node)) stack.push(...[...node.items].reverse())
  }
  // The walk is pre-order, keys before values and items in turn: the aliases are in document order.
  if (!nested) return (aliases.find(alias => alias.target === undefined) ?? aliases[0])?.offset
  const expanding = aliases.find(alias => isCollection(alias.target) && containsAlias(alias.target))
  return (expanding ?? aliases[0])?.offset
}

function containsAlias(root: unknown): boolean {
  const { isAlias, isMap, isPair, isSeq } = yamlLibrary()
  const stack: unknown[] = [root]
  while (stack.length) {
    const node = stack.pop()
    if (isAlias(node)) return true
    if (isMap(node)) {
      for (const pair of node.items) if (isPair(pair)) stack.push(pair.key, pair.value)
    } else if (isSeq(node)) stack.push(...node.items)
  }
  return false
}
