import { definitionOf } from '../drivers/index.js'
import { readCaCertificate } from './certificate.js'
import type { ConfigSource, YamlPath } from './config-file.js'
import { OVERRIDE_FIELDS, type ConfigEntry } from './config-schema.js'
import { buildDeployment } from './deployment.js'
import { substituteEnv } from './env-references.js'
import { parseFields } from './fields.js'
import { graphProblems } from './graph.js'
import type { InputProblem } from './problems.js'
import {
  DEPLOYMENT_INPUTS,
  PlatformSchema,
  type Deployment,
  type DeploymentInputName,
  type FleetEntry
} from './schema.js'

export interface ConfigPlanOptions {
  environment?: string
  /** Step inputs that have a default in action.yml, as given or defaulted: the layer under `defaults`. */
  stepDefaults: Partial<Record<DeploymentInputName, string>>
  env: NodeJS.ProcessEnv
  workspace: string
  dryRun: boolean
  /** `operation: await`: the task id each deployment follows. */
  awaitIds?: Map<string, string>
  /** Step inputs left to action.yml's default (not written by the user). */
  defaulted?: ReadonlySet<string>
  /** The `deployments` input: run only these of the environment (a matrix job of a fleet). */
  only?: readonly string[]
}

export interface ConfigPlan {
  /** What this step runs: the environment's deployments, or those of them `only` names. */
  deployments: Deployment[]
  /** Every deployment of the environment, whatever `only` says: the `plan` output. */
  fleet: FleetEntry[]
  problems: InputProblem[]
  /** Things worth a log line that are not problems (an entry not awaited). */
  notes: string[]
}

/** A field's value and where it was written (undefined: the step's inputs). */
interface Field {
  value: unknown
  origin?: YamlPath
}

const FIELD_INPUTS = DEPLOYMENT_INPUTS.filter(name => name !== 'parameters')
const LAYERED = new Set<string>(FIELD_INPUTS)

/** The file's entries for this environment, each resolved and checked like the step's own inputs. */
export function configDeployments(source: ConfigSource, options: ConfigPlanOptions): ConfigPlan {
  const { config } = source
  const problems: InputProblem[] = []
  const notes: string[] = []
  problems.push(...duplicateNames(source))
  const selected = selectEntries(source, options.environment, problems)
  const deployments: Deployment[] = []
  const needsOrigins = new Map<string, YamlPath>()
  for (const { entry, index } of selected) {
    const taskId = options.awaitIds?.get(entry.name)
    if (options.awaitIds && !taskId) {
      notes.push(`${entry.name}: not awaited, the task-id input names no job for it`)
      continue
    }
    const resolved = resolveEntry(source, entry, index, options)
    if (taskId) {
      resolved.fields.set('operation', { value: 'await' })
      resolved.fields.set('task-id', { value: taskId })
      resolved.needs = []
    }
    needsOrigins.set(entry.name, resolved.needsOrigin)
    const deployment = toDeployment(resolved, options, problems)
    if (deployment) deployments.push(deployment)
  }
  // an empty map is a task-id input already refused (it names no job): said once, by the step's inputs
  if (options.awaitIds?.size && deployments.length === 0 && problems.length === 0) {
    problems.push({
      input: 'task-id',
      problem: `names none of the deployments of this run (${selected.map(({ entry }) => entry.name).join(', ')})`
    })
  }
  const outside = new Set(config.deployments.map(entry => entry.name))
  for (const { entry } of selected) outside.delete(entry.name)
  for (const problem of graphProblems(deployments, outside)) {
    const origin = needsOrigins.get(problem.name) ?? []
    const needs = deployments.find(deployment => deployment.name === problem.name)?.needs ?? []
    const at = problem.need === undefined ? origin : [...origin, needs.indexOf(problem.need)]
    const index = config.deployments.findIndex(entry => entry.name === problem.name)
    problems.push({
      entry: `deployments[${index}] '${problem.name}'`,
      input: 'needs',
      position: source.locate(at),
      problem: problem.problem
    })
  }
  const fleet = deployments.map(({ name, platform, target, needs }) => ({ name, platform, target, needs }))
  if (!options.only) return { deployments, fleet, problems, notes }
  const names = selected.map(({ entry }) => entry.name)
  problems.push(...unknownNames(options.only, names, source, options.environment))
  // A need left out of the selection counts as met: another job of the fleet ran it (runBatch skips it).
  const only = new Set(options.only)
  return { deployments: deployments.filter(({ name }) => only.has(name)), fleet, problems, notes }
}

/** Names of the `deployments` input that are not deployments of this run, each said once, with the valid ones. */
function unknownNames(
  only: readonly string[],
  names: readonly string[],
  source: ConfigSource,
  environment: string | undefined
): InputProblem[] {
  const unknown = [...new Set(only.filter(name => !names.includes(name)))]
  if (unknown.length === 0 && only.length > 0) return []
  const where = environment === undefined ? source.file : `environment ${environment} of ${source.file}`
  const valid = `its deployments: ${names.join(', ') || 'none'}`
  if (unknown.length === 0) return [{ input: 'deployments', problem: `names no deployment; ${valid}` }]
  const inFile = new Set(source.config.deployments.map(entry => entry.name))
  return unknown.map(name => ({
    input: 'deployments',
    value: name,
    problem: `is not a deployment of ${where}${inFile.has(name) ? ' (the file has it for other environments)' : ''}; ${valid}`
  }))
}

function duplicateNames(source: ConfigSource): InputProblem[] {
  const seen = new Map<string, number>()
  const problems: InputProblem[] = []
  source.config.deployments.forEach((entry, index) => {
    const first = seen.get(entry.name)
    if (first === undefined) return void seen.set(entry.name, index)
    problems.push({
      entry: `deployments[${index}] '${entry.name}'`,
      input: 'name',
      position: source.locate(['deployments', index, 'name']),
      problem: `is also the name of deployments[${first}]; names must be unique`
    })
  })
  return problems
}

/**
 * Without `environment`, every entry runs, unless some entry lists environments: then it is required (so a
 * production entry never runs by omission) and must be one of them; the entries that list it run, and
 * those that list none.
 */
function selectEntries(
  source: ConfigSource,
  environment: string | undefined,
  problems: InputProblem[]
): { entry: ConfigEntry; index: number }[] {
  const all = source.config.deployments.map((entry, index) => ({ entry, index }))
  const known = [...new Set(all.flatMap(({ entry }) => environmentsOf(entry)))]
  if (environment === undefined) {
    if (known.length === 0) return all
    problems.push({
      input: 'environment',
      problem: `is required: ${source.file} lists environments (${known.join(', ')}); name the one to deploy to`
    })
    return []
  }
  // A misspelt environment must not quietly run only the entries that run everywhere.
  if (known.length > 0 && !known.includes(environment)) {
    problems.push({
      input: 'environment',
      value: environment,
      problem: `is not an environment of ${source.file}; its environments: ${known.join(', ')}`
    })
    return []
  }
  return all.filter(({ entry }) => !entry.environments || environmentsOf(entry).includes(environment))
}

function environmentsOf(entry: ConfigEntry): string[] {
  if (!entry.environments) return []
  return Array.isArray(entry.environments) ? entry.environments : Object.keys(entry.environments)
}

interface ResolvedEntry {
  name: string
  index: number
  fields: Map<string, Field>
  parameters: Record<string, unknown>
  parameterOrigins: Map<string, YamlPath>
  needs: string[]
  needsOrigin: YamlPath
  problems: InputProblem[]
  locate: ConfigSource['locate']
}

/** Step inputs, then `defaults`, then the entry, then its environment's overrides: the last one written wins. */
function resolveEntry(
  source: ConfigSource,
  entry: ConfigEntry,
  index: number,
  options: ConfigPlanOptions
): ResolvedEntry {
  const { config } = source
  const fields = new Map<string, Field>()
  const parameters: Record<string, unknown> = {}
  const parameterOrigins = new Map<string, YamlPath>()
  const problems: InputProblem[] = []
  const entryPath = ['deployments', index] as const
  const addParameters = (values: Record<string, unknown> | undefined, origin: YamlPath) => {
    for (const [key, value] of Object.entries(values ?? {})) {
      parameters[key] = value
      parameterOrigins.set(key, [...origin, key])
    }
  }
  const layer = (values: Record<string, unknown> | undefined, origin: YamlPath | undefined) => {
    for (const [key, value] of Object.entries(values ?? {})) {
      if (LAYERED.has(key)) fields.set(key, { value, origin: origin && [...origin, key] })
    }
  }
  layer(options.stepDefaults, undefined)
  layer(config.defaults, ['defaults'])
  addParameters(config.defaults?.parameters, ['defaults', 'parameters'])
  layer(entry, entryPath)
  addParameters(entry.parameters, [...entryPath, 'parameters'])
  let needs = entry.needs ?? []
  let needsOrigin: YamlPath = [...entryPath, 'needs']

  const environment = options.environment
  const overrides =
    environment !== undefined && entry.environments && !Array.isArray(entry.environments)
      ? (entry.environments[environment] ?? undefined)
      : undefined
  if (overrides && environment !== undefined) {
    const overridePath = [...entryPath, 'environments', environment]
    layer(overrides, overridePath)
    addParameters(overrides.parameters, [...overridePath, 'parameters'])
    if (overrides.needs) {
      needs = overrides.needs
      needsOrigin = [...overridePath, 'needs']
    }
    const platform = PlatformSchema.safeParse(fields.get('platform')?.value)
    const definition = platform.success ? definitionOf(platform.data) : undefined
    const parameterKeys = definition ? Object.keys(definition.parameters.shape) : []
    for (const [key, value] of Object.entries(overrides)) {
      if (OVERRIDE_FIELDS.includes(key)) continue
      if (parameterKeys.includes(key)) {
        parameters[key] = value
        parameterOrigins.set(key, [...overridePath, key])
        continue
      }
      problems.push({
        input: `environments.${environment}.${key}`,
        position: source.locate([...overridePath, key], true),
        problem: `is neither a field of a deployment (${OVERRIDE_FIELDS.join(', ')}) nor a parameter of ${definition?.platform ?? 'its platform'}${parameterKeys.length ? ` (${parameterKeys.join(', ')})` : ''}`
      })
    }
  }
  return {
    name: entry.name,
    index,
    fields,
    parameters,
    parameterOrigins,
    needs,
    needsOrigin,
    problems,
    locate: source.locate
  }
}

/** The resolved fields through the same parsing and platform checks as the step's inputs. */
function toDeployment(
  resolved: ResolvedEntry,
  options: ConfigPlanOptions,
  allProblems: InputProblem[]
): Deployment | undefined {
  const problems = resolved.problems
  const raw: Partial<Record<DeploymentInputName, string>> = {}
  const unresolved = new Set<string>()
  const references = new Map<string, string[]>()
  const defaulted = new Set<string>()
  for (const [name, field] of resolved.fields) {
    const substituted = substituteEnv(asText(field.value), options.env)
    for (const problem of substituted.problems) problems.push({ input: name, problem })
    if (substituted.problems.length) unresolved.add(name)
    if (substituted.references.length) references.set(name, substituted.references)
    if (!field.origin && options.defaulted?.has(name)) defaulted.add(name)
    raw[name as DeploymentInputName] = substituted.value
  }
  const envProblems = problems.length
  for (const [key, value] of Object.entries(resolved.parameters)) {
    if (typeof value !== 'string') continue
    const substituted = substituteEnv(value, options.env)
    for (const problem of substituted.problems) problems.push({ input: 'parameters', key, problem })
    resolved.parameters[key] = substituted.value
  }
  const parsed = parseFields(raw, FIELD_INPUTS)
  problems.push(...parsed.problems)
  const caCertificate = readCaCertificate(parsed.values['ca-certificate'], options.workspace, problems)
  const deployment = buildDeployment(
    { ...parsed.values, 'ca-certificate': caCertificate },
    resolved.parameters,
    { name: resolved.name, needs: resolved.needs, dryRun: options.dryRun, fromConfig: true, defaulted },
    problems
  )
  for (const problem of problems) {
    const names = references.get(problem.input)
    if (names && /line break/.test(problem.problem))
      problem.problem += ` — from \${{ env.${names.join(' }}, ${{ env.')} }}, a variable that holds more than one line`
  }
  // A field whose variable is missing is reported once, not again as empty or required.
  const kept = problems.filter((problem, index) => index < envProblems || !unresolved.has(problem.input))
  allProblems.push(...kept.map(problem => locateProblem(problem, resolved)))
  return deployment
}

function asText(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join('\n')
  return String(value)
}

/** Names the entry and points at the line that wrote the field (the entry itself when the field is missing). */
function locateProblem(problem: InputProblem, resolved: ResolvedEntry): InputProblem {
  const entry = `deployments[${resolved.index}] '${resolved.name}'`
  if (problem.location || problem.position) return { ...problem, entry }
  const parameterOrigin =
    problem.input === 'parameters' && problem.key !== undefined
      ? resolved.parameterOrigins.get(problem.key)
      : undefined
  const field = resolved.fields.get(problem.input)
  if (!parameterOrigin && field && !field.origin)
    return { ...problem, entry: `${entry} (from the step's inputs)` }
  const origin = parameterOrigin ?? field?.origin ?? ['deployments', resolved.index]
  // An unknown parameter is pointed at by its key, a bad one by its value.
  const atKey = parameterOrigin !== undefined && problem.value === undefined
  return { ...problem, entry, position: resolved.locate(origin, atKey) }
}
