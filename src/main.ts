import { systemClock, type Clock } from './engine/clock.js'
import { runBatch } from './engine/batch.js'
import { executeDeployment, type EngineEnvironment, type EngineLog } from './engine/execute.js'
import {
  decidingResult,
  flatten,
  notRunResult,
  overallStatus,
  type DeploymentResult
} from './engine/result.js'
import type { TaskRef } from './drivers/driver.js'
import { errorFields, toActionError } from './errors.js'
import { githubRunContext } from './github/context.js'
import { actionsHost } from './host/actions.js'
import type { Host } from './host/host.js'
import { finishBudgetMs, GitHubDeployment } from './github/deployment.js'
import { getPlan } from './inputs/plan.js'
import { loadForInputs } from './inputs/lazy-modules.js'
import { INPUT_DEFAULTS, type Deployment, type Plan } from './inputs/schema.js'
import { overviewMessage, publishTaskId, report, reportUnexpected } from './report/index.js'
import { cutToBytes, OUTPUT_LIMITS } from './report/limits.js'
import { fileSinkUnder } from './report/files.js'
import { planOutput } from './report/plan-output.js'
import { logSinkUnder } from './report/logfile.js'
import { Redactor } from './secrets.js'
import { reportInputFailure } from './report/input-failure.js'
import { runLinks } from './report/summary.js'
import { signalLatch, type SignalSource, type StopSignal } from './signals.js'
import { cleanText, forStepLog, singleLine } from './text/untrusted.js'

export interface RunDependencies {
  /** Where inputs come from and the step's words go: the GitHub runner unless the command line gives another. */
  host: Host
  clock: Clock
  /** Where SIGINT/SIGTERM/SIGHUP come from; the real process unless a test gives another source. */
  signals: SignalSource
  http?: EngineEnvironment['http']
  /** The runner's environment (GITHUB_*, variables a config file reads); process.env unless a test gives one. */
  env?: NodeJS.ProcessEnv
  windDown?: EngineEnvironment['windDown']
}

/** The title of an annotation about the whole step rather than one deployment. */
const ACTION_TITLE = 'enterprise-deploy'

const FAILING: ReadonlySet<string> = new Set(['failed', 'timed-out', 'canceled'])

/** How the step ended: its `status`, and whether it ended on bad inputs (nothing was sent then). */
export interface RunOutcome {
  status: string
  badInput: boolean
}

/**
 * The whole step: read the plan, execute it, report. The only place that fails the step; nothing it does
 * ends without `status`, every output and the summary written.
 */
export async function run(dependencies: Partial<RunDependencies> = {}): Promise<RunOutcome> {
  const host = dependencies.host ?? actionsHost()
  const clock = dependencies.clock ?? systemClock
  const signals = dependencies.signals ?? signalLatch(process)
  const env = dependencies.env ?? process.env
  const stepStartedAt = clock.now()
  const redactor = registerSecrets(host)
  const abort = new AbortController()
  let received: StopSignal | undefined
  const stopListening = signals.listen(signal => {
    if (abort.signal.aborted) return
    received = signal
    host.warning(`Received ${signal}: the workflow run is being cancelled`, { title: ACTION_TITLE })
    abort.abort(Object.assign(new Error(`cancelled by ${signal}`), { name: 'AbortError' }))
  })
  const failOnError =
    (host.input('fail-on-error') || INPUT_DEFAULTS['fail-on-error']).trim().toLowerCase() !== 'false'
  let github: Promise<GitHubDeployment | undefined> | undefined
  let outcome: RunOutcome | undefined
  let signalledAt: number | undefined
  let stepDeadline = Number.POSITIVE_INFINITY
  let planned = ''
  try {
    // yaml and the platforms' definitions load only as the inputs need them (the entry may have started it).
    await loadForInputs(name => host.input(name))
    let plan: Plan & { notes: string[] }
    try {
      plan = getPlan(name => host.input(name) || undefined, env, {
        onCredentials: credentials => {
          redactor.add(credentials.token)
          redactor.addBasic(credentials.username, credentials.password)
        },
        conceals: value => redactor.reveals(value)
      })
    } catch (error) {
      const message = await reportInputFailure(host, toActionError(error), redactor, {
        platform: host.input('platform'),
        summary: (host.input('summary') || 'true').trim().toLowerCase() !== 'false'
      })
      if (failOnError) host.fail(forStepLog(message, redactor))
      else host.error(forStepLog(message, redactor))
      return { status: 'failed', badInput: true }
    }
    planned = planOutput(plan.fleet, redactor)
    for (const note of plan.notes) host.info(forStepLog(note, redactor))
    // A signal that came while the code loaded or the inputs were read is delivered now, before anything is sent.
    await new Promise(resolve => setImmediate(resolve))

    if (plan.deployments.some(deployment => deployment.tls.insecureSkipTlsVerify)) {
      host.warning(
        'insecure-skip-tls-verify is true: TLS certificates are not verified, so a man in the middle can read the credentials this step sends. Prefer ca-certificate.',
        { title: ACTION_TITLE }
      )
    }

    // Beside the trigger, never before it: start() bounds itself and ends on the signal.
    abort.signal.addEventListener('abort', () => (signalledAt = clock.now()), { once: true })
    github = startGitHubDeployment(host, plan, env, redactor, abort.signal)
    stepDeadline = stepStartedAt + Math.max(...plan.deployments.map(deployment => deployment.timeoutMs))
    const results = await executePlan(plan, redactor, abort.signal, { ...dependencies, host, clock, signals })
    const stepSeconds = Math.round((clock.now() - stepStartedAt) / 1000)
    const overall = overallStatus(flatten(results))
    const several = results.length > 1
    const main = decidingResult(results)
    // One deployment failing the step: the failure line is its annotation, titled with its name.
    const failureLine = FAILING.has(overall) && plan.settings.failOnError && main
    await report(results, {
      host,
      redactor,
      summary: plan.settings.summary,
      logLines: plan.settings.logLines,
      stepSeconds,
      environment: plan.settings.environment,
      links: runLinks(env),
      failureLineSays: failureLine && !several ? main.name : undefined,
      tempDir: plan.settings.tempDir,
      plan: planned
    })

    outcome = { status: overall, badInput: false }
    const message = several ? overviewMessage(results) : (main?.message ?? '')
    const deployment = await github
    if (deployment) {
      await deployment.finish(
        overall,
        cleanText(message, redactor),
        flatten(results).find(result => result.url)?.url,
        {
          timeoutMs: finishBudgetMs({ now: clock.now(), stepDeadline, signalledAt })
        }
      )
    }
    if (failureLine) {
      const shown = cutToBytes(message, OUTPUT_LIMITS.message, () => ' … [cut; see the message output]')
      host.fail(
        forStepLog(main.hint ? `${shown}\nHint: ${main.hint}` : shown, redactor),
        several ? undefined : { title: singleLine(main.name) }
      )
    }
  } catch (error) {
    // The safety net: whatever went wrong, the step still says failed, writes every output and its summary.
    const { message } = errorFields(error)
    const line = redactor.scrub(
      `The action stopped on an unexpected error: ${message.split('\n')[0]?.slice(0, 500) ?? ''}`
    )
    // The bundle is minified, so its stack says nothing; the whole message and the causes do.
    host.debug(forStepLog(`unexpected error: ${describeCauses(error)}`, redactor))
    await reportUnexpected(host, line, redactor, { summary: true, signal: received, plan: planned })
    const deployment = await github?.catch(() => undefined)
    await deployment
      ?.finish(received ? 'canceled' : 'failed', line, undefined, {
        timeoutMs: finishBudgetMs({ now: clock.now(), stepDeadline, signalledAt })
      })
      .catch(() => undefined)
    if (failOnError) host.fail(forStepLog(line, redactor))
    else host.error(forStepLog(line, redactor))
    outcome = { status: received ? 'canceled' : 'failed', badInput: false }
  } finally {
    stopListening()
  }
  return outcome ?? { status: 'failed', badInput: false }
}

async function startGitHubDeployment(
  host: Host,
  plan: Plan,
  env: NodeJS.ProcessEnv,
  redactor: Redactor,
  signal: AbortSignal
): Promise<GitHubDeployment | undefined> {
  const { githubDeployment, environment, githubToken } = plan.settings
  if (!githubDeployment || !environment || !githubToken) return undefined
  if (plan.deployments.some(deployment => deployment.dryRun)) {
    host.info('dry-run: no GitHub deployment is created')
    return undefined
  }
  const { context, missing } = githubRunContext(env)
  if (!context) {
    host.warning(`No GitHub deployment for ${environment}: ${missing}`, { title: ACTION_TITLE })
    return undefined
  }
  return GitHubDeployment.start(
    githubToken,
    environment,
    context,
    {
      info: message => host.info(forStepLog(message, redactor)),
      warning: message => host.warning(forStepLog(message, redactor), { title: ACTION_TITLE })
    },
    { signal }
  )
}

async function executePlan(
  plan: Plan,
  redactor: Redactor,
  signal: AbortSignal,
  dependencies: RunDependencies
): Promise<DeploymentResult[]> {
  const { host } = dependencies
  const several = plan.deployments.length > 1
  const acceptedIds = new Map<string, string>()
  const accept = (deployment: Deployment, task: TaskRef, log: EngineLog) => {
    acceptedIds.set(deployment.name, task.id)
    const joined = plan.deployments.flatMap(({ name }) => acceptedIds.get(name) ?? [])
    publishTaskId(host, several ? joined.join(',') : task.id, redactor)
    log.info(`Task id: ${singleLine(task.id)}${task.url ? ` — ${singleLine(task.url)}` : ''}`)
  }
  // Every warning is annotated with the deployment it is about (or the action's name, before one is known).
  const logFor = (title: string): EngineLog => ({
    info: message => host.info(forStepLog(message, redactor)),
    warning: message => host.warning(forStepLog(message, redactor), { title: singleLine(title) })
  })
  const log = logFor(several ? ACTION_TITLE : (plan.deployments[0]?.name ?? ACTION_TITLE))
  const environment: EngineEnvironment = {
    clock: dependencies.clock,
    signal,
    redactor,
    settings: plan.settings,
    http: dependencies.http,
    windDown: dependencies.windDown,
    log,
    onAccepted: (deployment, task) => accept(deployment, task, log),
    saveLog: logSinkUnder(plan.settings.tempDir, redactor, plan.settings.logLines),
    saveFile: fileSinkUnder(plan.settings.tempDir)
  }
  if (!several) {
    const [deployment] = plan.deployments as [Deployment]
    return [
      await host.group(forStepLog(singleLine(titleOf(deployment)), redactor), () =>
        executeDeployment(deployment, environment)
      )
    ]
  }
  host.info(forStepLog(describePlan(plan), redactor))
  return runBatch(plan.deployments, {
    maxParallel: plan.settings.maxParallel,
    ignoreNeeds: plan.deployments.every(deployment => deployment.dryRun),
    signal,
    execute: async deployment => {
      // Parallel runs interleave their lines; the name says whose each one is.
      const prefix = `[${deployment.name}] `
      const titled = logFor(deployment.name)
      const own: EngineLog = {
        info: message => titled.info(`${prefix}${message}`),
        warning: message => titled.warning(`${prefix}${message}`)
      }
      own.info(titleOf(deployment))
      const result = await executeDeployment(deployment, {
        ...environment,
        log: own,
        onAccepted: (accepted, task) => accept(accepted, task, own)
      })
      own.info(`ended ${result.status}: ${singleLine(result.message)}`)
      return result
    },
    notRun: (deployment, status, message) => {
      host.info(forStepLog(`[${deployment.name}] ${message}`, redactor))
      return notRunResult(deployment, status, message)
    }
  })
}

function titleOf(deployment: Deployment): string {
  return `${deployment.dryRun ? 'dry run of ' : ''}${deployment.platform}: ${deployment.operation} ${deployment.target ?? deployment.taskId ?? ''}`.trim()
}

function describePlan(plan: Plan): string {
  const where = plan.settings.environment ? ` to ${plan.settings.environment}` : ''
  const items = plan.deployments.map(({ name, needs }) =>
    needs.length ? `${name} (after ${needs.join(', ')})` : name
  )
  const dryRun = plan.deployments.every(deployment => deployment.dryRun)
    ? ' (dry run: each one is checked, none waits for its needs, since nothing is triggered)'
    : ''
  return `${plan.deployments.length} deployments${where}, at most ${plan.settings.maxParallel} at once${dryRun}: ${items.join(', ')}`
}

function describeCauses(error: unknown, depth = 0): string {
  const { name, message } = errorFields(error)
  const cause = (error as { cause?: unknown } | undefined)?.cause
  const own = `${name ? `${name}: ` : ''}${message}`
  return cause !== undefined && depth < 5 ? `${own}; caused by ${describeCauses(cause, depth + 1)}` : own
}

/** Every credential input is masked before anything can print it. */
function registerSecrets(host: Host): Redactor {
  const redactor = new Redactor(host)
  redactor.add(host.input('token'))
  redactor.addBasic(host.input('username'), host.input('password'))
  redactor.add(host.input('github-token'))
  return redactor
}
