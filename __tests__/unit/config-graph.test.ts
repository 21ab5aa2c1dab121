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
})
