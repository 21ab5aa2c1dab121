import * as z from '../../zod.js'
import { addIssue } from '../../inputs/issue.js'

/**
 * `parameters` for FlexDeploy: the request fields of the vendor's Project API page (build, deploy, execute),
 * sent under the same names on v1 and mapped to the v2 names on v2 (see body.ts); plus names the action looks
 * up for the ids (`environment`, `stream`/`branch`, `release`, `instances`, the way Flexagon's Jenkins plugin
 * 3.x does) and `apiVersion`.
 */

const id = (what: string) =>
  z.pipe(
    z.union([z.number(), z.string()]),
    z.transform((value, payload) => {
      const text = String(value).trim()
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        addIssue(payload, `${what} must be a numeric FlexDeploy id, e.g. 11210`)
        return z.NEVER
      }
      return Number(text)
    })
  )

/** `true`/`false`; the vendor's own deploy example sends `"forceDeploy":"false"`, so the words count too. */
const flag = z.union(
  [
    z.boolean(),
    z.pipe(
      z.enum(['true', 'false']),
      z.transform(value => value === 'true')
    )
  ],
  { error: 'must be true or false' }
)

const text = (what: string) =>
  z.string({ error: `${what} must be a string` }).check(z.trim(), z.minLength(1, `${what} is empty`))

/** Values are Strings on the vendor page; numbers and booleans written in YAML are sent as their text. */
const scalar = z.pipe(
  z.union([z.string(), z.number(), z.boolean(), z.null()], {
    error: 'values must be strings, numbers or booleans'
  }),
  z.transform(value => (value === null ? null : String(value)))
)

const CodeValueSchema = z.strictObject({ code: text('code'), value: z.optional(scalar) })
export type CodeValue = z.infer<typeof CodeValueSchema>

/** `inputs` and `flexFields`: the documented list of `{code, value}`, or the plain mapping `CODE: value`. */
const codeValues = z.union(
  [
    z.array(CodeValueSchema),
    z.pipe(
      z.record(z.string(), scalar),
      z.transform(mapping => Object.entries(mapping).map(([code, value]) => ({ code, value })))
    )
  ],
  { error: 'must be a mapping CODE: value, or a list of {code, value}' }
)

/** `yyyy-MM-dd'T'HH:mm:ssXXX`, e.g. 2019-03-16T21:17:52-06:00 (Project API page, deploy and execute). */
const START_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/

const startTime = z.string({ error: 'startTime must be a string; quote it' }).check(
  z.refine(
    value => {
      const parts = START_TIME.exec(value.trim())
      if (!parts) return false
      const [, year, month, day, hour, minute, second] = parts.map(Number) as number[]
      const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute, second))
      return (
        date.getUTCMonth() === (month ?? 0) - 1 &&
        date.getUTCDate() === day &&
        (hour ?? 24) < 24 &&
        (minute ?? 60) < 60 &&
        (second ?? 60) < 60
      )
    },
    { message: "startTime must have the format yyyy-MM-dd'T'HH:mm:ssXXX, e.g. 2019-03-16T21:17:52-06:00" }
  )
)

const PackageInfoSchema = z
  .strictObject({
    packageName: z.optional(z.string()),
    priority: z.optional(z.number().check(z.int())),
    projectVersionId: z.optional(id('projectVersionId')),
    useLatestPackageVersion: z.optional(flag)
  })
  .check(
    z.refine(info => info.projectVersionId !== undefined || info.useLatestPackageVersion === true, {
      message: 'each packageDetails entry needs projectVersionId unless useLatestPackageVersion is true'
    })
  )

const ProjectFileSchema = z.strictObject({
  path: text('path'),
  scmRevision: z.optional(z.union([z.string(), z.number()]))
})

/** One id or a list of them. */
const ids = (what: string) =>
  z.union(
    [
      z.array(id(what)),
      z.pipe(
        id(what),
        z.transform(value => [value])
      )
    ],
    { error: `${what} must be a list of numeric ids, e.g. [100001]` }
  )

/** One string or a list. */
const strings = (what: string) =>
  z.union(
    [
      z.array(z.string()),
      z.pipe(
        z.string(),
        z.transform(value => [value])
      )
    ],
    { error: `${what} must be a string or a list of strings` }
  )

/** One code or a list of them. */
const codes = (what: string) =>
  z.union(
    [
      z.array(text(what)).check(z.minLength(1, `${what} is empty`)),
      z.pipe(
        text(what),
        z.transform(value => [value])
      )
    ],
    { error: `${what} must be a code or a list of codes, e.g. [SOA1]` }
  )

export const API_VERSIONS = ['auto', 'v1', 'v2'] as const
export type ApiVersionChoice = (typeof API_VERSIONS)[number]

export const FlexDeployParametersSchema = z.strictObject({
  /** Which REST API to speak: `auto` (default) asks v2 first and falls back to v1 when v2 is absent. */
  apiVersion: z.optional(z.enum(API_VERSIONS, { error: 'apiVersion must be auto, v1 or v2' })),
  environmentId: z.optional(id('environmentId')),
  /** The environment's code (e.g. PROD), looked up for its id. */
  environment: z.optional(text('environment')),
  /** Instance (v2: target group) codes, looked up for their ids. */
  instances: z.optional(codes('instances')),
  /** The stream (v2: branch) name, looked up for its id; `branch` is the v2 word for the same. */
  stream: z.optional(text('stream')),
  branch: z.optional(text('branch')),
  /** A release by name, looked up for its id (build). */
  release: z.optional(text('release')),
  instanceIds: z.optional(ids('instanceIds')),
  streamId: z.optional(id('streamId')),
  forceBuild: z.optional(flag),
  forceDeploy: z.optional(flag),
  projectVersionId: z.optional(id('projectVersionId')),
  exceptionToWindow: z.optional(flag),
  startTime: z.optional(startTime),
  workflowVersionOverride: z.optional(
    z.pipe(
      z.union([z.string(), z.number()], { error: 'workflowVersionOverride must be a string' }),
      z.transform(value => String(value))
    )
  ),
  inputs: z.optional(codeValues),
  flexFields: z.optional(codeValues),
  packageDetails: z.optional(z.array(PackageInfoSchema, { error: 'packageDetails must be a list' })),
  projectFiles: z.optional(
    z.array(ProjectFileSchema, { error: 'projectFiles must be a list of {path, scmRevision}' })
  ),
  packageName: z.optional(text('packageName')),
  releaseId: z.optional(z.union([z.string(), z.number()], { error: 'releaseId must be an id' })),
  /** A String on the vendor page ("List of Issue Tracking System tickets"): a list is sent comma-joined. */
  relatedTickets: z.optional(
    z.pipe(
      strings('relatedTickets'),
      z.transform(list => list.join(','))
    )
  ),
  changeTickets: z.optional(strings('changeTickets'))
})
export type FlexDeployParameters = z.infer<typeof FlexDeployParametersSchema>
export type FlexDeployParameter = keyof FlexDeployParameters

/** Fields every operation takes, trigger or not. */
export const COMMON_FIELDS: readonly FlexDeployParameter[] = ['apiVersion']

/** An id and a name for the same thing: giving both is an input error. */
export const ID_OR_NAME: readonly { id: FlexDeployParameter; names: FlexDeployParameter[] }[] = [
  { id: 'environmentId', names: ['environment'] },
  { id: 'instanceIds', names: ['instances'] },
  { id: 'streamId', names: ['stream', 'branch'] },
  { id: 'releaseId', names: ['release'] }
]

/** Which request fields each operation's endpoint documents. */
export const FIELDS_OF: Record<'deploy' | 'build' | 'execute', readonly FlexDeployParameter[]> = {
  deploy: [
    'environmentId',
    'environment',
    'instanceIds',
    'instances',
    'packageDetails',
    'forceDeploy',
    'exceptionToWindow',
    'projectVersionId',
    'startTime',
    'workflowVersionOverride',
    'inputs',
    'flexFields',
    'changeTickets'
  ],
  build: [
    'environmentId',
    'environment',
    'streamId',
    'stream',
    'branch',
    'forceBuild',
    'relatedTickets',
    'workflowVersionOverride',
    'inputs',
    'flexFields',
    'projectFiles',
    'packageName',
    'releaseId',
    'release'
  ],
  execute: [
    'environmentId',
    'environment',
    'instanceIds',
    'instances',
    'exceptionToWindow',
    'startTime',
    'workflowVersionOverride',
    'inputs',
    'flexFields'
  ]
}
