import { ActionError } from '../../errors.js'
import type { ApiVersion } from './api.js'
import { FIELDS_OF, type FlexDeployParameter, type FlexDeployParameters } from './parameters.js'

export type Trigger = keyof typeof FIELDS_OF

/** The ids behind the names the deployment gave (or the ids it gave). */
export interface ResolvedIds {
  projectId: number
  environmentId: number
  instanceIds?: number[]
  streamId?: number
  releaseId?: number | string
  /** v2 only: `workflowVersionOverrideId`. */
  workflowVersionId?: number
}

/** Names the action looks up; never sent as such. */
const NAMES: readonly FlexDeployParameter[] = ['environment', 'instances', 'stream', 'branch', 'release']

/** v1 `POST /rest/v1/project/{id}/{operation}`: the Project API's own field names. */
export function v1Body(
  operation: Trigger,
  parameters: FlexDeployParameters,
  ids: ResolvedIds
): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const field of FIELDS_OF[operation]) {
    if (NAMES.includes(field)) continue
    if (parameters[field] !== undefined) body[field] = parameters[field]
  }
  body.environmentId = ids.environmentId
  if (ids.instanceIds) body.instanceIds = ids.instanceIds
  if (ids.streamId !== undefined) body.streamId = ids.streamId
  if (ids.releaseId !== undefined) body.releaseId = ids.releaseId
  // The deploy endpoint lists projectId among its body fields too.
  if (operation === 'deploy') body.projectId = ids.projectId
  return body
}

/**
 * v2 `POST /rest/v2/workflowrequest/{operation}`. Build follows Flexagon's Jenkins plugin 3.x (`buildJSONBody`):
 * projectId, environmentId, force, projectStreamId, releaseDefId, packageName, workflowVersionOverrideId,
 * issueNumbers, inputs, flexFields. Deploy and execute are ASSUMED to take the same names where they share
 * a field, `targetGroupIds` for the instances (v2 "renames Instance to Target Group", Environment API v2) and
 * their v1 names for the rest.
 */
export function v2Body(
  operation: Trigger,
  parameters: FlexDeployParameters,
  ids: ResolvedIds
): Record<string, unknown> {
  const body: Record<string, unknown> = { projectId: ids.projectId, environmentId: ids.environmentId }
  const copy = (from: FlexDeployParameter, to: string = from) => {
    if (parameters[from] !== undefined) body[to] = parameters[from]
  }
  copy('inputs')
  copy('flexFields')
  if (ids.workflowVersionId !== undefined) body.workflowVersionOverrideId = ids.workflowVersionId
  if (operation === 'build') {
    if (parameters.projectFiles !== undefined) {
      throw new ActionError(
        'parameters.projectFiles is a v1 build field; FlexDeploy’s v2 build takes buildFileInputs (project object ids), which this action does not send',
        { hint: 'Use apiVersion: v1 for a partial build by file path, or packageName on v2.' }
      )
    }
    copy('forceBuild', 'force')
    if (ids.streamId !== undefined) body.projectStreamId = ids.streamId
    if (ids.releaseId !== undefined) body.releaseDefId = Number(ids.releaseId)
    copy('packageName')
    if (parameters.relatedTickets !== undefined)
      body.issueNumbers = parameters.relatedTickets
        .split(',')
        .map(ticket => ticket.trim())
        .filter(Boolean)
    return body
  }
  if (ids.instanceIds) body.targetGroupIds = ids.instanceIds
  copy('exceptionToWindow')
  copy('startTime')
  if (operation === 'deploy') {
    copy('forceDeploy', 'force')
    copy('projectVersionId')
    copy('packageDetails')
    copy('changeTickets')
  }
  return body
}

export function bodyFor(
  version: ApiVersion,
  operation: Trigger,
  parameters: FlexDeployParameters,
  ids: ResolvedIds
): Record<string, unknown> {
  return version === 'v2' ? v2Body(operation, parameters, ids) : v1Body(operation, parameters, ids)
}
