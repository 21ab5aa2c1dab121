import * as z from '../../zod.js'

/** FlexDeploy ids are Longs; accept them as numbers or digit strings. */
const id = z.pipe(
  z.union([z.number().check(z.int(), z.nonnegative()), z.string().check(z.regex(/^\d+$/))]),
  z.transform(Number)
)

/** A list endpoint may answer one bare object instead of an array (the Project API page's own example does). */
function listOf<T extends z.ZodMiniType>(item: T) {
  return z.union([
    z.array(item),
    z.pipe(
      item,
      z.transform((value: z.output<T>) => [value])
    )
  ])
}

/**
 * A project, `GET /rest/v1/project/{id}` and `GET /rest/v1/project?…` (vendor Project API page). The page
 * lists no `projectId` attribute, but real servers return it and the lookup needs it.
 */
export const ProjectSchema = z.looseObject({
  projectId: z.nullish(id),
  projectName: z.string(),
  projectPath: z.nullish(z.string()),
  folderPath: z.nullish(z.string()),
  isActive: z.nullish(z.boolean()),
  projectType: z.nullish(z.string()),
  description: z.nullish(z.string())
})
export type Project = z.infer<typeof ProjectSchema>
export const ProjectListSchema = listOf(ProjectSchema)

/**
 * `GET /rest/v1/workflowrequest/{id}` (Workflow Request API,
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9856630690/Workflow+Request+API). v2 servers name
 * the status `requestStatus`.
 */
export const WorkflowRequestSchema = z.looseObject({
  workflowRequestId: id,
  workflowRequestStatus: z.nullish(z.string()),
  requestStatus: z.nullish(z.string()),
  projectId: z.nullish(id),
  projectName: z.nullish(z.string()),
  projectVersionName: z.nullish(z.string()),
  environmentId: z.nullish(id),
  folderPath: z.nullish(z.string()),
  requestedBy: z.nullish(z.string()),
  requestedStartTime: z.nullish(z.union([z.string(), z.number()]))
})
export type WorkflowRequest = z.infer<typeof WorkflowRequestSchema>

/** A request as the trigger answers it: the same object, its status possibly absent. */
const TriggeredRequestSchema = WorkflowRequestSchema

/**
 * The answer of build, deploy and execute: `workflowRequests` (build, deploy), `wfrequests` (the execute
 * example), or a bare `workflowRequestId` (older revisions); `warningMessage` alone when nothing started.
 */
export const TriggerResponseSchema = z.looseObject({
  warningMessage: z.nullish(z.string()),
  warningCode: z.nullish(z.union([z.string(), z.number()])),
  workflowRequests: z.nullish(z.array(TriggeredRequestSchema)),
  wfrequests: z.nullish(z.array(TriggeredRequestSchema)),
  workflowRequestId: z.nullish(id)
})
export type TriggerResponse = z.infer<typeof TriggerResponseSchema>

const CodeValueSchema = z.looseObject({ code: z.string(), value: z.unknown() })

/**
 * A workflow execution, `GET /rest/v1/workflowexecution?workflowRequestId=…` (Workflow Execution API,
 * https://flexagon.atlassian.net/wiki/spaces/FD60/pages/9923198977): `executionStatus` Success, Failure or
 * Running, one per instance the request ran on.
 */
export const WorkflowExecutionSchema = z.looseObject({
  workflowExecutionId: id,
  workflowRequestId: z.nullish(id),
  projectId: z.nullish(id),
  executionStatus: z.nullish(z.string()),
  workflowType: z.nullish(z.string()),
  instanceId: z.nullish(id),
  environmentId: z.nullish(id),
  startTime: z.nullish(z.string()),
  endTime: z.nullish(z.string()),
  abortedBy: z.nullish(z.string()),
  abortedOn: z.nullish(z.string()),
  workflowState: z.nullish(z.string()),
  workflowExecutionOutputs: z.nullish(z.array(CodeValueSchema))
})
export type WorkflowExecution = z.infer<typeof WorkflowExecutionSchema>
export const WorkflowExecutionListSchema = listOf(WorkflowExecutionSchema)

/** A v2 search's answer: `{"items":[…]}` (Jenkins plugin 3.x, `parseSearchJson` reads `items`). */
export function itemsOf<T extends z.ZodMiniType>(item: T) {
  return z.looseObject({ items: z.array(item) })
}

/**
 * `GET /rest/v2/workflowrequest/{id}` (Jenkins plugin 3.x `getWorkflowExecutionStatus` reads `requestStatus`).
 * The other attributes are ASSUMED to keep their v1 names (the plugin reads only the status).
 */
export const WorkflowRequestV2Schema = z.looseObject({
  workflowRequestId: id,
  requestStatus: z.nullish(z.string()),
  projectId: z.nullish(id),
  projectName: z.nullish(z.string()),
  projectVersionName: z.nullish(z.string()),
  environmentId: z.nullish(id),
  folderPath: z.nullish(z.string()),
  requestedBy: z.nullish(z.string())
})
export type WorkflowRequestV2 = z.infer<typeof WorkflowRequestV2Schema>
/** `GET /rest/v2/workflowrequest?projectId=…` (ASSUMED: a v2 search, so an `items` wrapper). */
export const WorkflowRequestV2ListSchema = itemsOf(WorkflowRequestV2Schema)

/**
 * The answer of `POST /rest/v2/workflowrequest/build` (Jenkins plugin 3.x: 201, `workflowRequestId`). A
 * warning when nothing started is ASSUMED to keep its v1 fields.
 */
export const TriggerResponseV2Schema = z.looseObject({
  workflowRequestId: z.nullish(id),
  requestStatus: z.nullish(z.string()),
  warningMessage: z.nullish(z.string()),
  warningCode: z.nullish(z.union([z.string(), z.number()]))
})

/**
 * An environment: v1 `GET /rest/v1/topology/environment?environmentCode=…` answers a list (Environment API,
 * FlexDeploy 5.0-6.5 wiki), v2 `GET /rest/v2/topology/environment?environmentCode=…` an `items` wrapper
 * (Environment API v2 page, FD57; Jenkins plugin 3.x `getEnvironmentId`).
 */
export const EnvironmentSchema = z.looseObject({
  environmentId: id,
  environmentCode: z.string(),
  environmentName: z.nullish(z.string())
})
export type Environment = z.infer<typeof EnvironmentSchema>

/**
 * An instance (v1 `GET /rest/v1/topology/instance?instanceCode=…`, ASSUMED by analogy with the Environment
 * API's query parameters) or a target group (v2 `GET /rest/v2/topology/targetgroup?targetGroupCode=…`: v2
 * "renames Instance to Target Group", Environment API v2 page; the query parameter name is ASSUMED).
 */
export const InstanceSchema = z.looseObject({
  instanceId: id,
  instanceCode: z.string(),
  instanceName: z.nullish(z.string())
})
export const TargetGroupSchema = z.looseObject({
  targetGroupId: id,
  targetGroupCode: z.string(),
  targetGroupName: z.nullish(z.string())
})

/** `GET /rest/v2/folder?folderName=…&parentFolderId=…` items: `folderId`, `folderName` (Jenkins plugin 3.x). */
export const FolderSchema = z.looseObject({ folderId: id, folderName: z.string() })

/** `GET /rest/v2/project?projectName=…&folderId=…` items and `GET /rest/v2/project/{id}` (Jenkins plugin 3.x). */
export const ProjectV2Schema = z.looseObject({
  projectId: id,
  projectName: z.string(),
  folderId: z.nullish(id),
  isActive: z.nullish(z.boolean()),
  projectType: z.nullish(z.string()),
  projectWorkflows: z.nullish(z.array(z.looseObject({ projectWorkflowType: z.string(), workflowId: id })))
})
export type ProjectV2 = z.infer<typeof ProjectV2Schema>

/**
 * `GET /rest/v2/project/{id}/branch?branchName=…` items: `projectBranchId` (Jenkins plugin 3.x; the name
 * field `branchName` is ASSUMED from the query parameter). v1 streams, `GET /rest/v1/project/{id}/stream?streamName=…`
 * answering `projectStreamId`/`streamName`, are ASSUMED (the Project API lists only stream ids).
 */
export const BranchSchema = z.looseObject({ projectBranchId: id, branchName: z.string() })
export const StreamSchema = z.looseObject({ projectStreamId: id, streamName: z.string() })

/**
 * `GET /rest/v1/releases?releaseName=…` (the Jenkins plugin uses this v1 call even against v2): a bare list
 * of `{releaseId, releaseName, projects:[{projectId}]}`; the plugin refuses when the project is not in it.
 */
export const ReleaseSchema = z.looseObject({
  releaseId: id,
  releaseName: z.string(),
  projects: z.nullish(z.array(z.looseObject({ projectId: id })))
})
export const ReleaseListSchema = z.array(ReleaseSchema)

/** `GET /rest/v2/workflow/{id}` → `workflowVersions[{workflowVersion, workflowVersionId}]` (Jenkins plugin 3.x). */
export const WorkflowV2Schema = z.looseObject({
  workflowVersions: z.array(z.looseObject({ workflowVersion: z.string(), workflowVersionId: id }))
})
