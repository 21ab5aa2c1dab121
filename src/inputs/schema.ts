import * as z from '../zod.js'
import { addIssue } from './issue.js'
import { parseDuration } from './duration.js'
import { formatDuration } from '../text/duration.js'

export const PLATFORMS = ['epmware', 'mule-mmc', 'bmc-rpm', 'mobilefirst', 'flexdeploy'] as const
export const PlatformSchema = z.enum(PLATFORMS)
export type Platform = z.infer<typeof PlatformSchema>

/** Defaults as action.yml declares them; also applied when an input is absent (tests, local runs). */
export const INPUT_DEFAULTS = {
  timeout: '60m',
  'poll-interval': '2s',
  'max-poll-interval': '30s',
  wait: 'true',
  'cancel-on-timeout': 'true',
  'cancel-on-abort': 'true',
  'fail-on-noop': 'false',
  'if-busy': 'fail',
  'fail-on-error': 'true',
  'log-lines': '50',
  summary: 'true',
  'insecure-skip-tls-verify': 'false',
  'dry-run': 'false',
  'max-parallel': '4',
  'github-deployment': 'false'
} as const

// a Map, not an object literal: `constructor` or `toString` must not read as a value (they did)
const BOOLEAN_WORDS = new Map([
  ['true', true],
  ['false', false]
])

const booleanInput = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    const value = BOOLEAN_WORDS.get(text.trim().toLowerCase())
    if (value === undefined) {
      addIssue(ctx, 'use true or false')
      return z.NEVER
    }
    return value
  })
)

const DURATION_EXAMPLES = 'use a duration such as 90s, 30m, 2h, 1h30m, or a bare number of minutes'

/** The longest `timeout`: 6 days, beyond GitHub's longest job (5 days on a self-hosted runner). */
export const MAX_TIMEOUT_MS = 6 * 24 * 3_600_000

const durationInput = (maxMs = Infinity, why = '') =>
  z.pipe(
    z.string(),
    z.transform((text, ctx) => {
      const ms = parseDuration(text)
      if (ms === undefined || ms <= 0 || (!Number.isFinite(ms) && !Number.isFinite(maxMs))) {
        addIssue(ctx, DURATION_EXAMPLES)
        return z.NEVER
      }
      if (ms > maxMs) {
        addIssue(ctx, `must be at most ${formatDuration(maxMs)}${why}`)
        return z.NEVER
      }
      return ms
    })
  )

const integerInput = (min: number, max: number) =>
  z.pipe(
    z.string(),
    z.transform((text, ctx) => {
      const value = Number(text.trim())
      if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
        addIssue(ctx, `use a whole number from ${min} to ${max}`)
        return z.NEVER
      }
      return value
    })
  )

const urlInput = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    if (/[\r\n]/.test(text.trim())) {
      addIssue(ctx, 'must be one line but holds a line break (CR or LF)')
      return z.NEVER
    }
    let url: URL
    try {
      url = new URL(text.trim())
    } catch {
      addIssue(ctx, 'use an absolute http:// or https:// URL, e.g. https://host/context')
      return z.NEVER
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      addIssue(ctx, 'use an http:// or https:// URL')
      return z.NEVER
    }
    if (url.username || url.password) {
      addIssue(ctx, 'put credentials in username/password or token, not in the URL')
      return z.NEVER
    }
    if (url.search || url.hash) {
      addIssue(ctx, 'use the server root without a query string or fragment')
      return z.NEVER
    }
    return url.href.replace(/\/+$/, '')
  })
)

const listInput = z.pipe(
  z.string(),
  z.transform(text =>
    text
      .split(/[\n,]/)
      .map(item => item.trim())
      .filter(Boolean)
  )
)

const text = z.pipe(
  z.string(),
  z.transform(value => value.trim())
)

/** The action's inputs, each parsed from its string form into its typed value. */
export const ActionInputsSchema = z.object({
  platform: z.optional(
    z.pipe(
      z.string(),
      z.transform((value, ctx) => {
        const parsed = PlatformSchema.safeParse(value.trim().toLowerCase())
        if (parsed.success) return parsed.data
        addIssue(ctx, `use one of ${PLATFORMS.join(', ')}`)
        return z.NEVER
      })
    )
  ),
  'base-url': z.optional(urlInput),
  operation: z.optional(text),
  target: z.optional(text),
  parameters: z.optional(z.string()),
  token: z.optional(z.string()),
  username: z.optional(z.string()),
  password: z.optional(z.string()),
  artifacts: z.optional(listInput),
  timeout: durationInput(
    MAX_TIMEOUT_MS,
    ' (6 days, longer than GitHub lets any job run); use e.g. 30m, 2h or 144h'
  ),
  'poll-interval': durationInput(),
  'max-poll-interval': durationInput(),
  wait: booleanInput,
  'task-id': z.optional(text),
  'cancel-on-timeout': booleanInput,
  'cancel-on-abort': booleanInput,
  'fail-on-noop': booleanInput,
  'if-busy': z.pipe(
    z.string(),
    z.transform((value, ctx) => {
      const word = value.trim().toLowerCase()
      if (word === 'fail' || word === 'await') return word
      addIssue(ctx, 'use fail or await')
      return z.NEVER
    })
  ),
  'fail-on-error': booleanInput,
  'log-lines': integerInput(0, 1000),
  summary: booleanInput,
  'ca-certificate': z.optional(z.string()),
  'insecure-skip-tls-verify': booleanInput,
  'dry-run': booleanInput,
  config: z.optional(text),
  environment: z.optional(text),
  'max-parallel': integerInput(1, 64),
  deployments: z.optional(listInput),
  'github-token': z.optional(z.string()),
  'github-deployment': booleanInput
})
export type ActionInputs = z.infer<typeof ActionInputsSchema>
export type InputName = keyof ActionInputs
export const INPUT_NAMES = Object.keys(ActionInputsSchema.shape) as InputName[]

/** The inputs that describe one deployment: the fields a config file entry may hold. */
export const DEPLOYMENT_INPUTS = [
  'platform',
  'base-url',
  'operation',
  'target',
  'parameters',
  'token',
  'username',
  'password',
  'artifacts',
  'timeout',
  'poll-interval',
  'max-poll-interval',
  'wait',
  'task-id',
  'cancel-on-timeout',
  'cancel-on-abort',
  'fail-on-noop',
  'if-busy',
  'ca-certificate',
  'insecure-skip-tls-verify'
] as const satisfies readonly InputName[]
export type DeploymentInputName = (typeof DEPLOYMENT_INPUTS)[number]
export type DeploymentInputs = Pick<ActionInputs, DeploymentInputName>

/** Never written in a config file: read from the environment with `${{ env.NAME }}` (username may be literal). */
export const CREDENTIAL_INPUTS = ['token', 'username', 'password'] as const

/** One deployment, fully resolved: what a driver runs. */
export const DeploymentSchema = z.object({
  name: z.string(),
  platform: PlatformSchema,
  baseUrl: z.string(),
  operation: z.string(),
  target: z.optional(z.string()),
  parameters: z.record(z.string(), z.unknown()),
  credentials: z.object({
    token: z.optional(z.string()),
    username: z.optional(z.string()),
    password: z.optional(z.string())
  }),
  artifacts: z.array(z.string()),
  taskId: z.optional(z.string()),
  timeoutMs: z.int().check(z.positive()),
  pollIntervalMs: z.int().check(z.positive()),
  maxPollIntervalMs: z.int().check(z.positive()),
  wait: z.boolean(),
  cancelOnTimeout: z.boolean(),
  cancelOnAbort: z.boolean(),
  failOnNoop: z.boolean(),
  /** When the platform says the same job already runs: fail naming it, or follow it to its end. */
  ifBusy: z.enum(['fail', 'await']),
  dryRun: z.boolean(),
  tls: z.object({ caCertificate: z.optional(z.string()), insecureSkipTlsVerify: z.boolean() }),
  needs: z.array(z.string())
})
export type Deployment = z.infer<typeof DeploymentSchema>

/** What applies to the whole step rather than to one deployment. */
export const SettingsSchema = z.object({
  failOnError: z.boolean(),
  logLines: z.int().check(z.nonnegative()),
  summary: z.boolean(),
  maxParallel: z.int().check(z.positive()),
  environment: z.optional(z.string()),
  githubToken: z.optional(z.string()),
  githubDeployment: z.boolean(),
  /** The config file as the input gave it, when there is one. */
  config: z.optional(z.string()),
  workspace: z.string(),
  tempDir: z.string()
})
export type Settings = z.infer<typeof SettingsSchema>

/** One deployment of the environment as the `plan` output shows it: a row of a wave's matrix. */
export const FleetEntrySchema = z.object({
  name: z.string(),
  platform: PlatformSchema,
  target: z.optional(z.string()),
  needs: z.array(z.string())
})
export type FleetEntry = z.infer<typeof FleetEntrySchema>

export const PlanSchema = z.object({
  deployments: z.array(DeploymentSchema).check(z.minLength(1)),
  settings: SettingsSchema,
  /**
   * With `config`: every deployment of the environment, those the `deployments` input leaves out
   * included, in the file's order (the `plan` output).
   */
  fleet: z.optional(z.array(FleetEntrySchema))
})
export type Plan = z.infer<typeof PlanSchema>
