import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  startFlexDeploySimulator,
  type FlexDeploySimulator,
  type FlexDeploySimulatorOptions
} from '../../simulator/index.js'
import { everythingWritten, runAction, type ActionRun } from './run-action.js'

const USERNAME = 'ci-deployer'
const PASSWORD = 'Fd-s3cret-pa55w0rd'
const TOKEN = 'wA5h-or8IHwCx5__IGdMgdEMf1NtGQdV'
const HR = 'FlexDeploy/Human Resources'

const SETUP: FlexDeploySimulatorOptions = {
  username: USERNAME,
  password: PASSWORD,
  tokens: [TOKEN],
  projects: [
    {
      id: 10501,
      name: 'ProcessHRRequest',
      folderPath: HR,
      requests: [{ durationMs: 300 }],
      branches: [
        { id: 10502, name: 'main' },
        { id: 10601, name: 'hotfix' },
        { id: 10602, name: 'Hotfix' }
      ]
    },
    { id: 10503, name: 'Payroll', folderPath: `${HR}/Payroll`, requests: [{ durationMs: 300 }] },
    // "Human Resources Archive" also contains "Human Resources": the folder search is "contains".
    { id: 10504, name: 'Payroll', folderPath: 'FlexDeploy/Human Resources Archive/Payroll' },
    { id: 10505, name: 'Benefits', folderPath: 'FlexDeploy/EU' },
    { id: 10506, name: 'benefits', folderPath: 'FlexDeploy/EU' },
    {
      id: 10520,
      name: 'RejectedAndSlow',
      folderPath: HR,
      requests: [{ approvalMs: 200, outcome: 'REJECTED' }, { durationMs: 60 * 60_000 }]
    },
    { id: 10521, name: 'Slow', folderPath: HR, requests: [{ durationMs: 60 * 60_000 }] },
    { id: 10522, name: 'Rejected', folderPath: HR, requests: [{ approvalMs: 200, outcome: 'REJECTED' }] },
    { id: 10530, name: 'Untouched', folderPath: HR },
    {
      id: 10531,
      name: 'AlreadyThere',
      folderPath: HR,
      warning: { code: 'PROJECT_VERSION_ALREADY_DEPLOYED', message: 'Project Version is already deployed' }
    },
    {
      id: 29801,
      name: 'Util',
      folderPath: 'FlexDeploy/HR Utils',
      projectType: 'UTILITY',
      requests: [{ durationMs: 300 }]
    }
  ],
  environments: [
    { id: 11210, code: 'QA' },
    { id: 11211, code: 'PROD' },
    { id: 11220, code: 'DUP' },
    { id: 11221, code: 'dup' }
  ],
  instances: [
    { id: 100001, code: 'SOA1' },
    { id: 100002, code: 'SOA2' },
    { id: 100003, code: 'OSB' },
    { id: 100004, code: 'osb' }
  ],
  releases: [
    { id: 40001, name: 'R1', projects: [10501] },
    { id: 40002, name: 'R2', projects: [10501] },
    { id: 40003, name: 'R2', projects: [10501] },
    { id: 40004, name: 'R3', projects: [10503] }
  ],
  folders: ['Ops', 'OPS']
}

let dual: FlexDeploySimulator
let v2only: FlexDeploySimulator
let v1only: FlexDeploySimulator

beforeAll(async () => {
  dual = await startFlexDeploySimulator(SETUP)
  v2only = await startFlexDeploySimulator({ ...SETUP, v1: false })
  v1only = await startFlexDeploySimulator({ ...SETUP, v2: false })
})

afterAll(async () => {
  await Promise.all([dual.close(), v2only.close(), v1only.close()])
})

beforeEach(() => {
  for (const sim of [dual, v2only, v1only]) {
    sim.requests.length = 0
    sim.faults.length = 0
    sim.triggerBodies.length = 0
  }
})

function flex(
  sim: FlexDeploySimulator,
  target: string,
  parameters: string[],
  extra: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction({
    platform: 'flexdeploy',
    'base-url': `${sim.url}/flexdeploy`,
    username: USERNAME,
    password: PASSWORD,
    target,
    parameters: parameters.join('\n'),
    'poll-interval': '100ms',
    'max-poll-interval': '200ms',
    timeout: '20s',
    ...extra
  })
}

const posts = (sim: FlexDeploySimulator) => sim.requests.filter(request => request.method === 'POST')
const paths = (sim: FlexDeploySimulator) => sim.requests.map(request => request.path)
const PROBE = '/flexdeploy/rest/v2/workflowrequest/1'

const CASES = [
  { name: 'apiVersion: v2 on a server with both', sim: () => dual, apiVersion: 'v2', speaks: 'v2' },
  { name: 'apiVersion: v1 on a server with both', sim: () => dual, apiVersion: 'v1', speaks: 'v1' },
  { name: 'apiVersion: auto on a v2-only server', sim: () => v2only, apiVersion: 'auto', speaks: 'v2' },
  { name: 'apiVersion: auto on a v1-only server', sim: () => v1only, apiVersion: 'auto', speaks: 'v1' }
] as const

describe.each(CASES)('FlexDeploy, $name', ({ sim: simOf, apiVersion, speaks }) => {
  const version = `apiVersion: ${apiVersion}`
  /** Every request went to the version in use (the auto probe and the release search aside). */
  function expectOnly(sim: FlexDeploySimulator) {
    const others = paths(sim).filter(
      path => path !== PROBE && !path.startsWith(`/flexdeploy/rest/${speaks}/`)
    )
    expect(others).toEqual([])
    if (apiVersion === 'auto') expect(paths(sim)[0]).toBe(PROBE)
    else expect(paths(sim)).not.toContain(PROBE)
  }

  it('deploys a project found by its path', async () => {
    const sim = simOf()
    const run = await flex(sim, 'Human Resources/ProcessHRRequest', [version, 'environmentId: 11210'])
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toMatch(/Workflow request \d+ \(ProcessHRRequest 1\.0\.\d+\) completed/)
    expect(posts(sim).map(request => request.path)).toEqual([
      speaks === 'v2'
        ? '/flexdeploy/rest/v2/workflowrequest/deploy'
        : '/flexdeploy/rest/v1/project/10501/deploy'
    ])
    if (apiVersion === 'auto')
      expect(run.stdout).toContain(
        speaks === 'v2'
          ? 'FlexDeploy serves its v2 REST API; using v2 (apiVersion: auto)'
          : 'FlexDeploy has no v2 REST API (GET /rest/v2/workflowrequest/1 answered HTTP 404); using v1 (apiVersion: auto)'
      )
    expectOnly(sim)
  })

  it('builds by project id', async () => {
    const sim = simOf()
    const run = await flex(
      sim,
      '10501',
      [version, 'environmentId: 11210', 'streamId: 10502', 'forceBuild: true'],
      {
        operation: 'build'
      }
    )
    expect(run.outputs.status).toBe('succeeded')
    expect(sim.triggerBodies[0]).toEqual(
      speaks === 'v2'
        ? { projectId: 10501, environmentId: 11210, projectStreamId: 10502, force: true }
        : { environmentId: 11210, streamId: 10502, forceBuild: true }
    )
    expectOnly(sim)
  })

  it('executes a utility project', async () => {
    const sim = simOf()
    const run = await flex(sim, 'HR Utils/Util', [version, 'environmentId: 11210'], { operation: 'execute' })
    expect(run.outputs.status).toBe('succeeded')
    expect(posts(sim)[0]?.path).toBe(
      speaks === 'v2'
        ? '/flexdeploy/rest/v2/workflowrequest/execute'
        : '/flexdeploy/rest/v1/project/29801/execute'
    )
    expectOnly(sim)
  })

  it('starts without waiting, awaits the request, then reports it with operation: status', async () => {
    const sim = simOf()
    const started = await flex(sim, '10501', [version, 'environmentId: 11210'], { wait: 'false' })
    expect(started.outputs.status).toBe('started')
    const id = started.outputs['task-id'] ?? ''
    expect(id).toMatch(/^\d+$/)
    sim.requests.length = 0
    const awaited = await runAction({
      platform: 'flexdeploy',
      'base-url': `${sim.url}/flexdeploy`,
      username: USERNAME,
      password: PASSWORD,
      operation: 'await',
      'task-id': id,
      parameters: version,
      'poll-interval': '100ms',
      timeout: '20s'
    })
    expect(awaited.outputs.status).toBe('succeeded')
    expect(paths(sim)).toContain(`/flexdeploy/rest/${speaks}/workflowrequest/${id}`)
    expectOnly(sim)
    sim.requests.length = 0
    const status = await flex(sim, '10501', [version], { operation: 'status' })
    expect(status.outputs.status).toBe('succeeded')
    expect(status.outputs['task-id']).toBe(id)
    expect(status.outputs['remote-status']).toBe('COMPLETED')
    expect(posts(sim)).toHaveLength(0)
    expectOnly(sim)
  })

  it('dry-runs a build with names, resolving all and triggering nothing', async () => {
    const sim = simOf()
    const run = await flex(
      sim,
      'Human Resources/ProcessHRRequest',
      [version, 'environment: QA', 'stream: main', 'release: R1'],
      { operation: 'build', 'dry-run': 'true' }
    )
    expect(run.outputs.status).toBe('succeeded')
    expect(run.outputs.message).toContain(`✓ REST API version`)
    expect(run.outputs.message).toContain('✓ target resolved')
    expect(run.outputs.message).toContain('✓ names resolved')
    expect(run.summary).toMatch(/projectId 10501, environmentId 11210, streamId 10502, releaseId 40001/)
    expect(posts(sim)).toHaveLength(0)
    expect(
      paths(sim).filter(
        path =>
          path !== PROBE &&
          path !== '/flexdeploy/rest/v1/releases' &&
          !path.startsWith(`/flexdeploy/rest/${speaks}/`)
      )
    ).toEqual([])
  })

  it('looks up environment, instances, stream and release by name and sends their ids', async () => {
    const sim = simOf()
    const deploy = await flex(sim, '10501', [version, 'environment: qa', 'instances: [SOA1, SOA2]'])
    expect(deploy.outputs.status).toBe('succeeded')
    expect(sim.triggerBodies[0]).toMatchObject(
      speaks === 'v2'
        ? { environmentId: 11210, targetGroupIds: [100001, 100002] }
        : { environmentId: 11210, instanceIds: [100001, 100002] }
    )
    const build = await flex(
      sim,
      '10501',
      [version, 'environment: PROD', 'branch: main', 'release: R1', 'packageName: pkg1'],
      {
        operation: 'build'
      }
    )
    expect(build.outputs.status).toBe('succeeded')
    expect(sim.triggerBodies[1]).toEqual(
      speaks === 'v2'
        ? {
            projectId: 10501,
            environmentId: 11211,
            projectStreamId: 10502,
            releaseDefId: 40001,
            packageName: 'pkg1'
          }
        : { environmentId: 11211, streamId: 10502, releaseId: 40001, packageName: 'pkg1' }
    )
    expect(build.stdout).toContain('Environment PROD is FlexDeploy environment 11211')
    expect(build.stdout).toContain('Release R1 is FlexDeploy release 40001')
  })

  it.each([
    [
      'environment: NOPE',
      /FlexDeploy has no environment 'NOPE'; it has: QA \(11210\), PROD \(11211\), DUP \(11220\), dup \(11221\)/
    ],
    ['environment: Dup', /Several FlexDeploy environments are named 'Dup': DUP \(11220\), dup \(11221\)/],
    [
      'instances: [SOA9]',
      /FlexDeploy has no (instance|target group) 'SOA9'; it has: SOA1 \(100001\), SOA2 \(100002\), OSB \(100003\), osb \(100004\)/
    ],
    [
      'instances: [Osb]',
      /Several FlexDeploy (instance|target group)s are named 'Osb': OSB \(100003\), osb \(100004\)/
    ]
  ])(
    'refuses a deploy whose %s does not name exactly one, listing what exists, and sends nothing',
    async (line, message) => {
      const sim = simOf()
      const run = await flex(sim, '10501', [
        version,
        ...(line.startsWith('environment') ? [line] : ['environmentId: 11210', line])
      ])
      expect(run.outputs.status).toBe('failed')
      expect(run.outputs.message).toMatch(message)
      expect(posts(sim)).toHaveLength(0)
    }
  )

  it.each([
    [
      'stream: develop',
      /FlexDeploy has no (stream|branch) 'develop' in project 10501; it has: main \(10502\), hotfix \(10601\), Hotfix \(10602\)/
    ],
    [
      'stream: HOTFIX',
      /Several FlexDeploy (stream|branch)s in project 10501 are named 'HOTFIX': hotfix \(10601\), Hotfix \(10602\)/
    ],
    [
      'release: R9',
      /FlexDeploy has no release 'R9'; it has: R1 \(40001\), R2 \(40002\), R2 \(40003\), R3 \(40004\)/
    ],
    ['release: R2', /Several FlexDeploy releases are named 'R2': R2 \(40002\), R2 \(40003\)/],
    ['release: R3', /FlexDeploy release 'R3' \(40004\) does not hold project 10501; it holds projects 10503/]
  ])(
    'refuses a build whose %s does not name exactly one, listing what exists, and sends nothing',
    async (line, message) => {
      const sim = simOf()
      const run = await flex(
        sim,
        '10501',
        [
          version,
          'environmentId: 11210',
          ...(line.startsWith('stream') ? [line] : ['streamId: 10502', line])
        ],
        {
          operation: 'build'
        }
      )
      expect(run.outputs.status).toBe('failed')
      expect(run.outputs.message).toMatch(message)
      expect(posts(sim)).toHaveLength(0)
    }
  )

  it('reports the latest request of the project even when the server ignores the projectId filter', async () => {
    const filterless = await startFlexDeploySimulator({
      ...SETUP,
      ignoreProjectFilter: true,
      ...(speaks === 'v2' ? { v1: false } : { v2: false })
    })
    try {
      const mine = await flex(filterless, '10501', [version, 'environmentId: 11210'])
      const other = await flex(filterless, 'HR Utils/Util', [version, 'environmentId: 11210'], {
        operation: 'execute'
      })
      expect(Number(other.outputs['task-id'])).toBeGreaterThan(Number(mine.outputs['task-id']))
      const status = await flex(filterless, '10501', [version], { operation: 'status' })
      expect(status.outputs.status).toBe('succeeded')
      expect(status.outputs['task-id']).toBe(mine.outputs['task-id'])
      expect(status.stdout).toMatch(
        /FlexDeploy ignored the projectId filter: 1 of the 2 entries it listed belong to other projects/
      )
      const none = await flex(filterless, '10530', [version], { operation: 'status' })
      expect(none.outputs.status).toBe('skipped')
      expect(none.outputs.message).toMatch(
        /Untouched \(10530.*\) has no workflow request yet \(FlexDeploy listed 2 of other projects\)/
      )
    } finally {
      await filterless.close()
    }
  })

  it('says skipped only on an empty list; an HTTP error of the search is an error', async () => {
    const fresh = await startFlexDeploySimulator({
      ...SETUP,
      ...(speaks === 'v2' ? { v1: false } : { v2: false })
    })
    try {
      const none = await flex(fresh, '10530', [version], { operation: 'status' })
      expect(none.outputs.status).toBe('skipped')
      expect(none.outputs.message).toMatch(/has no workflow request yet$/)
      const search = speaks === 'v2' ? /\/rest\/v2\/workflowrequest$/ : /\/rest\/v1\/workflowexecution$/
      fresh.faults.push({ match: { path: search }, kind: 'status', status: 403 })
      const refused = await flex(fresh, '10530', [version], { operation: 'status' })
      expect(refused.outputs.status).toBe('failed')
      expect(refused.outputs.message).toMatch(
        /FlexDeploy refused GET \/rest\/v[12]\/workflow(request|execution): HTTP 403/
      )
    } finally {
      await fresh.close()
    }
  })

  it('fails at the deadline when one request was rejected while another still runs, naming both', async () => {
    const sim = simOf()
    // v1 answers both requests of one trigger; v2 answers one id per trigger, so two triggers are awaited.
    let taskId: string
    if (speaks === 'v1') {
      const started = await flex(sim, 'Human Resources/RejectedAndSlow', [version, 'environmentId: 11210'], {
        wait: 'false'
      })
      taskId = started.outputs['task-id'] ?? ''
    } else {
      const rejected = await flex(sim, 'Human Resources/Rejected', [version, 'environmentId: 11210'], {
        wait: 'false'
      })
      const slow = await flex(sim, 'Human Resources/Slow', [version, 'environmentId: 11210'], {
        wait: 'false'
      })
      taskId = `${rejected.outputs['task-id']},${slow.outputs['task-id']}`
    }
    const [first, second] = taskId.split(',')
    const run = await runAction({
      platform: 'flexdeploy',
      'base-url': `${sim.url}/flexdeploy`,
      username: USERNAME,
      password: PASSWORD,
      operation: 'await',
      'task-id': taskId,
      parameters: version,
      'poll-interval': '100ms',
      timeout: '2s'
    })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(
      new RegExp(
        `^Workflow request ${first} \\(\\w+ 1\\.0\\.\\d+\\) was rejected by an approver in FlexDeploy; workflow request ${second} did not finish within the timeout of 2s`
      )
    )
    expect(run.outputs.message).not.toContain(`${first}, ${second}`)
    expect(run.outputs.message).not.toMatch(new RegExp(`${first}[^(]*did not finish`))
  })
})

describe('FlexDeploy v2 project paths and workflow versions', () => {
  it('walks a path folder by folder from the root folder, then finds the project in the last one', async () => {
    const run = await flex(dual, 'FlexDeploy/Human Resources/Payroll/Payroll', [
      'apiVersion: v2',
      'environmentId: 11210'
    ])
    expect(run.outputs.status).toBe('succeeded')
    const hr = dual.folderIds.get('Human Resources')
    const payroll = dual.folderIds.get('Human Resources/Payroll')
    const reads = dual.requests
      .filter(request => request.method === 'GET' && /\/rest\/v2\/(folder|project)$/.test(request.path))
      .map(request => [request.path, request.query])
    expect(reads).toEqual([
      ['/flexdeploy/rest/v2/folder', { folderName: 'Human Resources', parentFolderId: '99' }],
      ['/flexdeploy/rest/v2/folder', { folderName: 'Payroll', parentFolderId: String(hr) }],
      ['/flexdeploy/rest/v2/project', { projectName: 'Payroll', folderId: String(payroll) }]
    ])
    expect(dual.triggerBodies[0]).toMatchObject({ projectId: 10503 })
    expect(run.stdout).toContain(
      'is FlexDeploy project Payroll (10503, FlexDeploy/Human Resources/Payroll/Payroll)'
    )
  })

  it.each([
    [
      'Nowhere/ProcessHRRequest',
      /FlexDeploy has no folder 'Nowhere' in FlexDeploy; it has: Human Resources \(\d+\), .*EU/
    ],
    ['ops/Thing', /Several FlexDeploy folders in FlexDeploy are named 'ops': Ops \(\d+\), OPS \(\d+\)/],
    [
      'Human Resources/Nothing',
      /FlexDeploy has no project 'Nothing' in FlexDeploy\/Human Resources; it has: ProcessHRRequest \(10501\)/
    ],
    [
      'EU/BENEFITS',
      /Several FlexDeploy projects in FlexDeploy\/EU are named 'BENEFITS': Benefits \(10505\), benefits \(10506\)/
    ]
  ])('refuses %s, listing what exists, and sends nothing', async (target, message) => {
    const run = await flex(dual, target, ['apiVersion: v2', 'environmentId: 11210'])
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(message)
    expect(posts(dual)).toHaveLength(0)
  })

  it('turns workflowVersionOverride into its workflow version id on v2, and sends it as text on v1', async () => {
    const v2 = await flex(
      dual,
      '10501',
      ['apiVersion: v2', 'environmentId: 11210', 'streamId: 10502', 'workflowVersionOverride: "2.0"'],
      {
        operation: 'build'
      }
    )
    expect(v2.outputs.status).toBe('succeeded')
    expect(dual.triggerBodies[0]).toMatchObject({ workflowVersionOverrideId: 30002 })
    expect(dual.requests.map(request => request.path)).toContain('/flexdeploy/rest/v2/workflow/10869')
    const v1 = await flex(dual, '10501', [
      'apiVersion: v1',
      'environmentId: 11210',
      'workflowVersionOverride: "2.0"'
    ])
    expect(v1.outputs.status).toBe('succeeded')
    expect(dual.triggerBodies[1]).toMatchObject({ workflowVersionOverride: '2.0' })
    const missing = await flex(dual, '10501', [
      'apiVersion: v2',
      'environmentId: 11210',
      'workflowVersionOverride: "9.9"'
    ])
    expect(missing.outputs.status).toBe('failed')
    expect(missing.outputs.message).toMatch(
      /FlexDeploy has no workflow version '9\.9' of workflow 10873; it has: 1\.0 \(30001\), 2\.0 \(30002\)/
    )
    expect(dual.triggerBodies).toHaveLength(2)
  })

  it('treats a v2 "already deployed" warning as skipped, and forceDeploy sends force: true', async () => {
    const noop = await flex(dual, '10531', ['apiVersion: v2', 'environmentId: 11210'])
    expect(noop.outputs.status).toBe('skipped')
    expect(noop.outputs.message).toBe('FlexDeploy started no deploy: Project Version is already deployed')
    const forced = await flex(dual, '10531', ['apiVersion: v2', 'environmentId: 11210', 'forceDeploy: true'])
    expect(forced.outputs.status).toBe('succeeded')
    expect(dual.triggerBodies[1]).toEqual({ projectId: 10531, environmentId: 11210, force: true })
  })

  it('refuses credentials at the auto probe as credentials, not as a missing v2', async () => {
    const run = await runAction({
      platform: 'flexdeploy',
      'base-url': `${dual.url}/flexdeploy`,
      username: USERNAME,
      password: 'wrong-password',
      target: '10501',
      parameters: 'environmentId: 11210',
      timeout: '20s'
    })
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(/FlexDeploy refused GET \/rest\/v2\/workflowrequest\/1: HTTP 401/)
    expect(run.stdout).not.toContain('using v1')
    expect(posts(dual)).toHaveLength(0)
  })

  it('refuses a v1-only server when apiVersion: v2 is asked, naming the request', async () => {
    const run = await flex(v1only, '10501', ['apiVersion: v2', 'environmentId: 11210'])
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs.message).toMatch(
      /FlexDeploy refused POST \/rest\/v2\/workflowrequest\/deploy: HTTP 404/
    )
  })
})

describe('FlexDeploy API tokens', () => {
  it('accepts an API token as the password of Basic auth and masks it like one', async () => {
    const run = await runAction({
      platform: 'flexdeploy',
      'base-url': `${v2only.url}/flexdeploy`,
      username: USERNAME,
      password: TOKEN,
      target: 'Human Resources/ProcessHRRequest',
      parameters: 'environment: QA',
      'poll-interval': '100ms',
      timeout: '20s'
    })
    expect(run.outputs.status).toBe('succeeded')
    const basic = Buffer.from(`${USERNAME}:${TOKEN}`).toString('base64')
    for (const request of v2only.requests) expect(request.headers.authorization).toBe(`Basic ${basic}`)
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(everythingWritten(run)).not.toContain(TOKEN)
    expect(everythingWritten(run)).not.toContain(basic)
    const wrong = await runAction({
      platform: 'flexdeploy',
      'base-url': `${v2only.url}/flexdeploy`,
      username: USERNAME,
      password: 'not-a-token',
      target: '10501',
      parameters: 'environmentId: 11210',
      timeout: '20s'
    })
    expect(wrong.outputs.status).toBe('failed')
    expect(wrong.outputs.message).toMatch(/HTTP 401/)
  })
})
