import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { startFlexDeploySimulator, type FlexDeploySimulator } from '../../simulator/index.js'
import { runAction, type ActionRun, everythingWritten } from './run-action.js'

const USERNAME = 'ci-deployer'
const PASSWORD = 'Fd-s3cret-pa55w0rd'
const BASIC = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')
let sim: FlexDeploySimulator

const HR = 'FlexDeploy/Human Resources'

beforeAll(async () => {
  // A FlexDeploy before 6.0 (v1 only): apiVersion auto falls back to v1. v2 flows: flexdeploy-v2.test.ts.
  sim = await startFlexDeploySimulator({
    username: USERNAME,
    password: PASSWORD,
    v2: false,
    projects: [
      {
        id: 10501,
        name: 'ProcessHRRequest',
        folderPath: HR,
        requests: [{ durationMs: 500, output: `pw ${PASSWORD}` }]
      },
      // Contains "ProcessHRRequest": the contains-ignore-case search finds both.
      { id: 10502, name: 'ProcessHRRequestArchive', folderPath: HR, requests: [{ durationMs: 300 }] },
      { id: 10503, name: 'Payroll', folderPath: `${HR}/Payroll`, requests: [{ durationMs: 300 }] },
      { id: 10504, name: 'Payroll', folderPath: `${HR}/Payroll/Legacy`, requests: [{ durationMs: 300 }] },
      { id: 10505, name: 'Benefits', folderPath: 'FlexDeploy/EU/Benefits', requests: [{ durationMs: 300 }] },
      { id: 10506, name: 'Benefits', folderPath: 'FlexDeploy/US/Benefits', requests: [{ durationMs: 300 }] },
      {
        id: 10507,
        name: 'MultiInstance',
        folderPath: HR,
        requests: [
          { durationMs: 300 },
          { durationMs: 500, outcome: 'FAILED', failure: 'Restart of managed server failed' }
        ]
      },
      {
        id: 10508,
        name: 'AlreadyThere',
        folderPath: HR,
        warning: { code: 'PROJECT_VERSION_ALREADY_DEPLOYED', message: 'Project Version is already deployed' }
      },
      { id: 10509, name: 'NeedsApproval', folderPath: HR, requests: [{ approvalMs: 800, durationMs: 300 }] },
      { id: 10516, name: 'NeverApproved', folderPath: HR, requests: [{ approvalMs: Infinity }] },
      { id: 10510, name: 'Rejected', folderPath: HR, requests: [{ approvalMs: 400, outcome: 'REJECTED' }] },
      { id: 10511, name: 'Forever', folderPath: HR, requests: [{ durationMs: 60 * 60_000 }] },
      {
        id: 10512,
        name: 'Strange',
        folderPath: HR,
        requests: [{ durationMs: 600, runningStatus: 'QUEUED_REMOTE' }]
      },
      {
        id: 10513,
        name: 'Forbidden',
        folderPath: HR,
        failWith: { status: 403, message: 'User ci-deployer may not deploy to QA' }
      },
      {
        id: 10514,
        name: 'Broken',
        folderPath: HR,
        failWith: { status: 500, message: 'java.lang.NullPointerException' }
      },
      { id: 10515, name: 'Scheduled', folderPath: HR, requests: [{ scheduledMs: 400, durationMs: 200 }] },
      {
        id: 29801,
        name: 'Util',
        folderPath: 'FlexDeploy/HR Utils',
        projectType: 'UTILITY',
        requests: [{ durationMs: 300 }]
      }
    ]
  })
})

afterAll(() => sim.close())

beforeEach(() => {
  sim.requests.length = 0
  sim.faults.length = 0
})

function flex(target: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({
    platform: 'flexdeploy',
    'base-url': `${sim.url}/flexdeploy/`,
    username: USERNAME,
    password: PASSWORD,
    target,
    parameters: 'environmentId: 11210',
    'poll-interval': '100ms',
    'max-poll-interval': '300ms',
    timeout: '20s',
    ...extra
  })
}

const triggers = () => sim.requests.filter(request => request.method === 'POST')
const bodyOf = (index = 0) => JSON.parse(triggers()[index]?.body ?? '{}') as Record<string, unknown>

describe('FlexDeploy end to end', () => {
  it('deploys a project found by its path, with the documented request body, and keeps the password secret', async () => {
    const run = await flex('Human Resources/ProcessHRRequest', {
      parameters: [
        'environmentId: 11210',
        'instanceIds: [100001]',
        'inputs: { RESTART_SERVER: "true", COMMENT: "from GitHub" }',
        'flexFields: [{ code: CHANGE, value: 42 }]',
        'changeTickets: CHG0001',
        "startTime: '2019-03-16T21:17:52-06:00'"
      ].join('\n')
    })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    expect(run.outputs.message).toMatch(/Workflow request \d+ \(ProcessHRRequest 1\.0\.\d+\) completed/)
    expect(run.stdout).toContain(
      'Target Human Resources/ProcessHRRequest is FlexDeploy project ProcessHRRequest (10501'
    )
    const search = sim.requests.find(request => request.path === '/flexdeploy/rest/v1/project')
    expect(search?.query).toEqual({ projectName: 'ProcessHRRequest', folderPath: 'Human Resources' })
    expect(triggers().map(request => request.path)).toEqual(['/flexdeploy/rest/v1/project/10501/deploy'])
    expect(bodyOf()).toEqual({
      environmentId: 11210,
      instanceIds: [100001],
      inputs: [
        { code: 'RESTART_SERVER', value: 'true' },
        { code: 'COMMENT', value: 'from GitHub' }
      ],
      flexFields: [{ code: 'CHANGE', value: '42' }],
      changeTickets: ['CHG0001'],
      startTime: '2019-03-16T21:17:52-06:00',
      projectId: 10501
    })
    const log = readFileSync(run.outputs['log-file'] ?? '', 'utf8')
    expect(log).toMatch(/workflow request \d+: SUBMITTED \(running\)/)
    expect(log).toMatch(/workflow execution \d+ of request \d+ \(DEPLOY on instance 100001\): Success/)
    expect(log).toContain('output RESULT = pw ***')
    expect(run.summary).toContain('## ✅ Succeeded · FlexDeploy deploy Human Resources/ProcessHRRequest')
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`)
    expect(run.stdout).toContain(`::add-mask::${BASIC}`)
    expect(everythingWritten(run)).not.toContain(PASSWORD)
    expect(everythingWritten(run)).not.toContain(BASIC)
    for (const request of sim.requests) expect(request.headers.authorization).toBe(`Basic ${BASIC}`)
  })

  it('builds by project id and executes a utility project (wfrequests)', async () => {
    const build = await flex('10501', {
      operation: 'build',
      parameters: 'environmentId: 11210\nstreamId: 10502\nforceBuild: true\nrelatedTickets: [HR-1, HR-2]'
    })
    expect(build.outputs.status).toBe('succeeded')
    expect(triggers()[0]?.path).toBe('/flexdeploy/rest/v1/project/10501/build')
    expect(bodyOf()).toEqual({
      environmentId: 11210,
      streamId: 10502,
      forceBuild: true,
      relatedTickets: 'HR-1,HR-2'
    })
    expect(readFileSync(build.outputs['log-file'] ?? '', 'utf8')).toMatch(
      /\(BUILD on instance 11153\): Success/
    )

    sim.requests.length = 0
    const execute = await flex('HR Utils/Util', { operation: 'execute' })
    expect(execute.outputs.status).toBe('succeeded')
    expect(execute.outputs['task-id']).toMatch(/^\d+$/)
    expect(triggers()[0]?.path).toBe('/flexdeploy/rest/v1/project/29801/execute')
  })

  it('reports the project and its latest request with operation: status, triggering nothing', async () => {
    await flex('10503')
    sim.requests.length = 0
    const run = await flex('10503', { operation: 'status', parameters: '' })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(
      /^Project Payroll \(10503, FlexDeploy\/Human Resources\/Payroll\/Payroll\): Workflow request \d+ .*completed/
    )
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    expect(triggers()).toHaveLength(0)
  })

  it.each([
    [
      'no exact match',
      'Human Resources/ProcessHR',
      /no project 'ProcessHR' in folder 'Human Resources'; the search found: ProcessHRRequest \(10501.*ProcessHRRequestArchive \(10502/
    ],
    [
      'nothing at all',
      'Nowhere/Nothing',
      /no project 'Nothing' in folder 'Nowhere'; the search found no project/
    ],
    [
      'several exact matches',
      'Benefits',
      /Several FlexDeploy projects match target 'Benefits': Benefits \(10505.*Benefits \(10506/
    ]
  ])(
    'refuses a path with %s, listing what was found, and triggers nothing',
    async (_what, target, message) => {
      const run = await flex(target)
      expect(run.code).toBe(1)
      expect(run.outputs.status).toBe('failed')
      expect(run.outputs.message).toMatch(message)
      expect(triggers()).toHaveLength(0)
    }
  )

  it('picks the exact folder when the search also returns sub folders', async () => {
    const run = await flex('Human Resources/Payroll/Payroll')
    expect(run.outputs.status).toBe('succeeded')
    expect(triggers()[0]?.path).toBe('/flexdeploy/rest/v1/project/10503/deploy')
  })

  it('follows every request of a trigger and fails, naming the one that failed', async () => {
    const run = await flex('Human Resources/MultiInstance')
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    const ids = (run.outputs['task-id'] ?? '').split(',')
    expect(ids).toHaveLength(2)
    expect(run.outputs.message).toBe(
      `Workflow request ${ids[1]} (MultiInstance 1.0.7) failed; 1 of 2 workflow requests completed`
    )
    const log = readFileSync(run.outputs['log-file'] ?? '', 'utf8')
    expect(log).toContain('state: Restart of managed server failed')
    for (const id of ids)
      expect(sim.requests.some(r => r.path === `/flexdeploy/rest/v1/workflowrequest/${id}`)).toBe(true)
  })

  it('treats an already-deployed warning as skipped, or as a failure with fail-on-noop', async () => {
    const skipped = await flex('Human Resources/AlreadyThere')
    expect(skipped.code).toBe(0)
    expect(skipped.outputs.status).toBe('skipped')
    expect(skipped.outputs.message).toBe('FlexDeploy started no deploy: Project Version is already deployed')
    expect(skipped.outputs['task-id'] ?? '').toBe('')

    const failed = await flex('Human Resources/AlreadyThere', { 'fail-on-noop': 'true' })
    expect(failed.code).toBe(1)
    expect(failed.outputs.status).toBe('failed')
    expect(failed.outputs.message).toMatch(/already deployed \(a failure because fail-on-noop is true\)/)
  })

  it('says plainly that a request waits for approval, then completes', async () => {
    const run = await flex('Human Resources/NeedsApproval')
    expect(run.outputs.status).toBe('succeeded')
    expect(run.stdout).toMatch(
      /waiting for approval \(PENDING_APPROVAL\) — Workflow request \d+ .*is waiting for approval in FlexDeploy/
    )
    expect(run.summary).toContain('waiting for approval')
    expect(readFileSync(run.outputs['log-file'] ?? '', 'utf8')).toMatch(
      /PENDING_APPROVAL \(waiting for approval\) — waiting for approval in FlexDeploy/
    )
  })

  it('times out while a request waits for approval, and says so', async () => {
    const run = await flex('Human Resources/NeverApproved', { timeout: '1s' })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('timed-out')
    expect(run.outputs.message).toMatch(
      /did not finish within the timeout of 1s \(last status: waiting for approval\)\. FlexDeploy’s REST API has no call to abort/
    )
    expect(run.summary).toContain('waiting for approval (PENDING_APPROVAL)')
    expect(run.elapsedMs).toBeLessThan(10_000)
  })

  it('reports a rejected request as failed, and a scheduled one as scheduled first', async () => {
    const rejected = await flex('Human Resources/Rejected')
    expect(rejected.outputs.status).toBe('failed')
    expect(rejected.outputs.message).toMatch(/was rejected by an approver in FlexDeploy/)
    const scheduled = await flex('Human Resources/Scheduled')
    expect(scheduled.outputs.status).toBe('succeeded')
    expect(scheduled.stdout).toMatch(/scheduled \(SCHEDULED\)/)
  })

  it('keeps polling through an unknown status, warning once', async () => {
    const run = await flex('Human Resources/Strange')
    expect(run.outputs.status).toBe('succeeded')
    expect(
      run.stdout.match(
        /::warning title=Human Resources\/Strange::FlexDeploy reported an unknown workflow request status 'QUEUED_REMOTE'/g
      )
    ).toHaveLength(1)
  })

  it('reports a request aborted in FlexDeploy as canceled', async () => {
    const run = await runAction(
      {
        platform: 'flexdeploy',
        'base-url': `${sim.url}/flexdeploy`,
        username: USERNAME,
        password: PASSWORD,
        target: '10511',
        parameters: 'environmentId: 11210',
        'poll-interval': '100ms',
        'max-poll-interval': '200ms'
      },
      {
        // Someone aborts the request in the FlexDeploy UI once it runs.
        onStdout: text => {
          if (!/\(SUBMITTED\)/.test(text)) return
          for (const request of sim.workflowRequests.values())
            if (request.project.id === 10511 && request.abortedAt === undefined) sim.abort(request.id, 'jdoe')
        }
      }
    )
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs.message).toMatch(/was aborted in FlexDeploy/)
    expect(readFileSync(run.outputs['log-file'] ?? '', 'utf8')).toMatch(/aborted by jdoe/)
  })

  it('stops on SIGINT, says FlexDeploy cannot abort a request, and exits inside the grace period', async () => {
    const run = await runAction(
      {
        platform: 'flexdeploy',
        'base-url': `${sim.url}/flexdeploy`,
        username: USERNAME,
        password: PASSWORD,
        target: 'Human Resources/Forever',
        parameters: 'environmentId: 11210',
        'poll-interval': '200ms'
      },
      { interrupt: { signal: 'SIGINT', when: /\(SUBMITTED\)|\(READY\)/ } }
    )
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('canceled')
    expect(run.outputs['task-id']).toMatch(/^\d+$/)
    expect(run.outputs.message).toMatch(
      /The workflow run was cancelled while task \d+ ran .*FlexDeploy’s REST API has no call to abort/
    )
    expect(run.summary).toContain('🛑 canceled')
    expect(run.elapsedMs).toBeLessThan(7500)
  })

  it.each([
    [
      'a wrong password',
      '10501',
      { password: 'nope' },
      /HTTP 401: Authentication failure/,
      /Check username and password/
    ],
    ['an unknown project id', '99999', {}, /HTTP 404: Project 99999 not found/, /Check target/],
    [
      'a missing permission',
      '10513',
      {},
      /HTTP 403: User ci-deployer may not deploy to QA/,
      /permissions in FlexDeploy/
    ],
    ['a server error', '10514', {}, /HTTP 500: java.lang.NullPointerException/, /FlexDeploy server log/],
    [
      'a bad request',
      '29801',
      {},
      /HTTP 400: Utility project Util can only be executed/,
      /are ids; environment, instances, stream and release are names the action looks up/
    ]
  ])('ends the step with the server’s message for %s', async (_what, target, inputs, message, hint) => {
    const run = await flex(target, inputs)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(run.stdout).toMatch(hint)
    expect(triggers().length).toBeLessThanOrEqual(1)
  })

  it('refuses bad parameters all at once and sends nothing', async () => {
    const run = await flex('10501', {
      operation: 'build',
      parameters: 'environmentID: 11210\nforceDeploy: maybe\ninputs: [1, 2]\nstartTime: 2019-03-16 21:17'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.message).toContain(
      "unknown key 'environmentID' for flexdeploy; valid keys: apiVersion, environmentId, environment, instances"
    )
    expect(run.outputs.message).toContain('forceDeploy')
    expect(run.outputs.message).toContain('must be a mapping CODE: value, or a list of {code, value}')
    expect(run.outputs.message).toContain("startTime must have the format yyyy-MM-dd'T'HH:mm:ssXXX")
    expect(sim.requests).toHaveLength(0)

    const missing = await flex('10501', { operation: 'build', parameters: 'forceDeploy: true' })
    expect(missing.outputs.message).toContain(
      'forceDeploy is not a field of the build request; it applies to deploy'
    )
    expect(missing.outputs.message).toContain('environmentId or environment is required for operation: build')
    expect(missing.outputs.message).toContain('streamId, stream or branch is required for operation: build')
    expect(sim.requests).toHaveLength(0)
  })

  it('with wait: false publishes every request id, and a later step awaits them', async () => {
    const started = await flex('Human Resources/MultiInstance', { wait: 'false' })
    expect(started.outputs.status).toBe('started')
    const taskId = started.outputs['task-id'] ?? ''
    expect(taskId).toMatch(/^\d+,\d+$/)
    const awaited = await runAction({
      platform: 'flexdeploy',
      'base-url': `${sim.url}/flexdeploy`,
      username: USERNAME,
      password: PASSWORD,
      operation: 'await',
      'task-id': taskId,
      'poll-interval': '100ms'
    })
    expect(awaited.outputs.status).toBe('failed')
    expect(awaited.outputs['task-id']).toBe(taskId)
    expect(triggers()).toHaveLength(1)
  })
})
