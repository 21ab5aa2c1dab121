import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { z } from 'zod'
import { definitionOf } from '../drivers/index.js'
import type { DriverDefinition } from '../drivers/driver.js'
import { parseParameters } from './parameters.js'
import { problemsError, type InputProblem } from './problems.js'
import {
  PLATFORMS,
  ActionInputsSchema,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  PlanSchema,
  type ActionInputs,
  type Deployment,
  type InputName,
  type Plan
} from './schema.js'

export type ReadInput = (name: InputName) => string | undefined

/** Turns the action's inputs into a typed Plan, or throws one error that lists every problem. */
export function getPlan(readInput: ReadInput, env: NodeJS.ProcessEnv = process.env): Plan {
  const raw: Record<string, string> = {}
  for (const name of INPUT_NAMES) {
    const value = readInput(name) ?? INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]
    if (value !== undefined && value !== '') raw[name] = value
  }
  const { inputs, problems } = parseEachInput(raw)

  if (inputs.config !== undefined) {
    problems.push({
      input: 'config',
      value: inputs.config,
      problem:
        'several deployments from a config file are not supported by this version yet; use platform, base-url and target'
    })
    throw problemsError(problems)
  }
  problems.push(...unbuiltFeatureProblems(inputs))
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const caCertificate = readCaCertificate(inputs['ca-certificate'], workspace, problems)
  const deployment = singleDeployment({ ...inputs, 'ca-certificate': caCertificate }, problems)
  if (problems.length > 0 || !deployment) throw problemsError(problems)

  return PlanSchema.parse({
    deployments: [deployment],
    settings: {
      failOnError: inputs['fail-on-error'],
      logLines: inputs['log-lines'],
      summary: inputs.summary,
      maxParallel: inputs['max-parallel'],
      environment: inputs.environment,
      githubToken: inputs['github-token'],
      githubDeployment: inputs['github-deployment'],
      workspace,
      tempDir: env.RUNNER_TEMP || os.tmpdir()
    }
  })
}

/**
 * Parses every input on its own, so one bad value hides no other problem; a bad value is replaced by its
 * default (or left out) to let the checks that follow run too.
 */
function parseEachInput(raw: Record<string, string>): { inputs: ActionInputs; problems: InputProblem[] } {
  const problems: InputProblem[] = []
  const values: Record<string, unknown> = {}
  for (const name of INPUT_NAMES) {
    const schema = ActionInputsSchema.shape[name] as z.ZodType
    const parsed = schema.safeParse(raw[name])
    if (parsed.success) {
      values[name] = parsed.data
      continue
    }
    for (const issue of parsed.error.issues)
      problems.push({ input: name, value: raw[name], problem: issue.message })
    const fallback = INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]
    values[name] = fallback === undefined ? undefined : schema.parse(fallback)
  }
  return { inputs: values as ActionInputs, problems }
}

function singleDeployment(inputs: ActionInputs, problems: InputProblem[]): Deployment | undefined {
  const alreadyNamed = (input: string) => problems.some(problem => problem.input === input)
  if (!inputs.platform && !alreadyNamed('platform')) {
    problems.push({
      input: 'platform',
      problem: `is required (one of ${PLATFORM_LIST}) unless config is given`
    })
  }
  if (!inputs['base-url'] && !alreadyNamed('base-url')) {
    problems.push({
      input: 'base-url',
      problem: "is required: the server's root, e.g. https://demo.epmwarecloud.com"
    })
  }
  if (inputs['poll-interval'] > inputs['max-poll-interval']) {
    problems.push({
      input: 'poll-interval',
      value: String(inputs['poll-interval'] / 1000) + 's',
      problem: 'must not be longer than max-poll-interval'
    })
  }
  const parameters = parseParameters(inputs.parameters)
  problems.push(...parameters.problems)
  if (!inputs.platform) return undefined
  const definition = definitionOf(inputs.platform)
  if (!definition) {
    problems.push({
      input: 'platform',
      value: inputs.platform,
      problem: `is not supported by this version yet; supported now: ${supportedPlatforms().join(', ')}`
    })
    return undefined
  }
  const operation = inputs.operation ?? definition.defaultOperation
  const validOperations = [...definition.operations, 'await']
  if (!validOperations.includes(operation)) {
    problems.push({
      input: 'operation',
      value: operation,
      problem: `is not an operation of ${definition.platform}; use one of ${validOperations.join(', ')}`
    })
  }
  problems.push(...credentialProblems(definition, inputs))
  problems.push(...taskIdProblems(operation, inputs['task-id']))
  const checkedParameters = parameterProblems(definition, parameters.value)
  problems.push(...checkedParameters.problems)

  const deployment: Deployment = {
    name: inputs.target ?? inputs.platform,
    platform: inputs.platform,
    baseUrl: inputs['base-url'] ?? '',
    operation,
    target: inputs.target,
    parameters: checkedParameters.value,
    credentials: { token: inputs.token, username: inputs.username, password: inputs.password },
    artifacts: inputs.artifacts ?? [],
    taskId: inputs['task-id'],
    timeoutMs: inputs.timeout,
    pollIntervalMs: inputs['poll-interval'],
    maxPollIntervalMs: inputs['max-poll-interval'],
    wait: inputs.wait,
    cancelOnTimeout: inputs['cancel-on-timeout'],
    cancelOnAbort: inputs['cancel-on-abort'],
    failOnNoop: inputs['fail-on-noop'],
    dryRun: inputs['dry-run'],
    tls: {
      caCertificate: inputs['ca-certificate'],
      insecureSkipTlsVerify: inputs['insecure-skip-tls-verify']
    },
    needs: []
  }
  problems.push(...definition.validate(deployment))
  return deployment
}

const PLATFORM_LIST = PLATFORMS.join(', ')

function supportedPlatforms(): string[] {
  return PLATFORMS.filter(platform => definitionOf(platform))
}

/** Inputs of the contract whose feature this version does not have yet: refused, never silently ignored. */
function unbuiltFeatureProblems(inputs: ActionInputs): InputProblem[] {
  const problems: InputProblem[] = []
  if (inputs['dry-run']) {
    problems.push({
      input: 'dry-run',
      value: 'true',
      problem: 'is not supported by this version yet; nothing was triggered'
    })
  }
  if (inputs['github-deployment']) {
    problems.push({
      input: 'github-deployment',
      value: 'true',
      problem: 'is not supported by this version yet'
    })
  }
  return problems
}

/** `ca-certificate` holds PEM text, or the path of a PEM file relative to the workspace. */
function readCaCertificate(
  value: string | undefined,
  workspace: string,
  problems: InputProblem[]
): string | undefined {
  if (value === undefined || value.includes('-----BEGIN CERTIFICATE-----')) return value
  const file = path.resolve(workspace, value.trim())
  try {
    const text = readFileSync(file, 'utf8')
    if (text.includes('-----BEGIN CERTIFICATE-----')) return text
    problems.push({
      input: 'ca-certificate',
      value,
      problem: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`
    })
  } catch {
    problems.push({
      input: 'ca-certificate',
      value,
      problem: 'is neither PEM text nor the path of a readable PEM file'
    })
  }
  return undefined
}

function credentialProblems(definition: DriverDefinition, inputs: ActionInputs): InputProblem[] {
  const problems: InputProblem[] = []
  if (definition.credentials === 'token') {
    if (!inputs.token)
      problems.push({
        input: 'token',
        problem: `is required: ${definition.title} authenticates with an API token`
      })
    for (const name of ['username', 'password'] as const) {
      if (inputs[name])
        problems.push({
          input: name,
          problem: `is not used by ${definition.platform}, which authenticates with token`
        })
    }
  } else {
    for (const name of ['username', 'password'] as const) {
      if (!inputs[name])
        problems.push({
          input: name,
          problem: `is required: ${definition.title} uses HTTP Basic authentication`
        })
    }
    if (inputs.token)
      problems.push({
        input: 'token',
        problem: `is not used by ${definition.platform}, which authenticates with username and password`
      })
  }
  return problems
}

function taskIdProblems(operation: string, taskId: string | undefined): InputProblem[] {
  if (operation === 'await' && !taskId) {
    return [
      {
        input: 'task-id',
        problem: 'is required with operation: await (the task-id output of the step that started the job)'
      }
    ]
  }
  if (operation !== 'await' && taskId) {
    return [{ input: 'task-id', value: taskId, problem: 'is only used with operation: await' }]
  }
  return []
}

/** Validates `parameters` against the platform's strict schema; unknown keys list the valid ones. */
export function parameterProblems(
  definition: DriverDefinition,
  value: Record<string, unknown>
): { value: Record<string, unknown>; problems: InputProblem[] } {
  const result = definition.parameters.safeParse(value)
  if (result.success) return { value: result.data as Record<string, unknown>, problems: [] }
  const validKeys = Object.keys(definition.parameters.shape)
  const valid = validKeys.length ? validKeys.join(', ') : `none (${definition.platform} takes no parameters)`
  const problems = result.error.issues.flatMap((issue): InputProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => ({
        input: 'parameters',
        problem: `unknown key '${key}' for ${definition.platform}; valid keys: ${valid}`
      }))
    }
    const key = issue.path.join('.')
    const shown = issue.path.length
      ? issue.path.reduce<unknown>(
          (inner, step) => (inner as Record<PropertyKey, unknown>)?.[step as PropertyKey],
          value
        )
      : value
    return [
      {
        input: 'parameters',
        value: key ? `${key}: ${JSON.stringify(shown)}` : undefined,
        problem: issue.message
      }
    ]
  })
  return { value, problems }
}
