import { z } from 'zod'

/** Numbers arrive as strings ("244596", "45"); accept either. */
const stringish = z.union([z.string(), z.number()]).transform(value => String(value))

/**
 * What every trigger answers (deployment/run, erp/run, erp/upload_file, export/run):
 * `{"status":"S","taskId":"244596"}` (REST API Guide v1.3, Run Deployment; docs repo
 * `tkiratsous/epmware-rest-api` modules/*), sometimes with `message` and `percentCompleted` (the
 * response-formats page's "immediate response"), and on a refusal HTTP 200 `{"status":"E","taskId":"0",
 * "message":"Error: …"}` (getting-started/response-formats.md, modules/erp/upload-file.md).
 */
export const RunResponseSchema = z.object({
  status: z.string(),
  taskId: stringish.optional(),
  message: z.string().nullish(),
  percentCompleted: stringish.nullish()
})
export type RunResponse = z.infer<typeof RunResponseSchema>

/** `GET /service/api/task/get_status/{taskId}` → all strings (REST API Guide v1.3, Get Task Status). */
export const TaskStatusSchema = z.object({
  taskId: stringish.optional(),
  status: z.string(),
  percentCompleted: stringish.nullish(),
  message: z.string().nullish()
})
export type TaskStatus = z.infer<typeof TaskStatusSchema>

/**
 * One execution as get_execution_details lists it. The export page (docs/modules/export/
 * get-execution-details.md, current) gives `id` (the execution's own id), `taskId`, `status`,
 * `statusMeaning`, `message`, `startDate`, `endDate`, `outputFileName`, `createTime`; the repository's first
 * revision of that page gives `statusCode` instead of `status`. `task_id`, `percentCompleted`, `startTime`
 * are the forms this action accepted before (ASSUMED then; still accepted).
 */
export const ExecutionSchema = z
  .object({
    taskId: stringish.optional(),
    task_id: stringish.optional(),
    status: z.string().optional(),
    statusCode: z.string().optional(),
    statusMeaning: z.string().nullish(),
    message: z.string().nullish(),
    percentCompleted: stringish.nullish(),
    startDate: z.string().nullish(),
    startTime: z.string().nullish(),
    createTime: z.string().nullish(),
    outputFileName: z.string().nullish()
  })
  .loose()
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
export const ExecutionDetailsSchema = z.preprocess(
  body => wrapped(body) ?? body,
  z.union([
    z.array(ExecutionSchema),
    z
      .object({ executions: z.array(ExecutionSchema) })
      .loose()
      .transform(value => value.executions),
    z
      .object({ data: z.array(ExecutionSchema) })
      .loose()
      .transform(value => value.data),
    ExecutionSchema.transform(value => [value])
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
