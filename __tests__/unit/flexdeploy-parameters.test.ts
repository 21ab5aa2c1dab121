import { describe, expect, it } from '@jest/globals'
import { flexdeploy } from '../../src/drivers/flexdeploy/index.js'
import { FlexDeployParametersSchema } from '../../src/drivers/flexdeploy/parameters.js'
import { parameterProblems } from '../../src/inputs/plan.js'
import type { Deployment } from '../../src/inputs/schema.js'
import { testDeployment } from '../fixtures/deployment.js'

const parse = (value: unknown) => FlexDeployParametersSchema.safeParse(value)

function deployment(
  operation: string,
  parameters: Record<string, unknown>,
  extra: Partial<Deployment> = {}
): Deployment {
  return testDeployment({
    platform: 'flexdeploy',
    baseUrl: 'http://host/flexdeploy',
    operation,
    target: '10501',
    parameters: FlexDeployParametersSchema.parse(parameters) as Record<string, unknown>,
    credentials: { username: 'u', password: 'p' },
    pollIntervalMs: 1000,
    maxPollIntervalMs: 5000,
    ...extra
  })
}

const problems = (d: Deployment) => flexdeploy.validate(d).map(problem => problem.problem)

describe('FlexDeploy parameters', () => {
  it('accepts inputs and flexFields as a plain mapping or as the documented list', () => {
    const mapping = parse({ inputs: { RESTART_SERVER: true, COUNT: 3 }, flexFields: { CHANGE: 'CHG1' } })
    const list = parse({
      inputs: [
        { code: 'RESTART_SERVER', value: 'true' },
        { code: 'COUNT', value: 3 }
      ]
    })
    expect(mapping.data?.inputs).toEqual([
      { code: 'RESTART_SERVER', value: 'true' },
      { code: 'COUNT', value: '3' }
    ])
    expect(mapping.data?.flexFields).toEqual([{ code: 'CHANGE', value: 'CHG1' }])
    expect(list.data?.inputs).toEqual(mapping.data?.inputs)
    expect(parse({ inputs: ['x'] }).success).toBe(false)
  })

  it('takes ids as numbers or digit strings, and one instance id as a list', () => {
    expect(parse({ environmentId: '11210', instanceIds: 100001 }).data).toEqual({
      environmentId: 11210,
      instanceIds: [100001]
    })
    expect(parse({ environmentId: 'QA' }).error?.issues[0]?.message).toBe(
      'environmentId must be a numeric FlexDeploy id, e.g. 11210'
    )
  })

  it('accepts the documented startTime format only', () => {
    for (const good of ['2019-03-16T21:17:52-06:00', '2018-07-20T11:31:06Z'])
      expect(parse({ startTime: good }).success).toBe(true)
    for (const bad of [
      '2019-03-16 21:17:52',
      '2019-03-16T21:17-06:00',
      '2019-02-30T10:00:00Z',
      '2019-03-16T25:00:00Z'
    ])
      expect(parse({ startTime: bad }).success).toBe(false)
  })

  it('reads true/false words as flags, as the vendor example sends them', () => {
    expect(parse({ forceDeploy: 'false' }).data).toEqual({ forceDeploy: false })
    expect(parse({ forceDeploy: 'maybe' }).success).toBe(false)
  })

  it('checks packageDetails and projectFiles entries', () => {
    expect(parse({ packageDetails: [{ packageName: 'P1', useLatestPackageVersion: true }] }).success).toBe(
      true
    )
    expect(parse({ packageDetails: [{ packageName: 'P1' }] }).success).toBe(false)
    expect(parse({ projectFiles: [{ path: '/java/A.java', scmRevision: '1515' }] }).success).toBe(true)
    expect(parse({ projectFiles: [{ file: '/java/A.java' }] }).success).toBe(false)
  })

  it('names an unknown key and lists the valid ones', () => {
    const checked = parameterProblems(flexdeploy, { environmentID: 1 })
    expect(checked.problems[0]?.problem).toBe(
      "unknown key 'environmentID' for flexdeploy; valid keys: apiVersion, environmentId, environment, instances, stream, branch, release, instanceIds, streamId, forceBuild, forceDeploy, projectVersionId, exceptionToWindow, startTime, workflowVersionOverride, inputs, flexFields, packageDetails, projectFiles, packageName, releaseId, relatedTickets, changeTickets"
    )
  })

  it('requires environmentId for every trigger and streamId for build', () => {
    expect(problems(deployment('deploy', {}))).toEqual([
      "environmentId or environment is required for operation: deploy (the environment's numeric id, e.g. environmentId: 11210, or its code, e.g. environment: PROD)"
    ])
    expect(problems(deployment('build', { environmentId: 1 }))).toEqual([
      'streamId, stream or branch is required for operation: build (the project stream’s numeric id, or its name, e.g. stream: main)'
    ])
    expect(problems(deployment('execute', { environmentId: 1 }))).toEqual([])
  })

  it('refuses a field the operation’s endpoint does not take', () => {
    expect(problems(deployment('execute', { environmentId: 1, forceBuild: true }))).toEqual([
      'forceBuild is not a field of the execute request; it applies to build (valid for execute: apiVersion, environmentId, environment, instanceIds, instances, exceptionToWindow, startTime, workflowVersionOverride, inputs, flexFields)'
    ])
    expect(problems(deployment('status', { environmentId: 1 }))).toEqual([
      'environmentId is not used by operation: status, which triggers nothing (it takes apiVersion only)'
    ])
    expect(problems(deployment('status', { apiVersion: 'v2' }))).toEqual([])
  })

  it('takes apiVersion auto, v1 or v2 only', () => {
    for (const good of ['auto', 'v1', 'v2']) expect(parse({ apiVersion: good }).success).toBe(true)
    expect(parse({ apiVersion: 'v3' }).error?.issues[0]?.message).toBe('apiVersion must be auto, v1 or v2')
  })

  it('takes names besides ids, one code as a list, and refuses an id and a name for the same field', () => {
    expect(parse({ environment: 'PROD', instances: 'SOA1' }).data).toEqual({
      environment: 'PROD',
      instances: ['SOA1']
    })
    expect(problems(deployment('build', { environment: 'QA', branch: 'main' }))).toEqual([])
    expect(problems(deployment('deploy', { environment: 'QA', environmentId: 11210 }))).toEqual([
      'give one of environmentId and environment, not both: they name the same environment (an id, or a name the action looks up)'
    ])
    expect(
      problems(
        deployment('build', { environmentId: 1, streamId: 2, stream: 'main', releaseId: 3, release: 'R1' })
      )
    ).toEqual([
      'give one of streamId and stream, not both: they name the same stream (an id, or a name the action looks up)',
      'give one of releaseId and release, not both: they name the same release (an id, or a name the action looks up)'
    ])
    expect(
      problems(deployment('deploy', { environmentId: 1, instanceIds: [1], instances: ['SOA1'] }))
    ).toEqual([
      'give one of instanceIds and instances, not both: they name the same instance (an id, or a name the action looks up)'
    ])
  })

  it('requires a target, except to await request ids', () => {
    expect(problems(deployment('deploy', { environmentId: 1 }, { target: undefined }))[0]).toMatch(
      /^is required for flexdeploy/
    )
    expect(problems(deployment('await', {}, { target: undefined, taskId: '12001, 12002' }))).toEqual([])
    expect(problems(deployment('await', {}, { target: undefined, taskId: 'abc' }))).toEqual([
      'must be FlexDeploy workflow request ids, comma-separated (e.g. 12001,12002)'
    ])
  })
})
