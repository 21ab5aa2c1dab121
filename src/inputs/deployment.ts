import { definitionOf } from '../drivers/index.js'
import type { DriverDefinition } from '../drivers/driver.js'
import { formatDuration } from '../text/duration.js'
import type { InputProblem } from './problems.js'
import { PLATFORMS, type Deployment, type DeploymentInputs } from './schema.js'

export interface DeploymentExtras {
  name: string
  needs: string[]
  dryRun: boolean
  /** True for a config file entry: messages speak of fields rather than of the step's inputs. */
  fromConfig: boolean
  /** The inputs holding action.yml's default rather than a value written by the user. */
  defaulted?: ReadonlySet<string>
}

const PLATFORM_LIST = PLATFORMS.join(', ')

/**
 * One deployment from its parsed fields, checked against its platform: the one path both the step's inputs
 * and every config file entry take. Problems are appended to `problems`, which already holds this
 * deployment's field-parsing problems (so a field refused there is not reported twice).
 */
export function buildDeployment(
  inputs: Omit<DeploymentInputs, 'parameters'>,
  parameters: Record<string, unknown>,
  extras: DeploymentExtras,
  problems: InputProblem[]
): Deployment | undefined {
  const alreadyNamed = (input: string) => problems.some(problem => problem.input === input)
  if (!inputs.platform && !alreadyNamed('platform')) {
    problems.push({
      input: 'platform',
      problem: `is required (one of ${PLATFORM_LIST})${extras.fromConfig ? '' : ' unless config is given'}`
    })
  }
  if (!inputs['base-url'] && !alreadyNamed('base-url')) {
    problems.push({
      input: 'base-url',
      problem: "is required: the server's root, e.g. https://demo.epmwarecloud.com"
    })
  }
  const intervals = intervalsWithin(inputs, extras.defaulted ?? new Set(), problems)
  problems.push(...singleLineProblems(inputs))
  if (!inputs.platform) return undefined
  const definition = definitionOf(inputs.platform)
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
  const checkedParameters = parameterProblems(definition, parameters)
  problems.push(...checkedParameters.problems)

  const deployment: Deployment = {
    name: extras.name,
    platform: inputs.platform,
    baseUrl: inputs['base-url'] ?? '',
    operation,
    target: inputs.target,
    parameters: checkedParameters.value,
    credentials: { token: inputs.token, username: inputs.username, password: inputs.password },
    artifacts: inputs.artifacts ?? [],
    taskId: inputs['task-id'],
    timeoutMs: inputs.timeout,
    pollIntervalMs: intervals.pollMs,
    maxPollIntervalMs: intervals.maxPollMs,
    wait: inputs.wait,
    cancelOnTimeout: inputs['cancel-on-timeout'],
    cancelOnAbort: inputs['cancel-on-abort'],
    failOnNoop: inputs['fail-on-noop'],
    ifBusy: inputs['if-busy'],
    dryRun: extras.dryRun,
    tls: {
      caCertificate: inputs['ca-certificate'],
      insecureSkipTlsVerify: inputs['insecure-skip-tls-verify']
    },
    needs: extras.needs
  }
  problems.push(...definition.validate(deployment))
  return deployment
}

/**
 * Poll intervals no longer than the timeout and the first no longer than the longest. A default that does
 * not fit a short timeout is shortened to it; a value the user wrote is an error naming what would fit.
 */
function intervalsWithin(
  inputs: Pick<DeploymentInputs, 'timeout' | 'poll-interval' | 'max-poll-interval'>,
  defaulted: ReadonlySet<string>,
  problems: InputProblem[]
): { pollMs: number; maxPollMs: number } {
  const timeout = inputs.timeout
  let pollMs = inputs['poll-interval']
  let maxPollMs = inputs['max-poll-interval']
  for (const name of ['poll-interval', 'max-poll-interval'] as const) {
    const value = inputs[name]
    if (value <= timeout) continue
    if (defaulted.has(name)) {
      if (name === 'poll-interval') pollMs = timeout
      else maxPollMs = timeout
      continue
    }
    problems.push({
      input: name,
      value: formatDuration(value),
      problem: `must not be longer than timeout (${formatDuration(timeout)}): use at most ${formatDuration(timeout)}`
    })
  }
  if (pollMs > maxPollMs) {
    problems.push({
      input: 'poll-interval',
      value: formatDuration(pollMs),
      problem: `must not be longer than max-poll-interval (${formatDuration(maxPollMs)})`
    })
  }
  return { pollMs, maxPollMs }
}

/**
 * Fields sent as one value in a URL, a path or a query: a line break would change what is sent. (base-url
 * is checked as it is parsed: the URL parser drops line breaks silently.)
 */
const SINGLE_LINE_FIELDS = ['operation', 'target', 'task-id'] as const

function singleLineProblems(
  inputs: Partial<Record<(typeof SINGLE_LINE_FIELDS)[number], string>>
): InputProblem[] {
  return SINGLE_LINE_FIELDS.filter(name => /[\r\n]/.test(inputs[name] ?? '')).map(name => ({
    input: name,
    value: inputs[name],
    problem: 'must be one line but holds a line break (CR or LF)'
  }))
}

function credentialProblems(
  definition: DriverDefinition,
  inputs: Pick<DeploymentInputs, 'token' | 'username' | 'password'>
): InputProblem[] {
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
        key,
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
        key: issue.path.length ? String(issue.path[0]) : undefined,
        value: key ? `${key}: ${JSON.stringify(shown)}` : undefined,
        problem: issue.message
      }
    ]
  })
  return { value, problems }
}
