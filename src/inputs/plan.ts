import os from 'node:os'
import { readCaCertificate } from './certificate.js'
import { configLibrary } from './config-library.js'
import { buildDeployment } from './deployment.js'
import { parseFields } from './fields.js'
import { parseParameters } from './parameters.js'
import { problemsError, type InputProblem } from './problems.js'
import { parseTaskIds } from './task-ids.js'
import {
  DEPLOYMENT_INPUTS,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  PlanSchema,
  type ActionInputs,
  type Deployment,
  type DeploymentInputName,
  type FleetEntry,
  type InputName,
  type Plan
} from './schema.js'

export { parameterProblems } from './deployment.js'

export type ReadInput = (name: InputName) => string | undefined

export interface PlanOptions {
  /** Sees every credential the moment it is read (inputs and `${{ env.NAME }}`), to mask it before anything prints. */
  onCredentials?: (credentials: Deployment['credentials']) => void
  /** Whether a value holds a known credential: a problem then shows it as `***`. */
  conceals?: (value: string) => boolean
}

/** What getPlan has to say that is not a problem (an entry of the file not awaited). */
export interface PlanWithNotes extends Plan {
  notes: string[]
}

/**
 * Turns the action's inputs (and the config file they name) into a typed Plan, or throws one error that
 * lists every problem.
 */
export function getPlan(
  readInput: ReadInput,
  env: NodeJS.ProcessEnv = process.env,
  options: PlanOptions = {}
): PlanWithNotes {
  const raw: Partial<Record<InputName, string>> = {}
  const defaulted = new Set<string>()
  for (const name of INPUT_NAMES) {
    const given = readInput(name)
    if (given === undefined) defaulted.add(name)
    const value = given ?? INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]
    if (value !== undefined && value !== '') raw[name] = value
  }
  const { values: inputs, problems } = parseFields(raw, INPUT_NAMES)
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const notes: string[] = []
  const fleet: FleetEntry[] = []
  if (inputs.config === undefined && raw.deployments !== undefined)
    problems.push({
      input: 'deployments',
      value: raw.deployments,
      problem: 'is only used with config: it names deployments of the config file'
    })
  const deployments =
    inputs.config === undefined
      ? singleDeployment(inputs, workspace, defaulted, problems)
      : fileDeployments(inputs, raw, { env, workspace, defaulted }, problems, notes, fleet)
  for (const deployment of deployments) options.onCredentials?.(deployment.credentials)
  if (inputs['github-deployment']) problems.push(...githubProblems(inputs))
  if (problems.length > 0 || deployments.length === 0) throw problemsError(problems, options.conceals)

  const plan = PlanSchema.parse({
    deployments,
    settings: {
      failOnError: inputs['fail-on-error'],
      logLines: inputs['log-lines'],
      summary: inputs.summary,
      maxParallel: inputs['max-parallel'],
      environment: inputs.environment,
      githubToken: inputs['github-token'],
      githubDeployment: inputs['github-deployment'],
      config: inputs.config,
      workspace,
      tempDir: env.RUNNER_TEMP || os.tmpdir()
    },
    fleet: inputs.config === undefined ? undefined : fleet
  })
  return { ...plan, notes }
}

function singleDeployment(
  inputs: ActionInputs,
  workspace: string,
  defaulted: ReadonlySet<string>,
  problems: InputProblem[]
): Deployment[] {
  const caCertificate = readCaCertificate(inputs['ca-certificate'], workspace, problems)
  const parameters = parseParameters(inputs.parameters)
  problems.push(...parameters.problems)
  const name = inputs.target ?? inputs.platform ?? ''
  const deployment = buildDeployment(
    { ...inputs, 'ca-certificate': caCertificate },
    parameters.value,
    { name, needs: [], dryRun: inputs['dry-run'], fromConfig: false, defaulted },
    problems
  )
  return deployment ? [deployment] : []
}

/** Inputs that have no default: with `config`, they are written in the file instead. */
const FILE_ONLY = DEPLOYMENT_INPUTS.filter(name => !(name in INPUT_DEFAULTS))

function fileDeployments(
  inputs: ActionInputs,
  raw: Partial<Record<InputName, string>>,
  context: { env: NodeJS.ProcessEnv; workspace: string; defaulted: ReadonlySet<string> },
  problems: InputProblem[],
  notes: string[],
  fleet: FleetEntry[]
): Deployment[] {
  const awaiting = inputs.operation === 'await'
  for (const name of FILE_ONLY) {
    if (raw[name] === undefined) continue
    if (awaiting && (name === 'operation' || name === 'task-id')) continue
    problems.push({
      input: name,
      value: raw[name],
      problem:
        name === 'operation'
          ? 'with config, only operation: await is an input (with task-id); write the others in the config file'
          : 'is not used with config: write it in the config file (credentials as ${{ env.NAME }})'
    })
  }
  let awaitIds: Map<string, string> | undefined
  if (awaiting) {
    const parsed = parseTaskIds(inputs['task-id'] ?? '')
    if (parsed.problem) problems.push({ input: 'task-id', value: raw['task-id'], problem: parsed.problem })
    else if (parsed.ids.size === 0)
      problems.push({
        input: 'task-id',
        problem:
          'is required with operation: await: the results output of the step that started the jobs, or name=id pairs'
      })
    awaitIds = parsed.ids
  }
  const { readConfigFile, configDeployments } = configLibrary()
  const file = readConfigFile(inputs.config ?? '', context.workspace)
  problems.push(...file.problems)
  if (!file.source) return []
  const stepDefaults: Partial<Record<DeploymentInputName, string>> = {}
  const refused = new Set(problems.map(problem => problem.input))
  // a step input refused above is reported once, as the step's: its entries take action.yml's default
  for (const name of DEPLOYMENT_INPUTS) {
    if (!(name in INPUT_DEFAULTS) || raw[name] === undefined) continue
    stepDefaults[name] = refused.has(name) ? INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS] : raw[name]
  }
  const planned = configDeployments(file.source, {
    environment: inputs.environment,
    stepDefaults,
    env: context.env,
    workspace: context.workspace,
    dryRun: inputs['dry-run'],
    awaitIds,
    defaulted: context.defaulted,
    only: inputs.deployments
  })
  problems.push(...planned.problems)
  notes.push(...planned.notes)
  fleet.push(...planned.fleet)
  return planned.deployments
}

function githubProblems(inputs: ActionInputs): InputProblem[] {
  const problems: InputProblem[] = []
  if (!inputs.environment) {
    problems.push({
      input: 'environment',
      problem: 'is required with github-deployment: true: the GitHub environment the deployment is for'
    })
  }
  if (!inputs['github-token']) {
    problems.push({
      input: 'github-token',
      problem: 'is required with github-deployment: true (the default is ${{ github.token }})'
    })
  }
  return problems
}
