import { readFileSync } from 'node:fs'
import { INPUT_NAMES, type InputName } from '../inputs/schema.js'

/**
 * The command line's words: every action input as `--<input> value` (or `--<input>=value`) or as the
 * environment variable `ENTERPRISE_DEPLOY_<INPUT>` (upper case, hyphens as underscores); a flag wins over
 * the variable. Secrets never come from the command line, which every user of the machine can read (`ps`,
 * /proc/<pid>/cmdline) and which shells and CI logs keep: only from their variable or a file.
 */

/** Inputs that hold a secret: refused as flags, read from `ENTERPRISE_DEPLOY_<INPUT>` or `--<input>-file`. */
export const SECRET_INPUTS = ['token', 'password', 'github-token'] as const satisfies readonly InputName[]
type SecretInput = (typeof SECRET_INPUTS)[number]

export const OUTPUT_FORMATS = ['json', 'dotenv'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export interface CliOptions {
  /** Print the outputs on stdout in this format (the log then goes to stderr alone). */
  output?: OutputFormat
  outputFile?: string
  /** The format of `outputFile`: given, or from its extension (`.json` → json, anything else → dotenv). */
  outputFileFormat?: OutputFormat
  summaryFile?: string
  junit?: string
  verbose: boolean
}

export interface ParsedCommandLine {
  inputs: Map<InputName, string>
  options: CliOptions
  help: boolean
  version: boolean
  /** Every problem with the command line, each a sentence; never holds a value that could be a secret. */
  problems: string[]
  /** ENTERPRISE_DEPLOY_* variables that are no input (a typo, most likely): named, never shown. */
  unknownVariables: string[]
}

/** `base-url` → `ENTERPRISE_DEPLOY_BASE_URL`. */
export function envName(input: string): string {
  return `ENTERPRISE_DEPLOY_${input.toUpperCase().replace(/-/g, '_')}`
}

const VALUE_OPTIONS = {
  output: 'output',
  'output-file': 'outputFile',
  'output-format': 'outputFileFormat',
  'summary-file': 'summaryFile',
  junit: 'junit'
} as const satisfies Record<string, keyof CliOptions>

const BOOLEAN_INPUTS: ReadonlySet<string> = new Set([
  'wait',
  'cancel-on-timeout',
  'cancel-on-abort',
  'fail-on-noop',
  'fail-on-error',
  'summary',
  'insecure-skip-tls-verify',
  'dry-run',
  'github-deployment'
])

const PLAIN_INPUTS: ReadonlySet<string> = new Set(
  INPUT_NAMES.filter(name => !(SECRET_INPUTS as readonly string[]).includes(name))
)
const SECRET_FILE_FLAGS: ReadonlyMap<string, SecretInput> = new Map(
  SECRET_INPUTS.map(name => [`${name}-file`, name])
)

function isSecret(name: string): name is SecretInput {
  return (SECRET_INPUTS as readonly string[]).includes(name)
}

/** Reads a secret file: its text without the trailing line break editors and `echo` add. */
function readSecretFile(file: string): string {
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '')
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  const problems: string[] = []
  const flags = new Map<string, string>()
  const secretFiles = new Map<SecretInput, string>()
  const options: CliOptions = { verbose: false }
  let help = false
  let version = false
  const given = new Set<string>()

  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] ?? ''
    if (word === '-h' || word === '--help') {
      help = true
      continue
    }
    if (word === '-V' || word === '--version') {
      version = true
      continue
    }
    if (word === '--verbose') {
      options.verbose = true
      continue
    }
    if (!word.startsWith('--') || word === '--') {
      // Not shown: a stray word may be a secret pasted after a mistyped flag.
      problems.push(
        `argument ${index + 1} has no --flag before it (its value is not shown); every input is a --<input> value pair`
      )
      continue
    }
    const equals = word.indexOf('=')
    const name = word.slice(2, equals === -1 ? undefined : equals)
    const next = argv[index + 1]
    const takesNext = equals === -1 && next !== undefined && !next.startsWith('--')
    // The value of this flag: after `=`, or the next word unless that is a flag.
    const value = equals !== -1 ? word.slice(equals + 1) : takesNext ? next : undefined
    if (takesNext) index++

    if (isSecret(name)) {
      problems.push(
        `--${name} is refused: a secret on the command line can be read by every user of this machine (ps, /proc) and is kept in shell history and CI logs. Nothing was sent. Set ${envName(name)} from your CI's secret store, or name a file holding it with --${name}-file.`
      )
      continue
    }
    if (given.has(name)) {
      problems.push(`--${name} is given more than once; give it once`)
      continue
    }
    given.add(name)
    const secretOfFile = SECRET_FILE_FLAGS.get(name)
    if (secretOfFile) {
      if (!value) problems.push(`--${name} needs the path of a file holding the ${secretOfFile}`)
      else secretFiles.set(secretOfFile, value)
      continue
    }
    if (name in VALUE_OPTIONS) {
      const key = VALUE_OPTIONS[name as keyof typeof VALUE_OPTIONS]
      if (!value) {
        problems.push(`--${name} needs a value`)
      } else if (key === 'output' || key === 'outputFileFormat') {
        const format = value.trim().toLowerCase()
        if ((OUTPUT_FORMATS as readonly string[]).includes(format)) options[key] = format as OutputFormat
        else problems.push(`--${name} is "${value}"; use ${OUTPUT_FORMATS.join(' or ')}`)
      } else {
        options[key] = value
      }
      continue
    }
    if (PLAIN_INPUTS.has(name)) {
      if (value !== undefined) flags.set(name, value)
      else if (BOOLEAN_INPUTS.has(name)) flags.set(name, 'true')
      else problems.push(`--${name} needs a value`)
      continue
    }
    problems.push(`--${name} is not an option of enterprise-deploy; see enterprise-deploy --help`)
  }

  const inputs = new Map<InputName, string>()
  for (const name of INPUT_NAMES) {
    if (isSecret(name)) {
      const secret = readSecret(name, secretFiles.get(name), env, problems)
      if (secret) inputs.set(name, secret)
      continue
    }
    const value = flags.get(name) ?? env[envName(name)]
    if (value !== undefined && value !== '') inputs.set(name, value)
  }
  if (options.outputFile && !options.outputFileFormat) {
    options.outputFileFormat = options.outputFile.toLowerCase().endsWith('.json') ? 'json' : 'dotenv'
  }
  if (options.outputFileFormat && !options.outputFile) {
    problems.push('--output-format sets the format of --output-file; give --output-file too')
  }
  const known = new Set([...INPUT_NAMES.map(envName), ...SECRET_INPUTS.map(name => `${envName(name)}_FILE`)])
  const unknownVariables = Object.keys(env).filter(
    key => key.startsWith('ENTERPRISE_DEPLOY_') && !known.has(key)
  )
  return { inputs, options, help, version, problems, unknownVariables }
}

/** A secret from `--<name>-file`, else `ENTERPRISE_DEPLOY_<NAME>`, else the file `ENTERPRISE_DEPLOY_<NAME>_FILE` names. */
function readSecret(
  name: SecretInput,
  fileFlag: string | undefined,
  env: NodeJS.ProcessEnv,
  problems: string[]
): string | undefined {
  const fromVariable = env[envName(name)]
  const file = fileFlag ?? (fromVariable ? undefined : env[`${envName(name)}_FILE`])
  if (!file) return fromVariable || undefined
  const where = fileFlag ? `--${name}-file` : `${envName(name)}_FILE`
  try {
    const secret = readSecretFile(file)
    if (!secret) problems.push(`${where} names ${file}, which is empty; it must hold the ${name}`)
    return secret || undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    problems.push(
      `${where} names ${file}, which cannot be read (${code ?? 'error'}); it must be a readable file holding the ${name}`
    )
    return undefined
  }
}
