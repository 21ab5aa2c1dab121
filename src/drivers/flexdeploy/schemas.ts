import { z } from 'zod'

/** FlexDeploy ids are Longs; accept them as numbers or digit strings. */
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(Number)

/** A list endpoint may answer one bare object instead of an array (the Project API page's own example does). */
function listOf<T extends z.ZodType>(item: T) {
  return z.union([z.array(item), item.transform(value => [value])])
}

/**
 * A project, `GET /rest/v1/project/{id}` and `GET /rest/v1/project?…` (vendor Project API page). The page
 * lists no `projectId` attribute, but real servers return it and the lookup needs it.
 */
export const ProjectSchema = z
  .object({
    projectId: id.nullish(),
    projectName: z.string(),
    projectPath: z.string().nullish(),
    folderPath: z.string().nullish(),
    isActive: z.boolean().nullish(),
    projectType: z.string().nullish(),
    description: z.string().nullish()
  })
  .loose()
export type Project = z.infer<typeof ProjectSchema>
export const ProjectListSchema = listOf(ProjectSchema)

/**
 * `GET /rest/v1/workflowrequest/{id}` (Workflow Request API,
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API). v2 servers name
 * the status `requestStatus`.
 */
export const WorkflowRequestSchema = z
  .object({
    workflowRequestId: id,
    workflowRequestStatus: z.string().nullish(),
    requestStatus: z.string().nullish(),
    projectId: id.nullish(),
    projectName: z.string().nullish(),
    projectVersionName: z.string().nullish(),
    environmentId: id.nullish(),
    folderPath: z.string().nullish(),
    requestedBy: z.string().nullish(),
    requestedStartTime: z.union([z.string(), z.number()]).nullish()
  })
  .loose()
export type WorkflowRequest = z.infer<typeof WorkflowRequestSchema>

/** A request as the trigger answers it: the same object, its status possibly absent. */
const TriggeredRequestSchema = WorkflowRequestSchema

/**
 * The answer of build, deploy and execute: `workflowRequests` (build, deploy), `wfrequests` (the execute
 * example), or a bare `workflowRequestId` (older revisions); `warningMessage` alone when nothing started.
 */
export const TriggerResponseSchema = z
  .object({
    warningMessage: z.string().nullish(),
    warningCode: z.union([z.string(), z.number()]).nullish(),
    workflowRequests: z.array(TriggeredRequestSchema).nullish(),
    wfrequests: z.array(TriggeredRequestSchema).nullish(),
    workflowRequestId: id.nullish()
  })
  .loose()
export type TriggerResponse = z.infer<typeof TriggerResponseSchema>

const CodeValueSchema = z.object({ code: z.string(), value: z.unknown() }).loose()

/**
 * A workflow execution, `GET /rest/v1/workflowexecution?workflowRequestId=…` (Workflow Execution API,
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977): `executionStatus` Success, Failure or
 * Running, one per instance the request ran on.
 */
export const WorkflowExecutionSchema = z
  .object({
    workflowExecutionId: id,
    workflowRequestId: id.nullish(),
    executionStatus: z.string().nullish(),
    workflowType: z.string().nullish(),
    instanceId: id.nullish(),
    environmentId: id.nullish(),
    startTime: z.string().nullish(),
    endTime: z.string().nullish(),
    abortedBy: z.string().nullish(),
    abortedOn: z.string().nullish(),
    workflowState: z.string().nullish(),
    workflowExecutionOutputs: z.array(CodeValueSchema).nullish()
  })
  .loose()
export type WorkflowExecution = z.infer<typeof WorkflowExecutionSchema>
export const WorkflowExecutionListSchema = listOf(WorkflowExecutionSchema)
