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
    projectId: id.nullish(),
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

/** A v2 search's answer: `{"items":[…]}` (Jenkins plugin 3.x, `parseSearchJson` reads `items`). */
export function itemsOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) }).loose()
}

/**
 * `GET /rest/v2/workflowrequest/{id}` (Jenkins plugin 3.x `getWorkflowExecutionStatus` reads `requestStatus`).
 * The other attributes are ASSUMED to keep their v1 names (the plugin reads only the status).
 */
export const WorkflowRequestV2Schema = z
  .object({
    workflowRequestId: id,
    requestStatus: z.string().nullish(),
    projectId: id.nullish(),
    projectName: z.string().nullish(),
    projectVersionName: z.string().nullish(),
    environmentId: id.nullish(),
    folderPath: z.string().nullish(),
    requestedBy: z.string().nullish()
  })
  .loose()
export type WorkflowRequestV2 = z.infer<typeof WorkflowRequestV2Schema>
/** `GET /rest/v2/workflowrequest?projectId=…` (ASSUMED: a v2 search, so an `items` wrapper). */
export const WorkflowRequestV2ListSchema = itemsOf(WorkflowRequestV2Schema)

/**
 * The answer of `POST /rest/v2/workflowrequest/build` (Jenkins plugin 3.x: 201, `workflowRequestId`). A
 * warning when nothing started is ASSUMED to keep its v1 fields.
 */
export const TriggerResponseV2Schema = z
  .object({
    workflowRequestId: id.nullish(),
    requestStatus: z.string().nullish(),
    warningMessage: z.string().nullish(),
    warningCode: z.union([z.string(), z.number()]).nullish()
  })
  .loose()

/**
 * An environment: v1 `GET /rest/v1/topology/environment?environmentCode=…` answers a list (Environment API,
 * FlexDeploy 5.0-6.5 wiki), v2 `GET /rest/v2/topology/environment?environmentCode=…` an `items` wrapper
 * (Environment API v2 page, FD57; Jenkins plugin 3.x `getEnvironmentId`).
 */
export const EnvironmentSchema = z
  .object({ environmentId: id, environmentCode: z.string(), environmentName: z.string().nullish() })
  .loose()
export type Environment = z.infer<typeof EnvironmentSchema>

/**
 * An instance (v1 `GET /rest/v1/topology/instance?instanceCode=…`, ASSUMED by analogy with the Environment
 * API's query parameters) or a target group (v2 `GET /rest/v2/topology/targetgroup?targetGroupCode=…`: v2
 * "renames Instance to Target Group", Environment API v2 page; the query parameter name is ASSUMED).
 */
export const InstanceSchema = z
  .object({ instanceId: id, instanceCode: z.string(), instanceName: z.string().nullish() })
  .loose()
export const TargetGroupSchema = z
  .object({ targetGroupId: id, targetGroupCode: z.string(), targetGroupName: z.string().nullish() })
  .loose()

/** `GET /rest/v2/folder?folderName=…&parentFolderId=…` items: `folderId`, `folderName` (Jenkins plugin 3.x). */
export const FolderSchema = z.object({ folderId: id, folderName: z.string() }).loose()

/** `GET /rest/v2/project?projectName=…&folderId=…` items and `GET /rest/v2/project/{id}` (Jenkins plugin 3.x). */
export const ProjectV2Schema = z
  .object({
    projectId: id,
    projectName: z.string(),
    folderId: id.nullish(),
    isActive: z.boolean().nullish(),
    projectType: z.string().nullish(),
    projectWorkflows: z.array(z.object({ projectWorkflowType: z.string(), workflowId: id }).loose()).nullish()
  })
  .loose()
export type ProjectV2 = z.infer<typeof ProjectV2Schema>

/**
 * `GET /rest/v2/project/{id}/branch?branchName=…` items: `projectBranchId` (Jenkins plugin 3.x; the name
 * field `branchName` is ASSUMED from the query parameter). v1 streams, `GET /rest/v1/project/{id}/stream?streamName=…`
 * answering `projectStreamId`/`streamName`, are ASSUMED (the Project API lists only stream ids).
 */
export const BranchSchema = z.object({ projectBranchId: id, branchName: z.string() }).loose()
export const StreamSchema = z.object({ projectStreamId: id, streamName: z.string() }).loose()

/**
 * `GET /rest/v1/releases?releaseName=…` (the Jenkins plugin uses this v1 call even against v2): a bare list
 * of `{releaseId, releaseName, projects:[{projectId}]}`; the plugin refuses when the project is not in it.
 */
export const ReleaseSchema = z
  .object({
    releaseId: id,
    releaseName: z.string(),
    projects: z.array(z.object({ projectId: id }).loose()).nullish()
  })
  .loose()
export const ReleaseListSchema = z.array(ReleaseSchema)

/** `GET /rest/v2/workflow/{id}` → `workflowVersions[{workflowVersion, workflowVersionId}]` (Jenkins plugin 3.x). */
export const WorkflowV2Schema = z
  .object({
    workflowVersions: z.array(z.object({ workflowVersion: z.string(), workflowVersionId: id }).loose())
  })
  .loose()
