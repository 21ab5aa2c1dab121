import * as core from '@actions/core'
import { systemClock, type Clock } from './engine/clock.js'
import { executeDeployment, type EngineEnvironment } from './engine/execute.js'
import type { DeploymentResult } from './engine/result.js'
import { toActionError } from './errors.js'
import { getPlan } from './inputs/plan.js'
import { INPUT_DEFAULTS, type Plan } from './inputs/schema.js'
import { publishTaskId, report } from './report/index.js'
import { overallStatus } from './report/summary.js'
import { Redactor } from './secrets.js'

export interface RunDependencies {
  clock: Clock
  /** Where SIGINT/SIGTERM come from; the real process unless a test gives another emitter. */
  signals: Pick<NodeJS.Process, 'on' | 'off'>
  http?: EngineEnvironment['http']
}

const FAILING: ReadonlySet<string> = new Set(['failed', 'timed-out', 'canceled'])

/** The whole step: read the plan, execute it, report. The only place that fails the step. */
export async function run(
  dependencies: RunDependencies = { clock: systemClock, signals: process }
): Promise<void> {
  const redactor = registerSecrets()
  const failOnError =
    (core.getInput('fail-on-error') || INPUT_DEFAULTS['fail-on-error']).trim().toLowerCase() !== 'false'
  let plan: Plan
  try {
    plan = getPlan(name => core.getInput(name) || undefined)
  } catch (error) {
    await reportInputFailure(toActionError(error).userMessage, redactor, failOnError)
    return
  }

  if (plan.deployments.some(deployment => deployment.tls.insecureSkipTlsVerify)) {
    core.warning(
      'insecure-skip-tls-verify is true: TLS certificates are not verified, so a man in the middle can read the credentials this step sends. Prefer ca-certificate.'
    )
  }

  const abort = new AbortController()
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) return
    core.warning(`Received ${signal}: the workflow run is being cancelled`)
    abort.abort(Object.assign(new Error(`cancelled by ${signal}`), { name: 'AbortError' }))
  }
  dependencies.signals.on('SIGINT', onSignal)
  dependencies.signals.on('SIGTERM', onSignal)

  let results: DeploymentResult[]
  try {
    results = await executePlan(plan, redactor, abort.signal, dependencies)
  } finally {
    dependencies.signals.off('SIGINT', onSignal)
    dependencies.signals.off('SIGTERM', onSignal)
  }
  await report(results, { redactor, summary: plan.settings.summary, logLines: plan.settings.logLines })

  const overall = overallStatus(results)
  const main = results[0]
  if (FAILING.has(overall) && plan.settings.failOnError && main) {
    core.setFailed(redactor.scrub(main.hint ? `${main.message}\nHint: ${main.hint}` : main.message))
  }
}

async function executePlan(
  plan: Plan,
  redactor: Redactor,
  signal: AbortSignal,
  dependencies: RunDependencies
): Promise<DeploymentResult[]> {
  const environment: EngineEnvironment = {
    clock: dependencies.clock,
    signal,
    redactor,
    settings: plan.settings,
    http: dependencies.http,
    log: {
      info: message => core.info(redactor.scrub(message)),
      warning: message => core.warning(redactor.scrub(message))
    },
    onAccepted: (deployment, task) => {
      publishTaskId(task.id, redactor)
      core.info(redactor.scrub(`Task id: ${task.id}${task.url ? ` — ${task.url}` : ''}`))
    }
  }
  const results: DeploymentResult[] = []
  for (const deployment of plan.deployments) {
    const title =
      `${deployment.platform}: ${deployment.operation} ${deployment.target ?? deployment.taskId ?? ''}`.trim()
    results.push(await core.group(redactor.scrub(title), () => executeDeployment(deployment, environment)))
  }
  return results
}

/** Every credential input is masked before anything can print it. */
function registerSecrets(): Redactor {
  const redactor = new Redactor()
  redactor.add(core.getInput('token'))
  redactor.addBasic(core.getInput('username'), core.getInput('password'))
  redactor.add(core.getInput('github-token'))
  return redactor
}

/** Bad inputs still produce `status`, `message` and a summary, and nothing was sent anywhere. */
async function reportInputFailure(message: string, redactor: Redactor, failOnError: boolean): Promise<void> {
  const scrubbed = redactor.scrub(message)
  core.setOutput('status', 'failed')
  core.setOutput('message', scrubbed)
  core.setOutput('task-id', '')
  core.setOutput('duration', '0')
  core.setOutput(
    'results',
    JSON.stringify([
      {
        name: '',
        platform: core.getInput('platform'),
        status: 'failed',
        'task-id': '',
        message: scrubbed,
        duration: 0
      }
    ])
  )
  if ((core.getInput('summary') || 'true').trim().toLowerCase() !== 'false') {
    const escaped = scrubbed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    await core.summary
      .addRaw(`## ❌ failed: the inputs are not valid\n\n<pre>\n${escaped}\n</pre>\n`, true)
      .write()
      .catch(() => undefined)
  }
  if (failOnError) core.setFailed(scrubbed)
  else core.error(scrubbed)
}
