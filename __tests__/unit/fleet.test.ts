import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { waves } from '../../src/inputs/graph.js'
import { getPlan } from '../../src/inputs/plan.js'
import type { InputName } from '../../src/inputs/schema.js'
import { planOutput } from '../../src/report/plan-output.js'
import { Redactor } from '../../src/secrets.js'

const workspace = mkdtempSync(path.join(os.tmpdir(), 'ed-fleet-unit-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))
const ENV = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: workspace, EPM_TOKEN: 'fleet-token-7d2e' }

const EPM = (name: string, extra = '') =>
  `  - name: ${name}\n    platform: epmware\n    base-url: https://epm.example.com\n    token: \${{ env.EPM_TOKEN }}\n    target: ${name.toUpperCase()}\n${extra}`

/** metadata → (hfm, reports) → dashboards; audit alone; legacy only in dev. */
const FLEET = `deployments:\n${[
  EPM('metadata'),
  EPM('hfm', '    needs: [metadata]\n'),
  EPM('reports', '    needs: [metadata, legacy]\n'),
  EPM('audit'),
  EPM('dashboards', '    needs: [reports, hfm]\n'),
  EPM('legacy', '    environments: [dev]\n'),
  EPM('everywhere', '    environments: [dev, prod]\n')
].join('')}`

function planFor(inputs: Partial<Record<InputName, string>>, text = FLEET) {
  writeFileSync(path.join(workspace, 'fleet.yml'), text)
  const all: Partial<Record<InputName, string>> = { config: 'fleet.yml', environment: 'prod', ...inputs }
  return getPlan(name => all[name], ENV)
}

function problemsFor(inputs: Partial<Record<InputName, string>>, text = FLEET): string {
  try {
    planFor(inputs, text)
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    return (error as ActionError).message
  }
  throw new Error('expected the inputs to be refused')
}

const rows = (plan: string) =>
  (JSON.parse(plan) as { include: { deployment: string }[] }[]).map(wave =>
    wave.include.map(row => row.deployment)
  )

describe('waves', () => {
  it('puts each node in the wave right after its latest need, keeping the given order within a wave', () => {
    const nodes = [
      { name: 'd', needs: ['b', 'c'] },
      { name: 'a', needs: [] },
      { name: 'c', needs: ['a'] },
      { name: 'b', needs: ['a', 'outside'] },
      { name: 'e', needs: [] }
    ]
    expect(waves(nodes).map(wave => wave.map(node => node.name))).toEqual([['a', 'e'], ['c', 'b'], ['d']])
  })

  it('gives a chain one wave per link and leaves nodes on a cycle out', () => {
    const chain = ['a', 'b', 'c', 'd'].map((name, index, all) => ({
      name,
      needs: index ? [all[index - 1] as string] : []
    }))
    expect(waves(chain).map(wave => wave.map(node => node.name))).toEqual([['a'], ['b'], ['c'], ['d']])
    expect(
      waves([
        { name: 'x', needs: ['y'] },
        { name: 'y', needs: ['x'] },
        { name: 'z', needs: [] }
      ]).map(wave => wave.map(node => node.name))
    ).toEqual([['z']])
  })
})

describe('the plan output', () => {
  it("groups the environment's deployments into waves, each a strategy.matrix {include: [...]}", () => {
    const plan = planFor({})
    const output = planOutput(plan.fleet, new Redactor())
    const parsed = JSON.parse(output) as unknown[]
    expect(parsed[0]).toEqual({
      include: [
        { deployment: 'metadata', platform: 'epmware', target: 'METADATA', needs: [] },
        { deployment: 'audit', platform: 'epmware', target: 'AUDIT', needs: [] },
        { deployment: 'everywhere', platform: 'epmware', target: 'EVERYWHERE', needs: [] }
      ]
    })
    // `legacy` does not run in prod: the need on it is met, and not shown.
    expect(rows(output)).toEqual([['metadata', 'audit', 'everywhere'], ['hfm', 'reports'], ['dashboards']])
    expect((parsed[1] as { include: { needs: string[] }[] }).include[1]?.needs).toEqual(['metadata'])
    expect(rows(planOutput(planFor({ environment: 'dev' }).fleet, new Redactor()))).toEqual([
      ['metadata', 'audit', 'legacy', 'everywhere'],
      ['hfm', 'reports'],
      ['dashboards']
    ])
  })

  it('is the whole environment also when the deployments input runs a few, and empty without config', () => {
    const plan = planFor({ deployments: 'dashboards, hfm' })
    expect(plan.deployments.map(deployment => deployment.name)).toEqual(['hfm', 'dashboards'])
    expect(rows(planOutput(plan.fleet, new Redactor()))).toEqual([
      ['metadata', 'audit', 'everywhere'],
      ['hfm', 'reports'],
      ['dashboards']
    ])
    expect(planOutput(undefined, new Redactor())).toBe('')
  })

  it('never shows a secret a target was made of', () => {
    const redactor = new Redactor()
    redactor.add('fleet-token-7d2e')
    const output = planOutput(
      [{ name: 'a', platform: 'epmware', target: 'X-fleet-token-7d2e', needs: [] }],
      redactor
    )
    expect(output).not.toContain('fleet-token-7d2e')
    expect(JSON.parse(output)).toEqual([
      { include: [{ deployment: 'a', platform: 'epmware', target: 'X-***', needs: [] }] }
    ])
  })
})

describe('the deployments input', () => {
  it('runs only the named deployments; a need left out counts as met (another job ran it)', () => {
    const plan = planFor({ deployments: 'hfm' })
    expect(plan.deployments.map(deployment => [deployment.name, deployment.needs])).toEqual([
      ['hfm', ['metadata']]
    ])
  })

  it('refuses unknown names, each named, with the valid names of the environment', () => {
    const message = problemsFor({ deployments: 'hfm,hmf,legacy' })
    expect(message).toContain(
      "input 'deployments' 'hmf': is not a deployment of environment prod of fleet.yml; its deployments: metadata, hfm, reports, audit, dashboards, everywhere"
    )
    expect(message).toContain(
      "input 'deployments' 'legacy': is not a deployment of environment prod of fleet.yml (the file has it for other environments)"
    )
    expect(message).toContain('2 problems')
  })

  it('refuses a list with no name, and the input without config', () => {
    expect(problemsFor({ deployments: ' , ' })).toContain(
      "input 'deployments': names no deployment; its deployments: metadata, hfm"
    )
    let message = ''
    try {
      getPlan(
        name =>
          ({
            platform: 'epmware',
            'base-url': 'https://epm.example.com',
            target: 'A',
            token: 't',
            deployments: 'a'
          })[name as string],
        ENV
      )
    } catch (error) {
      message = (error as ActionError).message
    }
    expect(message).toContain("input 'deployments' 'a': is only used with config")
  })

  it('still checks the needs of the whole environment', () => {
    const text = `deployments:\n${EPM('a', '    needs: [b]\n')}${EPM('b', '    needs: [a]\n')}`
    expect(problemsFor({ deployments: 'a', environment: '' }, text)).toContain('needs form a cycle')
  })
})
