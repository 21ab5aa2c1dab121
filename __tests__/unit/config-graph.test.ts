import { describe, expect, it } from '@jest/globals'
import { findCycle, graphProblems } from '../../src/inputs/graph.js'

const node = (name: string, ...needs: string[]) => ({ name, needs })

describe('needs graph', () => {
  it('accepts a graph without cycles', () => {
    expect(graphProblems([node('a'), node('b', 'a'), node('c', 'a', 'b')])).toEqual([])
  })

  it('finds a cycle and says it in order', () => {
    expect(findCycle([node('a', 'b'), node('b', 'c'), node('c', 'a')])).toEqual(['a', 'b', 'c', 'a'])
    expect(findCycle([node('x'), node('a', 'x', 'b'), node('b', 'a')])).toEqual(['a', 'b', 'a'])
    expect(graphProblems([node('a', 'b'), node('b', 'a')])).toEqual([
      { name: 'a', problem: 'needs form a cycle: a → b → a' }
    ])
  })

  it('names unknown needs and self-needs, and ignores names outside this run', () => {
    expect(graphProblems([node('a', 'a'), node('b', 'nope', 'prod-only')], new Set(['prod-only']))).toEqual([
      { name: 'a', need: 'a', problem: 'a deployment cannot need itself' },
      {
        name: 'b',
        need: 'nope',
        problem: "needs 'nope', which is not a deployment of this file; names: a, b, prod-only"
      }
    ])
  })

  it('sees no cycle in a diamond, however the nodes are ordered', () => {
    const diamond = [
      node('top', 'left', 'right'),
      node('left', 'bottom'),
      node('right', 'bottom'),
      node('bottom')
    ]
    expect(findCycle(diamond)).toBeUndefined()
    expect(findCycle([...diamond].reverse())).toBeUndefined()
    expect(graphProblems(diamond)).toEqual([])
  })

  it('says a cycle from where it closes, not from where the search began', () => {
    expect(findCycle([node('start', 'x'), node('x', 'y'), node('y', 'z'), node('z', 'x')])).toEqual([
      'x',
      'y',
      'z',
      'x'
    ])
    expect(graphProblems([node('start', 'x'), node('x', 'y'), node('y', 'x')])).toEqual([
      { name: 'x', problem: 'needs form a cycle: x → y → x' }
    ])
  })

  it('finds a cycle among nodes after an acyclic first one', () => {
    expect(findCycle([node('alone'), node('p', 'q'), node('q', 'p')])).toEqual(['p', 'q', 'p'])
  })

  it('lists every problem: each bad need in order, then the cycle, and names only this file without outside', () => {
    expect(graphProblems([node('a', 'x', 'b'), node('b', 'a', 'b', 'y')])).toEqual([
      { name: 'a', need: 'x', problem: "needs 'x', which is not a deployment of this file; names: a, b" },
      { name: 'b', need: 'b', problem: 'a deployment cannot need itself' },
      { name: 'b', need: 'y', problem: "needs 'y', which is not a deployment of this file; names: a, b" },
      { name: 'a', problem: 'needs form a cycle: a → b → a' }
    ])
  })

  it('follows no need to a name it does not know', () => {
    expect(findCycle([node('a', 'elsewhere'), node('b', 'a', 'nowhere')])).toBeUndefined()
  })

  it('visits each deployment once: forty diamonds in a row (2^40 paths) are checked at once', () => {
    const nodes = []
    for (let i = 0; i < 40; i++) {
      nodes.push(node(`n${i}`, `l${i}`, `r${i}`), node(`l${i}`, `n${i + 1}`), node(`r${i}`, `n${i + 1}`))
    }
    nodes.push(node('n40'))
    // a second visit of a finished deployment would walk every path: this would not return
    expect(findCycle(nodes)).toBeUndefined()
    const closed = [...nodes.slice(0, -1), node('n40', 'n0')]
    const [problem, ...more] = graphProblems(closed)
    expect(more).toEqual([])
    expect(problem?.problem).toMatch(/^needs form a cycle: n0 → l0 → n1 → l1 → n2 .* → n40 → n0$/)
  })
})
