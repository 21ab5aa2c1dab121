import * as z from '../../zod.js'

/** Numbers arrive as strings ("244596", "45"); accept either. */
const stringish = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform(value => String(value))
)

/**
 * What every trigger answers (deployment/run, erp/run, erp/upload_file, export/run):
 * `{"status":"S","taskId":"244596"}` (REST API Guide v1.3, Run Deployment; docs repo
 * `tkiratsous/epmware-rest-api` modules/*), sometimes with `message` and `percentCompleted` (the
 * response-formats page's "immediate response"), and on a refusal HTTP 200 `{"status":"E","taskId":"0",
 * "message":"Error: …"}` (getting-started/response-formats.md, modules/erp/upload-file.md).
 */
export const RunResponseSchema = z.object({
  status: z.string(),
  taskId: z.optional(stringish),
  message: z.nullish(z.string()),
  percentCompleted: z.nullish(stringish)
})
export type RunResponse = z.infer<typeof RunResponseSchema>

/** `GET /service/api/task/get_status/{taskId}` → all strings (REST API Guide v1.3, Get Task Status). */
export const TaskStatusSchema = z.object({
  taskId: z.optional(stringish),
  status: z.string(),
  percentCompleted: z.nullish(stringish),
  message: z.nullish(z.string())
})
export type TaskStatus = z.infer<typeof TaskStatusSchema>

/**
 * One execution as get_execution_details lists it. The export page (docs/modules/export/
 * get-execution-details.md, current) gives `id` (the execution's own id), `taskId`, `status`,
 * `statusMeaning`, `message`, `startDate`, `endDate`, `outputFileName`, `createTime`; the repository's first
 * revision of that page gives `statusCode` instead of `status`. `task_id`, `percentCompleted`, `startTime`
 * are the forms this action accepted before (ASSUMED then; still accepted).
 */
export const ExecutionSchema = z.looseObject({
  taskId: z.optional(stringish),
  task_id: z.optional(stringish),
  status: z.optional(z.string()),
  statusCode: z.optional(z.string()),
  statusMeaning: z.nullish(z.string()),
  message: z.nullish(z.string()),
  percentCompleted: z.nullish(stringish),
  startDate: z.nullish(z.string()),
  startTime: z.nullish(z.string()),
  createTime: z.nullish(z.string()),
  outputFileName: z.nullish(z.string())
})
export type Execution = z.infer<typeof ExecutionSchema>

/** The vendor's wrapper key: `vEWVExportExecutions` (documented), `vEWVDeploymentExecutions` (likely), … */
const WRAPPER_KEY = /^vEWV\w*Executions$/

/** The array under any `vEWV…Executions` key, when the body has one. */
function wrapped(body: unknown): unknown[] | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  for (const [key, value] of Object.entries(body)) {
    if (WRAPPER_KEY.test(key) && Array.isArray(value)) return value
  }
  return undefined
}

/**
 * get_execution_details, in every form a source shows: the vendor's `{"vEWV…Executions":[…],
 * "totalCount":"9",…}` wrapper, newest first (export page), and the forms accepted before it was known — a
 * bare array, `{executions:[…]}`, `{data:[…]}` (the guide's collection pattern) and one bare object.
 */
export const ExecutionDetailsSchema = z.pipe(
  z.transform((body: unknown) => wrapped(body) ?? body),
  z.union([
    z.array(ExecutionSchema),
    z.pipe(
      z.looseObject({ executions: z.array(ExecutionSchema) }),
      z.transform(value => value.executions)
    ),
    z.pipe(
      z.looseObject({ data: z.array(ExecutionSchema) }),
      z.transform(value => value.data)
    ),
    z.pipe(
      ExecutionSchema,
      z.transform(value => [value])
    )
  ])
)

/** The execution's task id, in either spelling. */
export function taskIdOf(execution: Execution): string | undefined {
  const id = execution.taskId ?? execution.task_id
  return id && id !== '0' ? id : undefined
}

/** The execution's status code, in either spelling (`status` current page, `statusCode` first revision). */
export function statusCodeOf(execution: Execution): string | undefined {
  return execution.status ?? execution.statusCode
}

/** When the execution started, by the server's clock, when it says (ms since the epoch). */
export function startedAtOf(execution: Execution): number | undefined {
  for (const text of [execution.startDate, execution.startTime, execution.createTime]) {
    if (!text) continue
    const at = Date.parse(text)
    if (Number.isFinite(at)) return at
  }
  return undefined
}

export { EpmwareParametersSchema, type EpmwareParameters } from './parameters-schema.js'
