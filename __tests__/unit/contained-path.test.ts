import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../src/errors.js'
import { assertContainedPath } from '../../src/http/path.js'

/** The error assertContainedPath throws for `path`, or undefined when it lets the path through. */
function refusal(path: string): ActionError | undefined {
  try {
    assertContainedPath(path, 'the status read')
    return undefined
  } catch (error) {
    return error as ActionError
  }
}

describe('assertContainedPath', () => {
  it.each([
    '/api/tasks/42',
    '/api/tasks/...',
    '/api/a.b',
    '/api/.hidden',
    '/api/..a',
    '/api/a..',
    '/api/%2e%2e%2e',
    ''
  ])('lets %j through', path => {
    expect(refusal(path)).toBeUndefined()
  })

  it.each([
    ['/api/tasks/..', '..'],
    ['/api/tasks/.', '.'],
    ['/api/%2e%2E/admin', '%2e%2E'],
    ['/api/%2E/x', '%2E'],
    ['/api/.%2e', '.%2e'],
    ['../api', '..']
  ])('refuses %j, naming the segment %j', (path, segment) => {
    const error = refusal(path)
    expect(error).toBeInstanceOf(ActionError)
    expect(error?.message).toBe(
      `Refused to send the status read: the path segment '${segment}' would take the request outside the API path it is meant for`
    )
    expect(error?.hint).toBe(
      'Check target and task-id: they are sent as one path segment and cannot be . or ..'
    )
  })

  it('names the first dot segment when there are several', () => {
    expect(refusal('/a/./b/../c')?.message).toContain("the path segment '.'")
  })

  it.each(['/api/tasks/42?admin=1', '/api/tasks/42#x', '/api/?', '/api/#'])('refuses %j: a ? or #', path => {
    expect(refusal(path)?.message).toBe(
      'Refused to send the status read: a ? or # would take the request outside the API path it is meant for'
    )
  })

  it('prefers naming a dot segment over the ? or #', () => {
    expect(refusal('/api/../x?y')?.message).toContain("the path segment '..'")
  })
})
