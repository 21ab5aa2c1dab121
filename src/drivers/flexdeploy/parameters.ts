import { z } from 'zod'

/**
 * `parameters` for FlexDeploy: the request fields of the vendor's Project API page (build, deploy, execute),
 * sent under the same names.
 */

const id = (what: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const text = String(value).trim()
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a numeric FlexDeploy id, e.g. 11210` })
      return z.NEVER
    }
    return Number(text)
  })

/** `true`/`false`; the vendor's own deploy example sends `"forceDeploy":"false"`, so the words count too. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform(value => value === 'true')], {
  error: 'must be true or false'
})

const text = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .trim()
    .min(1, `${what} is empty`)

/** Values are Strings on the vendor page; numbers and booleans written in YAML are sent as their text. */
const scalar = z
  .union([z.string(), z.number(), z.boolean(), z.null()], {
    error: 'values must be strings, numbers or booleans'
  })
  .transform(value => (value === null ? null : String(value)))

const CodeValueSchema = z.strictObject({ code: text('code'), value: scalar.optional() })
export type CodeValue = z.infer<typeof CodeValueSchema>

/** `inputs` and `flexFields`: the documented list of `{code, value}`, or the plain mapping `CODE: value`. */
const codeValues = z.union(
  [
    z.array(CodeValueSchema),
    z
      .record(z.string(), scalar)
      .transform(mapping => Object.entries(mapping).map(([code, value]) => ({ code, value })))
  ],
  { error: 'must be a mapping CODE: value, or a list of {code, value}' }
)

/** `yyyy-MM-dd'T'HH:mm:ssXXX`, e.g. 2019-03-16T21:17:52-06:00 (Project API page, deploy and execute). */
const START_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/

const startTime = z.string({ error: 'startTime must be a string; quote it' }).refine(
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

const PackageInfoSchema = z
  .strictObject({
    packageName: z.string().optional(),
    priority: z.number().int().optional(),
    projectVersionId: id('projectVersionId').optional(),
    useLatestPackageVersion: flag.optional()
  })
  .refine(info => info.projectVersionId !== undefined || info.useLatestPackageVersion === true, {
    message: 'each packageDetails entry needs projectVersionId unless useLatestPackageVersion is true'
  })

const ProjectFileSchema = z.strictObject({
  path: text('path'),
  scmRevision: z.union([z.string(), z.number()]).optional()
})

/** One id or a list of them. */
const ids = (what: string) =>
  z.union([z.array(id(what)), id(what).transform(value => [value])], {
    error: `${what} must be a list of numeric ids, e.g. [100001]`
  })

/** One string or a list. */
const strings = (what: string) =>
  z.union([z.array(z.string()), z.string().transform(value => [value])], {
    error: `${what} must be a string or a list of strings`
  })

export const FlexDeployParametersSchema = z.strictObject({
  environmentId: id('environmentId').optional(),
  instanceIds: ids('instanceIds').optional(),
  streamId: id('streamId').optional(),
  forceBuild: flag.optional(),
  forceDeploy: flag.optional(),
  projectVersionId: id('projectVersionId').optional(),
  exceptionToWindow: flag.optional(),
  startTime: startTime.optional(),
  workflowVersionOverride: z
    .union([z.string(), z.number()], { error: 'workflowVersionOverride must be a string' })
    .transform(value => String(value))
    .optional(),
  inputs: codeValues.optional(),
  flexFields: codeValues.optional(),
  packageDetails: z.array(PackageInfoSchema, { error: 'packageDetails must be a list' }).optional(),
  projectFiles: z
    .array(ProjectFileSchema, { error: 'projectFiles must be a list of {path, scmRevision}' })
    .optional(),
  packageName: text('packageName').optional(),
  releaseId: z.union([z.string(), z.number()], { error: 'releaseId must be an id' }).optional(),
  /** A String on the vendor page ("List of Issue Tracking System tickets"): a list is sent comma-joined. */
  relatedTickets: strings('relatedTickets')
    .transform(list => list.join(','))
    .optional(),
  changeTickets: strings('changeTickets').optional()
})
export type FlexDeployParameters = z.infer<typeof FlexDeployParametersSchema>
export type FlexDeployParameter = keyof FlexDeployParameters

/** Which request fields each operation's endpoint documents. */
export const FIELDS_OF: Record<'deploy' | 'build' | 'execute', readonly FlexDeployParameter[]> = {
  deploy: [
    'environmentId',
    'instanceIds',
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
    'streamId',
    'forceBuild',
    'relatedTickets',
    'workflowVersionOverride',
    'inputs',
    'flexFields',
    'projectFiles',
    'packageName',
    'releaseId'
  ],
  execute: [
    'environmentId',
    'instanceIds',
    'exceptionToWindow',
    'startTime',
    'workflowVersionOverride',
    'inputs',
    'flexFields'
  ]
}
