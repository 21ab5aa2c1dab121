import * as z from '../zod.js'
import { PLATFORMS } from './schema.js'

/** `${{ env.NAME }}`: how a config file reads an environment variable (the only way to give a credential). */
export const ENV_REFERENCE = /\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/
const WHOLE_ENV_REFERENCE = new RegExp(`^\\s*${ENV_REFERENCE.source}\\s*$`)
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/

/** A description for editors (config.schema.json): zod/mini's form of classic zod's `.describe()`. */
const described = <T extends z.ZodMiniType>(schema: T, what: string): T => schema.check(z.describe(what))

const duration = (what: string) =>
  described(
    z.union([z.string(), z.number()], {
      error: 'use a duration such as 90s, 30m, 2h, 1h30m, or a number of minutes'
    }),
    what
  )
const flag = (what: string) => described(z.boolean({ error: 'use true or false' }), what)
const secret = (what: string) =>
  described(
    z.string({ error: 'use ${{ env.NAME }}' }).check(
      z.regex(WHOLE_ENV_REFERENCE, {
        error:
          'credentials are never written in the file: use ${{ env.NAME }} and set NAME in the step’s env (e.g. from a secret)'
      })
    ),
    what
  )

/** Fields of one deployment that `defaults` may also hold (everything but its identity and credentials). */
const sharedFields = {
  platform: described(
    z.enum(PLATFORMS, { error: `use one of ${PLATFORMS.join(', ')}` }),
    'The release tool.'
  ),
  'base-url': described(z.string(), "The server's root, context path included."),
  operation: described(z.string(), 'What to do; the list and default depend on the platform.'),
  target: described(
    z.union([z.string(), z.number()]),
    'What to act on (deployment name, project path or id, event id, runtime).'
  ),
  parameters: described(
    z.record(z.string(), z.unknown()),
    'Platform-specific fields; unknown keys are an error.'
  ),
  artifacts: described(
    z.union([z.string(), z.array(z.string())]),
    'Paths or globs relative to the workspace (MobileFirst deployables).'
  ),
  timeout: duration('Deadline of this deployment: 90s, 30m, 2h, 1h30m or a number of minutes.'),
  'poll-interval': duration('Shortest time between the starts of two status reads.'),
  'max-poll-interval': duration('Longest time between the starts of two status reads.'),
  wait: flag('false: trigger, publish the task id, and do not wait.'),
  'task-id': described(z.union([z.string(), z.number()]), 'With operation: await, the job started earlier.'),
  'cancel-on-timeout': flag('On timeout, ask the platform to cancel the remote job where it can.'),
  'cancel-on-abort': flag(
    'When the run is cancelled, ask the platform to cancel the remote job where it can.'
  ),
  'fail-on-noop': flag('A trigger the platform accepted but did nothing for is a failure.'),
  'if-busy': described(
    z.enum(['fail', 'await']),
    'When the same job already runs on the platform: fail naming it, or await it.'
  ),
  'ca-certificate': described(z.string(), 'PEM text, or a path relative to the workspace, of a CA to trust.'),
  'insecure-skip-tls-verify': flag('Skip TLS verification (prints a warning).')
}

const credentialFields = {
  token: secret('API token, as ${{ env.NAME }}.'),
  username: described(z.string(), 'HTTP Basic user: literal or ${{ env.NAME }}.'),
  password: secret('HTTP Basic password, as ${{ env.NAME }}.')
}

const needs = described(z.array(z.string()), 'Names of deployments that must succeed before this one starts.')

/** An environment's overrides: any field of the entry, or a parameter of its platform written directly. */
export const EnvironmentOverrideSchema = described(
  z.catchall(z.partial(z.object({ ...sharedFields, ...credentialFields, needs })), z.unknown()),
  'Overrides for this environment: any field of the entry; parameters merge over the entry’s; a key that is a parameter of the platform (environmentId) overrides that parameter.'
)

export const ConfigEntrySchema = described(
  z.strictObject({
    name: described(
      z.string({ error: 'is required: a unique name, used by needs and in the results' }).check(
        z.regex(NAME_PATTERN, {
          error: 'use letters, digits, _, . and - (starting with a letter, digit or _)'
        })
      ),
      'Unique name of the deployment, used by needs and in the results.'
    ),
    ...z.partial(z.object(sharedFields)).shape,
    ...z.partial(z.object(credentialFields)).shape,
    needs: z.optional(needs),
    environments: described(
      z.optional(
        z.union([z.array(z.string()), z.record(z.string(), z.nullable(EnvironmentOverrideSchema))], {
          error: 'use a list of environment names, or a mapping of environment name to overrides'
        })
      ),
      'Where this entry runs, each with optional overrides; without it, the entry runs in every environment.'
    )
  }),
  'One deployment.'
)

export const ConfigDefaultsSchema = described(
  z.strictObject(z.partial(z.object(sharedFields)).shape),
  'Fields applied to every deployment below, under its own (never credentials).'
)

export const ConfigFileSchema = described(
  z.strictObject({
    $schema: described(z.optional(z.string()), 'Where editors find this schema.'),
    defaults: z.optional(ConfigDefaultsSchema),
    deployments: described(
      z
        .array(ConfigEntrySchema, { error: 'is required: a list of deployments' })
        .check(z.minLength(1, { error: 'needs at least one deployment' })),
      'The deployments, in the order they are listed in the results.'
    )
  }),
  'Enterprise Deploy: several deployments in one step (docs/config.md).'
)

export type ConfigFile = z.infer<typeof ConfigFileSchema>
export type ConfigEntry = z.infer<typeof ConfigEntrySchema>
export type EnvironmentOverride = z.infer<typeof EnvironmentOverrideSchema>

/** Field names, for "valid fields" lists in messages. */
export const ENTRY_FIELDS = Object.keys(ConfigEntrySchema.shape)
export const DEFAULTS_FIELDS = Object.keys(ConfigDefaultsSchema.shape)
export const OVERRIDE_FIELDS = Object.keys(EnvironmentOverrideSchema.shape)
