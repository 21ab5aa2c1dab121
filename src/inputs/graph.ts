/** A deployment as the dependency graph sees it. */
export interface GraphNode {
  name: string
  needs: readonly string[]
}

export interface GraphProblem {
  /** The deployment whose `needs` is wrong. */
  name: string
  /** The entry of its `needs` at fault, when one is. */
  need?: string
  problem: string
}

/**
 * Checks `needs` before anything runs: every name must be a deployment of this run (or, `outside`, one
 * that does not run here and is then ignored), never itself, and the graph must have no cycle.
 */
export function graphProblems(
  nodes: readonly GraphNode[],
  outside: ReadonlySet<string> = new Set()
): GraphProblem[] {
  const names = new Set(nodes.map(node => node.name))
  const problems: GraphProblem[] = []
  for (const node of nodes) {
    for (const need of node.needs) {
      if (need === node.name)
        problems.push({ name: node.name, need, problem: 'a deployment cannot need itself' })
      else if (!names.has(need) && !outside.has(need)) {
        problems.push({
          name: node.name,
          need,
          problem: `needs '${need}', which is not a deployment of this file; names: ${[...names, ...outside].join(', ')}`
        })
      }
    }
  }
  const cycle = findCycle(
    nodes.map(node => ({ ...node, needs: node.needs.filter(need => names.has(need) && need !== node.name) }))
  )
  if (cycle) problems.push({ name: cycle[0] ?? '', problem: `needs form a cycle: ${cycle.join(' → ')}` })
  return problems
}

/** The first cycle found, as names with the first repeated at the end; undefined when there is none. */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const byName = new Map(nodes.map(node => [node.name, node]))
  const state = new Map<string, 'visiting' | 'done'>()
  const trail: string[] = []
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name]
    state.set(name, 'visiting')
    trail.push(name)
    for (const need of byName.get(name)?.needs ?? []) {
      const cycle = visit(need)
      if (cycle) return cycle
    }
    trail.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const node of nodes) {
    const cycle = visit(node.name)
    if (cycle) return cycle
  }
  return undefined
}

/**
 * The nodes in waves: the first holds those that need nothing of this run, each next one those whose needs
 * all sit in earlier waves (a node goes in the wave right after its latest need). Needs outside the nodes
 * count as met. Nodes keep the order given within a wave. Expects no cycle; nodes on one are left out.
 */
export function waves<Node extends GraphNode>(nodes: readonly Node[]): Node[][] {
  const names = new Set(nodes.map(node => node.name))
  const waveOf = new Map<string, number>()
  for (let changed = true; changed;) {
    changed = false
    for (const node of nodes) {
      if (waveOf.has(node.name)) continue
      const needs = node.needs.filter(need => names.has(need))
      if (!needs.every(need => waveOf.has(need))) continue
      waveOf.set(node.name, Math.max(-1, ...needs.map(need => waveOf.get(need) ?? 0)) + 1)
      changed = true
    }
  }
  const grouped: Node[][] = []
  for (const node of nodes) {
    const wave = waveOf.get(node.name)
    if (wave !== undefined) (grouped[wave] ??= []).push(node)
  }
  return grouped
}
