import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { describeProblem, formatPosition, problemsError } from '../../src/inputs/problems.js'

const HINT =
  'Nothing was sent to any server. See the README (and docs/config.md for config files) for every input and its valid values.'

describe('formatPosition', () => {
  it('writes file:line:column, file:line, or the file alone', () => {
    expect(formatPosition({ file: 'deploy.yml', line: 3, column: 7 })).toBe('deploy.yml:3:7')
    expect(formatPosition({ file: 'deploy.yml', line: 3 })).toBe('deploy.yml:3')
    expect(formatPosition({ file: 'deploy.yml' })).toBe('deploy.yml')
    expect(formatPosition({ file: 'deploy.yml', column: 7 })).toBe('deploy.yml')
  })
})

describe('describeProblem', () => {
  it('names the input, quotes its value and says what is wrong', () => {
    expect(describeProblem({ input: 'wait', value: 'maybe', problem: 'use true or false' })).toBe(
      "input 'wait' 'maybe': use true or false"
    )
    expect(describeProblem({ input: 'platform', problem: 'is required' })).toBe(
      "input 'platform': is required"
    )
    expect(describeProblem({ input: 'target', value: '', problem: 'is empty' })).toBe(
      "input 'target' '': is empty"
    )
  })

  it('quotes the value the way shownValue does: one line, no user info', () => {
    expect(
      describeProblem({ input: 'base-url', value: 'https://u:pw@host/x\n', problem: 'no credentials here' })
    ).toBe("input 'base-url' 'https://host': no credentials here")
  })

  it('hides the value of token, password and github-token whatever it is', () => {
    for (const input of ['token', 'password', 'github-token'])
      expect(describeProblem({ input, value: 'plain-looking', problem: 'is wrong' })).toBe(
        `input '${input}' (value hidden): is wrong`
      )
    expect(describeProblem({ input: 'username', value: 'plain-looking', problem: 'is wrong' })).toBe(
      "input 'username' 'plain-looking': is wrong"
    )
  })

  it('shows a value holding a known credential as ***', () => {
    const conceals = (value: string) => value.includes('tok-123')
    expect(describeProblem({ input: 'target', value: 'x tok-123', problem: 'bad' }, conceals)).toBe(
      "input 'target' '***': bad"
    )
    expect(describeProblem({ input: 'target', value: 'x', problem: 'bad' }, conceals)).toBe(
      "input 'target' 'x': bad"
    )
  })

  it('says where: the file position before the location in words', () => {
    expect(
      describeProblem({ input: 'parameters', value: 'a: [', location: 'line 1, column 4', problem: 'bad' })
    ).toBe("input 'parameters' 'a: [' (line 1, column 4): bad")
    expect(
      describeProblem({
        input: 'timeout',
        value: 'soon',
        location: 'line 1, column 4',
        position: { file: 'deploy.yml', line: 5, column: 14 },
        problem: 'bad'
      })
    ).toBe("input 'timeout' 'soon' (deploy.yml:5:14): bad")
    expect(describeProblem({ input: 'timeout', position: { file: 'deploy.yml' }, problem: 'bad' })).toBe(
      "input 'timeout' (deploy.yml): bad"
    )
  })

  it('names a config file field by its entry', () => {
    expect(
      describeProblem({
        input: 'timeout',
        value: 'soon',
        entry: "deployments[1] 'b'",
        position: { file: 'deploy.yml', line: 9, column: 14 },
        problem: 'use a duration'
      })
    ).toBe("deployments[1] 'b' field 'timeout' 'soon' (deploy.yml:9:14): use a duration")
    expect(describeProblem({ input: 'token', value: 'x', entry: "deployments[0] 'a'", problem: 'no' })).toBe(
      "deployments[0] 'a' field 'token' (value hidden): no"
    )
  })
})

describe('problemsError', () => {
  it('lists every problem in one ActionError, with items for annotations and a hint', () => {
    const conceals = (value: string) => value === 'tok-123'
    const error = problemsError(
      [
        { input: 'wait', value: 'maybe', problem: 'use true or false' },
        {
          input: 'target',
          value: 'tok-123',
          entry: "deployments[0] 'a'",
          position: { file: 'deploy.yml', line: 4, column: 13 },
          problem: 'bad'
        }
      ],
      conceals
    )
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      [
        'The inputs have 2 problems:',
        "  - input 'wait' 'maybe': use true or false",
        "  - deployments[0] 'a' field 'target' '***' (deploy.yml:4:13): bad"
      ].join('\n')
    )
    expect(error.items).toEqual([
      { text: "input 'wait' 'maybe': use true or false" },
      {
        text: "deployments[0] 'a' field 'target' '***' (deploy.yml:4:13): bad",
        file: 'deploy.yml',
        line: 4,
        column: 13
      }
    ])
    expect(error.hint).toBe(HINT)
    expect(error.transient).toBe(false)
  })

  it('counts one problem in the singular', () => {
    const error = problemsError([{ input: 'platform', problem: 'is required' }])
    expect(error.message).toBe("The inputs have 1 problem:\n  - input 'platform': is required")
    expect(error.items).toEqual([{ text: "input 'platform': is required" }])
  })
})
