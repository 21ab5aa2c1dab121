import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { readConfigFile } from '../../src/inputs/config-file.js'
import { configDeployments, type ConfigPlanOptions } from '../../src/inputs/config-plan.js'
import { DEPLOYMENT_INPUTS, INPUT_DEFAULTS } from '../../src/inputs/schema.js'
import { tempDirSync } from '../fixtures/temp.js'

const workspace = tempDirSync('ed-config-plan-')
const ENV = { EPM_TOKEN: 'tok-from-env-123', FD_USER: 'fd', FD_PASS: 'fd-pass-456' }

/** The step inputs that have a default, as getPlan passes them when the user wrote none. */
const STEP_DEFAULTS = Object.fromEntries(
  Object.entries(INPUT_DEFAULTS).filter(([name]) => (DEPLOYMENT_INPUTS as readonly string[]).includes(name))
)

function plan(text: string, options: Partial<ConfigPlanOptions> = {}) {
  writeFileSync(path.join(workspace, 'c.yml'), text)
  const { source, problems } = readConfigFile('c.yml', workspace)
  if (!source) throw new Error(`the file is refused: ${JSON.stringify(problems)}`)
  return configDeployments(source, {
    stepDefaults: STEP_DEFAULTS,
    env: ENV,
    workspace,
    dryRun: false,
    defaulted: new Set(Object.keys(STEP_DEFAULTS)),
    ...options
  })
}

const names = (result: ReturnType<typeof plan>) => result.deployments.map(deployment => deployment.name)
const at = (line: number, column: number) => ({ file: 'c.yml', line, column })

/** Five lines: name (line 1 of the entry), platform, base-url, token, target. */
const EPM = (name: string, extra = '') =>
  `  - name: ${name}\n    platform: epmware\n    base-url: https://epm.example.com\n    token: \${{ env.EPM_TOKEN }}\n    target: ${name.toUpperCase()}\n${extra}`

describe('configDeployments: which entries run', () => {
  it('runs every entry when none lists environments, in the file’s order', () => {
    const result = plan(`deployments:\n${EPM('b')}${EPM('a')}`)
    expect(result.problems).toEqual([])
    expect(result.notes).toEqual([])
    expect(names(result)).toEqual(['b', 'a'])
    expect(result.fleet).toEqual([
      { name: 'b', platform: 'epmware', target: 'B', needs: [] },
      { name: 'a', platform: 'epmware', target: 'A', needs: [] }
    ])
    expect(names(plan(`deployments:\n${EPM('b')}`, { environment: 'any' }))).toEqual(['b'])
  })

  it('asks for an environment when an entry lists some, each named once', () => {
    const result = plan(
      `deployments:\n${EPM('a', '    environments: [dev, prod]\n')}${EPM('b', '    environments: { prod: {}, qa: }\n')}${EPM('c')}`
    )
    expect(result.deployments).toEqual([])
    expect(result.problems).toEqual([
      {
        input: 'environment',
        problem: 'is required: c.yml lists environments (dev, prod, qa); name the one to deploy to'
      }
    ])
  })

  it('refuses an environment no entry lists', () => {
    const result = plan(`deployments:\n${EPM('a', '    environments: [dev]\n')}${EPM('c')}`, {
      environment: 'prd'
    })
    expect(result.deployments).toEqual([])
    expect(result.problems).toEqual([
      { input: 'environment', value: 'prd', problem: 'is not an environment of c.yml; its environments: dev' }
    ])
  })

  it('runs the entries that list the environment, as a list or a mapping, and those that list none', () => {
    const file = `deployments:\n${EPM('a', '    environments: [dev]\n')}${EPM('b', '    environments: { prod: }\n')}${EPM('c')}${EPM('d', '    environments: [prod, dev]\n')}`
    expect(names(plan(file, { environment: 'prod' }))).toEqual(['b', 'c', 'd'])
    expect(names(plan(file, { environment: 'dev' }))).toEqual(['a', 'c', 'd'])
  })

  it('refuses a name used twice, pointing at the second', () => {
    const result = plan(`deployments:\n${EPM('a')}${EPM('b')}${EPM('a')}`)
    expect(result.problems).toEqual([
      {
        entry: "deployments[2] 'a'",
        input: 'name',
        position: at(12, 11),
        problem: 'is also the name of deployments[0]; names must be unique'
      }
    ])
  })
})

describe('configDeployments: layers', () => {
  it('takes the step inputs, then defaults, then the entry, then its environment: the last written wins', () => {
    const result = plan(
      [
        'defaults: { timeout: 45m, poll-interval: 5s, wait: false, parameters: { rollback: SHARED } }',
        'deployments:',
        EPM(
          'a',
          '    timeout: 10m\n    environments:\n      prod: { target: A_PROD, timeout: 2h, rollback: A_BACK }\n'
        ),
        EPM('b', '    parameters: { rollback: B_BACK }\n')
      ].join('\n'),
      { environment: 'prod', stepDefaults: { ...STEP_DEFAULTS, 'max-poll-interval': '1m' } }
    )
    expect(result.problems).toEqual([])
    expect(result.deployments[0]).toMatchObject({
      target: 'A_PROD',
      timeoutMs: 7_200_000,
      pollIntervalMs: 5000,
      maxPollIntervalMs: 60_000,
      wait: false,
      parameters: { rollback: 'A_BACK' }
    })
    expect(result.deployments[1]).toMatchObject({
      target: 'B',
      timeoutMs: 2_700_000,
      parameters: { rollback: 'B_BACK' }
    })
  })

  it('takes needs from the environment’s overrides over the entry’s', () => {
    const result = plan(
      `deployments:\n${EPM('a')}${EPM('b')}${EPM('c', '    needs: [a]\n    environments: { prod: { needs: [b] }, dev: { timeout: 5m } }\n')}`,
      { environment: 'prod' }
    )
    expect(result.deployments.map(deployment => deployment.needs)).toEqual([[], [], ['b']])
    expect(
      plan(
        `deployments:\n${EPM('a')}${EPM('b')}${EPM('c', '    needs: [a]\n    environments: { prod: { needs: [b] }, dev: { timeout: 5m } }\n')}`,
        { environment: 'dev' }
      ).deployments.map(deployment => [deployment.needs, deployment.timeoutMs])
    ).toEqual([
      [[], 3_600_000],
      [[], 3_600_000],
      [['a'], 300_000]
    ])
  })

  it('names an override that is neither a field nor a parameter, listing both', () => {
    const result = plan(
      `deployments:\n${EPM('a', '    environments:\n      prod: { colour: 1, rollback: X }\n')}`,
      {
        environment: 'prod'
      }
    )
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'environments.prod.colour',
        position: at(8, 15),
        problem:
          'is neither a field of a deployment (platform, base-url, operation, target, parameters, artifacts, timeout, poll-interval, max-poll-interval, wait, task-id, cancel-on-timeout, cancel-on-abort, fail-on-noop, if-busy, ca-certificate, insecure-skip-tls-verify, token, username, password, needs) nor a parameter of epmware (rollback, delimiter_char, enclosing_char, book_name)'
      }
    ])
    expect(result.deployments[0]?.parameters).toEqual({ rollback: 'X' })
  })

  it('says “its platform” when the platform is not known', () => {
    const result = plan(
      'deployments:\n  - name: a\n    base-url: https://h\n    environments:\n      prod: { colour: 1 }\n',
      { environment: 'prod' }
    )
    expect(result.problems).toContainEqual({
      entry: "deployments[0] 'a'",
      input: 'environments.prod.colour',
      position: at(5, 15),
      problem: expect.stringMatching(/, needs\) nor a parameter of its platform$/) as unknown as string
    })
  })

  it('reads ${{ env.NAME }} in fields and in text parameters, and joins a list one item a line', () => {
    const result = plan(`deployments:\n${EPM('a', "    parameters: { rollback: '${{ env.BACK }}' }\n")}`, {
      env: { ...ENV, BACK: '  ' }
    })
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'parameters',
        key: 'rollback',
        value: 'rollback: "  "',
        position: at(7, 29),
        problem: 'rollback must name a deployment configuration'
      }
    ])
    const deployment = plan(
      `deployments:\n  - name: a\n    platform: flexdeploy\n    base-url: https://\${{ env.HOST }}/flexdeploy\n    username: \${{ env.FD_USER }}\n    password: \${{ env.FD_PASS }}\n    target: 10001\n    artifacts: [a.war, b.war]\n    parameters: { environment: '\${{ env.FD_ENV }}' }\n`,
      { env: { ...ENV, HOST: 'fd.example.com', FD_ENV: 'PROD' } }
    ).deployments[0]
    expect(deployment).toMatchObject({
      baseUrl: 'https://fd.example.com/flexdeploy',
      target: '10001',
      credentials: { username: 'fd', password: 'fd-pass-456' },
      artifacts: ['a.war', 'b.war'],
      parameters: { environment: 'PROD' }
    })
  })
})

describe('configDeployments: problems', () => {
  it('names a missing variable once, where it was written, not again as a missing field', () => {
    const result = plan(`deployments:\n${EPM('a')}`, { env: {} })
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'token',
        position: at(5, 12),
        problem:
          'environment variable EPM_TOKEN is not set; set it in the step’s env:, e.g. EPM_TOKEN: ${{ secrets.EPM_TOKEN }}'
      }
    ])
  })

  it('names a missing variable of a parameter by its key', () => {
    const result = plan(`deployments:\n${EPM('a', '    parameters: { rollback: "${{ env.BACK }}" }\n')}`)
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'parameters',
        key: 'rollback',
        position: at(7, 19),
        problem:
          'environment variable BACK is not set; set it in the step’s env:, e.g. BACK: ${{ secrets.BACK }}'
      },
      {
        entry: "deployments[0] 'a'",
        input: 'parameters',
        key: 'rollback',
        value: 'rollback: ""',
        position: at(7, 29),
        problem: 'rollback must name a deployment configuration'
      }
    ])
  })

  it('says which variable brought a line break into a one-line field', () => {
    const result = plan(
      `deployments:\n${EPM('a').replace('target: A', 'target: ${{ env.T1 }}-${{ env.T2 }}')}`,
      {
        env: { ...ENV, T1: 'x\ny', T2: 'z' }
      }
    )
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'target',
        value: 'x\ny-z',
        position: at(6, 13),
        problem:
          'must be one line but holds a line break (CR or LF) — from ${{ env.T1 }}, ${{ env.T2 }}, a variable that holds more than one line'
      }
    ])
  })

  it('points a problem at the value that was written, the key of an unknown parameter, or the entry', () => {
    const result = plan(
      `defaults: { timeout: soon }\ndeployments:\n${EPM('a', '    parameters: { rolback: X, rollback: A }\n')}  - name: b\n    platform: epmware\n    token: \${{ env.EPM_TOKEN }}\n    target: B\n`
    )
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'timeout',
        value: 'soon',
        position: at(1, 22),
        problem: 'use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes'
      },
      {
        entry: "deployments[0] 'a'",
        input: 'parameters',
        key: 'rolback',
        position: at(8, 19),
        problem:
          "unknown key 'rolback' for epmware; valid keys: rollback, delimiter_char, enclosing_char, book_name"
      },
      {
        entry: "deployments[0] 'a'",
        input: 'parameters',
        value: 'rollback: A',
        position: at(3, 5),
        problem: 'rollback must name a different deployment than target'
      },
      {
        entry: "deployments[1] 'b'",
        input: 'timeout',
        value: 'soon',
        position: at(1, 22),
        problem: 'use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes'
      },
      {
        entry: "deployments[1] 'b'",
        input: 'base-url',
        position: at(9, 5),
        problem: "is required: the server's root, e.g. https://demo.epmwarecloud.com"
      }
    ])
  })

  it('says a problem of a step input comes from the step’s inputs', () => {
    const result = plan(`deployments:\n${EPM('a')}`, {
      stepDefaults: { ...STEP_DEFAULTS, timeout: '10s', 'poll-interval': '20s' },
      defaulted: new Set(['max-poll-interval'])
    })
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a' (from the step's inputs)",
        input: 'poll-interval',
        value: '20s',
        problem: 'must not be longer than timeout (10s): use at most 10s'
      },
      {
        entry: "deployments[0] 'a' (from the step's inputs)",
        input: 'poll-interval',
        value: '20s',
        problem: 'must not be longer than max-poll-interval (10s)'
      }
    ])
  })

  it('shortens a defaulted step interval to a short timeout, but not one written in the file', () => {
    expect(plan(`defaults: { timeout: 10s }\ndeployments:\n${EPM('a')}`).deployments[0]).toMatchObject({
      pollIntervalMs: 2000,
      maxPollIntervalMs: 10_000
    })
    expect(
      plan(`defaults: { timeout: 10s, max-poll-interval: 30s }\ndeployments:\n${EPM('a')}`).problems
    ).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'max-poll-interval',
        value: '30s',
        position: at(1, 46),
        problem: 'must not be longer than timeout (10s): use at most 10s'
      }
    ])
    expect(
      plan(`defaults: { timeout: 10s }\ndeployments:\n${EPM('a')}`, { defaulted: new Set() }).problems
    ).toHaveLength(1)
  })

  it('points a need at its place in the list, in the entry or its overrides, and a cycle at the list', () => {
    const result = plan(
      `deployments:\n${EPM('a', '    needs: [c]\n')}${EPM('b', '    needs: [a, nope]\n')}${EPM('c', '    environments:\n      prod: { needs: [b, c] }\n')}`,
      { environment: 'prod' }
    )
    expect(result.problems).toEqual([
      {
        entry: "deployments[1] 'b'",
        input: 'needs',
        position: at(13, 16),
        problem: "needs 'nope', which is not a deployment of this file; names: a, b, c"
      },
      {
        entry: "deployments[2] 'c'",
        input: 'needs',
        position: at(20, 26),
        problem: 'a deployment cannot need itself'
      },
      {
        entry: "deployments[0] 'a'",
        input: 'needs',
        position: at(7, 12),
        problem: 'needs form a cycle: a → c → b → a'
      }
    ])
  })

  it('lets a need name an entry of another environment', () => {
    const result = plan(
      `deployments:\n${EPM('a', '    environments: [dev]\n')}${EPM('b', '    needs: [a]\n    environments: [prod]\n')}`,
      { environment: 'prod' }
    )
    expect(result.problems).toEqual([])
    expect(result.deployments.map(deployment => deployment.needs)).toEqual([['a']])
  })
})

describe('configDeployments: where parameters were written', () => {
  it('points at a parameter of defaults, of the entry and of the environment, each where it was written', () => {
    const result = plan(
      `defaults: { parameters: { rolback: X } }\ndeployments:\n${EPM('a', '    environments:\n      prod:\n        parameters: { bok_name: Y }\n        book_name: ""\n')}`,
      { environment: 'prod' }
    )
    expect(result.problems.map(problem => [problem.key, problem.value, problem.position])).toEqual([
      ['book_name', 'book_name: ""', at(11, 20)],
      ['rolback', undefined, at(1, 27)],
      ['bok_name', undefined, at(10, 23)],
      ['book_name', 'book_name: ', at(11, 20)]
    ])
  })

  it('passes a parameter that is not text as written', () => {
    const result = plan(
      `deployments:\n  - name: a\n    platform: flexdeploy\n    base-url: https://fd.example.com\n    username: \${{ env.FD_USER }}\n    password: \${{ env.FD_PASS }}\n    target: 10001\n    parameters: { environmentId: 11210 }\n`
    )
    expect(result.problems).toEqual([])
    expect(result.deployments[0]?.parameters).toEqual({ environmentId: 11210 })
  })
})

describe('configDeployments: fields', () => {
  it('reads a ca-certificate written in the file', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
    const result = plan(`deployments:\n${EPM('a', `    ca-certificate: ${JSON.stringify(pem)}\n`)}`)
    expect(result.problems).toEqual([])
    expect(result.deployments[0]?.tls.caCertificate).toBe(pem)
  })

  it('asks an entry for its platform as a field of the file', () => {
    const result = plan('deployments:\n  - name: a\n    base-url: https://h\n')
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'platform',
        position: at(2, 5),
        problem: 'is required (one of epmware, mule-mmc, bmc-rpm, mobilefirst, flexdeploy)'
      }
    ])
  })

  it('says nothing of variables for a line break written in the file itself', () => {
    const result = plan(`deployments:\n${EPM('a').replace('target: A', 'target: "A\\nB"')}`)
    expect(result.problems).toEqual([
      {
        entry: "deployments[0] 'a'",
        input: 'target',
        value: 'A\nB',
        position: at(6, 13),
        problem: 'must be one line but holds a line break (CR or LF)'
      }
    ])
  })

  it('takes no step input as defaulted when it is not told which are', () => {
    const result = plan(`defaults: { timeout: 1s }\ndeployments:\n${EPM('a')}`, { defaulted: undefined })
    expect(result.problems.map(problem => [problem.entry, problem.input])).toEqual([
      ["deployments[0] 'a' (from the step's inputs)", 'poll-interval'],
      ["deployments[0] 'a' (from the step's inputs)", 'max-poll-interval']
    ])
  })
})

describe('configDeployments: operation await', () => {
  const file = `deployments:\n${EPM('a')}${EPM('b', '    needs: [a]\n')}${EPM('c')}`

  it('awaits the named jobs with no needs, and notes the others', () => {
    const result = plan(file, { awaitIds: new Map([['b', '42']]) })
    expect(result.problems).toEqual([])
    expect(result.notes).toEqual([
      'a: not awaited, the task-id input names no job for it',
      'c: not awaited, the task-id input names no job for it'
    ])
    expect(result.deployments).toHaveLength(1)
    expect(result.deployments[0]).toMatchObject({ name: 'b', operation: 'await', taskId: '42', needs: [] })
  })

  it('says task-id names none of the run’s deployments', () => {
    const result = plan(file, { awaitIds: new Map([['z', '1']]) })
    expect(result.deployments).toEqual([])
    expect(result.problems).toEqual([
      { input: 'task-id', problem: 'names none of the deployments of this run (a, b, c)' }
    ])
    // with another problem of the file, that one is said alone
    expect(
      plan(`deployments:\n${EPM('a')}${EPM('a')}`, { awaitIds: new Map([['z', '1']]) }).problems.map(
        problem => problem.input
      )
    ).toEqual(['name'])
    // an empty map: the step's task-id input was refused already, and that problem is said once
    const none = plan(file, { awaitIds: new Map() })
    expect([none.deployments, none.problems, none.notes.length]).toEqual([[], [], 3])
  })
})

describe('configDeployments: the deployments input', () => {
  const file = `deployments:\n${EPM('a', '    environments: [prod, dev]\n')}${EPM('b', '    needs: [a]\n')}${EPM('c', '    environments: [dev]\n')}`

  it('runs only the named deployments, and plans the whole environment', () => {
    const result = plan(file, { environment: 'prod', only: ['b'] })
    expect(result.problems).toEqual([])
    expect(names(result)).toEqual(['b'])
    expect(result.fleet.map(entry => entry.name)).toEqual(['a', 'b'])
  })

  it('names each unknown name once, with the valid ones and whether the file has it elsewhere', () => {
    expect(plan(file, { environment: 'prod', only: ['x', 'c', 'x', 'a'] }).problems).toEqual([
      {
        input: 'deployments',
        value: 'x',
        problem: 'is not a deployment of environment prod of c.yml; its deployments: a, b'
      },
      {
        input: 'deployments',
        value: 'c',
        problem:
          'is not a deployment of environment prod of c.yml (the file has it for other environments); its deployments: a, b'
      }
    ])
    expect(plan(`deployments:\n${EPM('a')}`, { only: ['x'] }).problems).toEqual([
      { input: 'deployments', value: 'x', problem: 'is not a deployment of c.yml; its deployments: a' }
    ])
  })

  it('says the run has no deployments when the environment is refused', () => {
    expect(plan(file, { environment: 'qa', only: ['a'] }).problems).toEqual([
      {
        input: 'environment',
        value: 'qa',
        problem: 'is not an environment of c.yml; its environments: prod, dev'
      },
      {
        input: 'deployments',
        value: 'a',
        problem:
          'is not a deployment of environment qa of c.yml (the file has it for other environments); its deployments: none'
      }
    ])
  })

  it('refuses a list that names nothing', () => {
    expect(plan(file, { environment: 'prod', only: [] }).problems).toEqual([
      { input: 'deployments', problem: 'names no deployment; its deployments: a, b' }
    ])
    expect(
      plan(`deployments:\n${EPM('c', '    environments: [dev]\n')}`, { environment: 'dev', only: [] })
        .problems
    ).toEqual([{ input: 'deployments', problem: 'names no deployment; its deployments: c' }])
  })
})
