import { describe, expect, it } from '@jest/globals'
import { muleMmc } from '../../src/drivers/mule-mmc/index.js'
import { parametersOf, requestLists } from '../../src/drivers/mule-mmc/parameters.js'
import { parameterProblems } from '../../src/inputs/plan.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'

function deployment(operation: string, parameters: Record<string, unknown>, target?: string): Deployment {
  const checked = parameterProblems(muleMmc, parameters)
  return testDeployment({
    platform: 'mule-mmc',
    baseUrl: 'http://mmc.example.com:8080/mmc',
    operation,
    target,
    parameters: checked.value,
    credentials: { username: 'u', password: 'p' }
  })
}

const problemsOf = (operation: string, parameters: Record<string, unknown>, target?: string) =>
  muleMmc.validate(deployment(operation, parameters, target)).map(problem => problem.problem)

describe('Mule MMC parameters', () => {
  it('folds the serverNames and applicationNames aliases into the console’s field names', () => {
    const lists = requestLists(
      parametersOf(
        deployment(
          'create',
          { serverNames: 'mule0, mule1', serversNames: ['mule1'], applicationNames: ['app'] },
          'n'
        )
      )
    )
    expect(lists).toEqual({ serversNames: ['mule1', 'mule0'], applicationsNames: ['app'] })
  })

  it('needs a name, a target and an application for create', () => {
    expect(problemsOf('create', {})).toEqual([
      expect.stringMatching(/^is required with operation: create/),
      expect.stringMatching(/at least one target/),
      expect.stringMatching(/at least one application/)
    ])
    expect(problemsOf('create', { clusterNames: ['c'], applications: ['local$a'] }, 'n')).toEqual([])
    expect(problemsOf('create', { name: 'a', serversNames: 's', applications: 'x' }, 'b')).toEqual([
      expect.stringMatching(/differs from target 'b'/)
    ])
  })

  it('needs something to add or remove, and refuses parameters where they mean nothing', () => {
    expect(problemsOf('add', {}, 'orders')).toEqual([expect.stringMatching(/add needs at least one/)])
    expect(problemsOf('remove', { servers: ['local$s'] }, 'orders')).toEqual([])
    expect(problemsOf('redeploy', { deploy: true }, 'orders')).toEqual([
      expect.stringMatching(/do not apply to operation: redeploy; it takes allowPartial/)
    ])
  })

  it('needs target for operations on an existing deployment, not for status or await', () => {
    expect(problemsOf('deploy', {})).toEqual([expect.stringMatching(/is required for mule-mmc deploy/)])
    expect(problemsOf('status', {})).toEqual([])
    expect(problemsOf('await', {})).toEqual([])
  })

  it('names an unknown key and lists the valid ones', () => {
    const checked = parameterProblems(muleMmc, { sever: ['x'] })
    expect(checked.problems[0]?.problem).toMatch(
      /unknown key 'sever' for mule-mmc; valid keys: servers, serversNames/
    )
  })
})
