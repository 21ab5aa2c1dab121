import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError, errorFields } from '../errors.js'
import { actionsHost } from '../host/actions.js'
import type { Host } from '../host/host.js'
import { run } from '../main.js'
import { reportInputFailure } from '../report/input-failure.js'
import { Redactor } from '../secrets.js'
import type { SignalSource } from '../signals.js'
import { neutraliseCommands } from '../text/untrusted.js'
import { parseCommandLine, type CliOptions } from './args.js'
import { junitXml, outputsDotenv, outputsJson, resultRows } from './formats.js'
import { helpText, VERSION } from './help.js'
import { FormSet } from '../secrets/form-set.js'
import { plainHost } from './plain-host.js'
import { plainLines, statusLine, type Terminal } from './progress-line.js'
import { recording, type Recorded } from './recording.js'

/** The documented exit codes (docs/cli.md, CONTRACT.md): the step's outcome for a CI that reads only that. */
export const EXIT_CODES = {
  succeeded: 0,
  skipped: 0,
  started: 0,
  failed: 1,
  'bad-input': 2,
  'timed-out': 3,
  canceled: 4
} as const

const INPUT_SPELLING =
  "Each input 'x' is the flag --x or the variable ENTERPRISE_DEPLOY_X (upper case, hyphens as underscores); the token and password come only from ENTERPRISE_DEPLOY_TOKEN / ENTERPRISE_DEPLOY_PASSWORD or --token-file / --password-file. See enterprise-deploy --help."

export interface CliDependencies {
  argv: readonly string[]
  env: NodeJS.ProcessEnv
  signals: SignalSource
  stdout: Pick<Terminal, 'write'>
  /** Where the log goes outside GitHub Actions; a status line is drawn when it is a terminal. */
  stderr: Terminal & { isTTY?: boolean }
}

/** `enterprise-deploy …`: the action's run() with the command line's inputs and host; returns the exit code. */
export async function cli(dependencies: CliDependencies): Promise<number> {
  const { env, stdout, stderr } = dependencies
  const parsed = parseCommandLine(dependencies.argv, env)
  if (parsed.help) {
    stdout.write(helpText())
    return 0
  }
  if (parsed.version) {
    stdout.write(`enterprise-deploy ${VERSION}\n`)
    return 0
  }
  const input = (name: string) => parsed.inputs.get(name as never) ?? ''
  const forms = new FormSet()
  const inGitHubActions = env.GITHUB_ACTIONS === 'true'
  const writer = inGitHubActions
    ? undefined
    : stderr.isTTY
      ? statusLine(stderr, Date.now)
      : plainLines(stderr)
  const inner: Host = writer
    ? plainHost({ input, writer, verbose: parsed.options.verbose, forms })
    : { ...actionsHost(), input }
  const { host, recorded } = recording(inner, forms)
  try {
    for (const name of parsed.unknownVariables) {
      host.warning(
        `${name} is set but is no input of enterprise-deploy (see enterprise-deploy --help); ignored`
      )
    }
    let code: number
    if (parsed.problems.length > 0) {
      const message = `The command line is not valid:\n${parsed.problems.map(problem => `- ${problem}`).join('\n')}`
      const redactor = new Redactor(host)
      const problems = new ActionError(message, { items: parsed.problems.map(text => ({ text })) })
      await reportInputFailure(host, problems, redactor, { platform: input('platform'), summary: true })
      host.fail(message)
      code = EXIT_CODES['bad-input']
    } else {
      const outcome = await run({ host, signals: dependencies.signals, env })
      // The engine names inputs as the action does; say how the command line spells them.
      if (outcome.badInput && writer) host.info(INPUT_SPELLING)
      code = !recorded.failed
        ? 0
        : outcome.badInput
          ? EXIT_CODES['bad-input']
          : (EXIT_CODES[outcome.status as keyof typeof EXIT_CODES] ?? EXIT_CODES.failed) || EXIT_CODES.failed
    }
    const written = await writeFiles(parsed.options, recorded, stdout, host)
    return written || code !== 0 ? code : EXIT_CODES.failed
  } finally {
    writer?.stop()
  }
}

/** The outputs on stdout and in the files asked for; false when one of them could not be written. */
async function writeFiles(
  options: CliOptions,
  recorded: Recorded,
  stdout: Pick<Terminal, 'write'>,
  host: Host
): Promise<boolean> {
  if (options.output === 'json') stdout.write(`${outputsJson(recorded.outputs)}\n`)
  if (options.output === 'dotenv') stdout.write(neutraliseCommands(outputsDotenv(recorded.outputs)))
  const files: Array<[string, string | undefined, () => string]> = [
    [
      '--output-file',
      options.outputFile,
      () =>
        options.outputFileFormat === 'json'
          ? `${outputsJson(recorded.outputs)}\n`
          : outputsDotenv(recorded.outputs)
    ],
    ['--summary-file', options.summaryFile, () => recorded.summary],
    ['--junit', options.junit, () => junitXml(resultRows(recorded.outputs))]
  ]
  let allWritten = true
  for (const [flag, file, content] of files) {
    if (!file) continue
    try {
      await mkdir(path.dirname(path.resolve(file)), { recursive: true })
      await writeFile(file, content())
    } catch (error) {
      allWritten = false
      host.error(`Could not write the ${flag} file ${file}: ${errorFields(error).message}`)
    }
  }
  return allWritten
}
