import { z } from 'zod'

/** Numbers arrive as strings ("244596", "45"); accept either. */
const stringish = z.union([z.string(), z.number()]).transform(value => String(value))

/** `POST /service/api/deployment/run` → `{"status":"S","taskId":"244596"}` (vendor Run Deployment page). */
export const RunResponseSchema = z.object({
  status: z.string(),
  taskId: stringish.optional(),
  message: z.string().nullish()
})

/** `GET /service/api/task/get_status/{taskId}` → all strings (rest-api-guide.epmware.com, Task module). */
export const TaskStatusSchema = z.object({
  taskId: stringish.optional(),
  status: z.string(),
  percentCompleted: stringish.nullish(),
  message: z.string().nullish()
})
export type TaskStatus = z.infer<typeof TaskStatusSchema>

/** One execution of a deployment, as get_execution_details lists it; field names vary between releases. */
export const ExecutionSchema = z
  .object({
    taskId: stringish.optional(),
    task_id: stringish.optional(),
    status: z.string().optional(),
    message: z.string().nullish(),
    percentCompleted: stringish.nullish()
  })
  .loose()

export const ExecutionDetailsSchema = z.union([
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

export const EpmwareParametersSchema = z.strictObject({
  /** A deployment to run when this one fails; its result is reported too. */
  rollback: z.string().trim().min(1, 'rollback must name a deployment configuration').optional()
})
