import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { muleMmc } from '../../src/drivers/mule-mmc/index.js'
import {
  applicationLookup,
  clusterLookup,
  groupLookup,
  resolveApplication
} from '../../src/drivers/mule-mmc/lookups.js'
import { findOne } from '../../src/drivers/mule-mmc/names.js'
import { archiveInfo } from '../../src/drivers/mule-mmc/upload.js'
import { parameterProblems } from '../../src/inputs/plan.js'
import { testDeployment } from '../fixtures/deployment.js'

const repository = [
  {
    id: 'local$app-1',
    name: 'orders-api',
    versions: [
      { id: 'local$v10', name: '1.0' },
      { id: 'local$v11', name: '1.1' }
    ]
  },
  { id: 'local$app-2', name: 'billing', versions: [{ id: 'local$v23', name: '2.3' }] },
  { id: 'local$app-3', name: 'billing', versions: [{ id: 'local$v30', name: '3.0' }] }
]

describe('Mule MMC name lookups', () => {
  it('finds by id or by name, NFC-normalized', () => {
    const groups = groupLookup([
      { id: 'g1', name: 'Caf\u00e9' },
      { id: 'g2', name: 'Production' }
    ])
    expect(findOne(groups, 'g2').name).toBe('Production')
    expect(findOne(groups, 'Cafe\u0301').id).toBe('g1')
  })

  it('several matches list them; none lists what exists; a case or compatibility-form near miss is named', () => {
    const groups = groupLookup([
      { id: 'g1', name: 'Prod' },
      { id: 'g2', name: 'Prod' },
      { id: 'g3', name: 'ﬁnance' }
    ])
    expect(() => findOne(groups, 'Prod')).toThrow(
      /2 server groups are named 'Prod' \(GET \/api\/serverGroups\): Prod \(g1\); Prod \(g2\)/
    )
    expect(() => findOne(groups, 'Staging')).toThrow(
      /No server group is named 'Staging'.*It has: Prod \(g1\); Prod \(g2\); ﬁnance \(g3\)/
    )
    expect(() => findOne(groups, 'prod')).toThrow(/'Prod' differs from 'prod' only in letter case/)
    expect(() => findOne(groups, 'finance')).toThrow(/'ﬁnance' differs from 'finance' only in Unicode form/)
  })

  it('clusters: several with one name are listed', () => {
    const clusters = clusterLookup([
      { id: 'c1', name: 'east' },
      { id: 'c2', name: 'east' }
    ])
    expect(() => findOne(clusters, 'east')).toThrow(
      /2 clusters are named 'east' \(GET \/api\/clusters\): east \(c1\); east \(c2\)/
    )
    expect(() => findOne(clusters, 'west')).toThrow(
      /No cluster is named 'west'.*It has: east \(c1\); east \(c2\)/
    )
  })

  it('resolves applications as version id, name:version, or a name with one version', () => {
    expect(resolveApplication(repository, 'local$v23')).toEqual(['local$v23'])
    expect(resolveApplication(repository, 'orders-api:1.1')).toEqual(['local$v11'])
    expect(() => resolveApplication(repository, 'orders-api')).toThrow(
      /has 2 versions.*1\.0, 1\.1.*orders-api:<version>/
    )
    expect(resolveApplication(repository, 'orders-api', ['local$v10'])).toEqual(['local$v10'])
    expect(() => resolveApplication(repository, 'billing:2.3')).toThrow(
      /2 applications are named 'billing'.*billing \(versions: 2\.3\); billing \(versions: 3\.0\)/
    )
    expect(() => findOne(applicationLookup(repository), 'shipping')).toThrow(
      /It has: orders-api \(versions: 1\.0, 1\.1\)/
    )
  })

  it('reads name and version from an archive name the way the Maven plugin does', () => {
    expect(archiveInfo('orders-api-1.4.0.zip')).toEqual({ name: 'orders-api', version: '1.4.0' })
    expect(archiveInfo('orders-api.zip')).toEqual({ name: 'orders-api' })
    expect(archiveInfo('my-app-2-SNAPSHOT.zip')).toEqual({ name: 'my-app', version: '2-SNAPSHOT' })
  })
})

describe('Mule MMC artifacts input rules', () => {
  let workspace: string
  const saved = process.env.GITHUB_WORKSPACE
  const savedSha = process.env.GITHUB_SHA
  beforeAll(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'mmc-rules-'))
    mkdirSync(path.join(workspace, 'target'))
    writeFileSync(path.join(workspace, 'target', 'a-1.0.zip'), 'a')
    writeFileSync(path.join(workspace, 'target', 'b.zip'), 'b')
    process.env.GITHUB_WORKSPACE = workspace
    delete process.env.GITHUB_SHA
  })
  afterAll(() => {
    rmSync(workspace, { recursive: true, force: true })
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE
    else process.env.GITHUB_WORKSPACE = saved
    if (savedSha !== undefined) process.env.GITHUB_SHA = savedSha
  })

  const problems = (
    operation: string,
    artifacts: string[],
    parameters: Record<string, unknown> = {},
    target?: string
  ) =>
    muleMmc
      .validate(
        testDeployment({
          platform: 'mule-mmc',
          operation,
          target,
          artifacts,
          parameters: parameterProblems(muleMmc, parameters).value
        })
      )
      .map(problem => `${problem.input}: ${problem.value ?? ''} ${problem.problem}`)

  it('takes one archive inside the workspace on deploy, create or add; target may be left to the application name', () => {
    expect(problems('deploy', ['target/a-1.0.zip'], { serverGroups: ['Production'] })).toEqual([])
    expect(problems('add', ['target/a-1.0.zip'], {}, 'orders')).toEqual([])
  })

  it('names every problem: several files, outside the workspace, the wrong operation, a missing version', () => {
    expect(problems('deploy', ['target/*.zip'])).toEqual([
      expect.stringMatching(
        /^artifacts: target\/\*\.zip matches 2 files \(target\/a-1\.0\.zip, target\/b\.zip\); mule-mmc uploads exactly one/
      )
    ])
    expect(problems('deploy', ['../elsewhere.zip'])).toEqual([
      expect.stringMatching(/is outside the workspace/)
    ])
    expect(problems('redeploy', ['target/b.zip'], {}, 'orders')).toEqual([
      expect.stringMatching(/^artifacts: target\/b\.zip apply only to operation: deploy, create or add/)
    ])
    expect(problems('deploy', ['target/b.zip'])).toEqual([
      expect.stringMatching(/needs version: b\.zip carries no version in its name and GITHUB_SHA is not set/)
    ])
    expect(problems('deploy', ['target/b.zip'], { version: '7' })).toEqual([])
    expect(problems('undeploy', [], { replaceVersion: true }, 'orders')).toEqual([
      expect.stringMatching(/replaceVersion do not apply to operation: undeploy, which takes no parameters/)
    ])
  })
})
