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
