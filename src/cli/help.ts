import { INPUT_DEFAULTS, INPUT_NAMES } from '../inputs/schema.js'
import { envName, SECRET_INPUTS } from './args.js'

/** The package's version; a unit test keeps it equal to package.json's. */
export const VERSION = '0.1.0'

export function helpText(): string {
  const defaults: Record<string, string> = INPUT_DEFAULTS
  const secrets: readonly string[] = SECRET_INPUTS
  const inputs = INPUT_NAMES.filter(name => !secrets.includes(name)).map(name => {
    const flag = `--${name} <value>`.padEnd(36)
    const fallback = defaults[name] !== undefined ? `  (default ${defaults[name]})` : ''
    return `  ${flag}${envName(name)}${fallback}`
  })
  const secretLines = SECRET_INPUTS.map(
    name => `  ${`--${name}-file <path>`.padEnd(36)}${envName(name)} or ${envName(name)}_FILE`
  )
  return `enterprise-deploy ${VERSION}: trigger a deployment on EPMware, Mule MMC, BMC RPM, IBM MobileFirst or
FlexDeploy, follow it to the end, and report the outcome — the engine of the Enterprise Deploy action.

usage: enterprise-deploy --platform <name> --base-url <url> [--target <name>] [options]

Inputs (the action's inputs; a flag wins over its environment variable):
${inputs.join('\n')}

Secrets (never as a flag: the command line is readable by every user of the machine):
${secretLines.join('\n')}

Outputs:
  --output json|dotenv                the outputs on stdout (the log is always on stderr)
  --output-file <path>                the outputs as a file: JSON when the name ends in .json, else dotenv
  --output-format json|dotenv         the format of --output-file, whatever its name
  --summary-file <path>               the job summary, as markdown
  --junit <path>                      a JUnit XML report, one test case per deployment
  --verbose                           debug lines too
  -h, --help / -V, --version

Exit codes: 0 succeeded, skipped or started; 1 failed; 2 bad input; 3 timed-out; 4 canceled
(with fail-on-error false: 0 unless the command line itself is wrong).
Inside GitHub Actions (GITHUB_ACTIONS=true) it behaves as the action: workflow commands, GITHUB_OUTPUT, summary.
Details: docs/cli.md
`
}
