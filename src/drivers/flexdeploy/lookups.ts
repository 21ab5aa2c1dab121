import * as z from '../../zod.js'
import { ActionError } from '../../errors.js'
import { decode } from '../../http/decode.js'
import type { DriverLog } from '../driver.js'
import type { FlexDeployApi } from './api.js'
import {
  BranchSchema,
  EnvironmentSchema,
  FolderSchema,
  InstanceSchema,
  itemsOf,
  ProjectV2Schema,
  ReleaseListSchema,
  StreamSchema,
  TargetGroupSchema,
  WorkflowV2Schema,
  type ProjectV2
} from './schemas.js'

/** Something FlexDeploy lists, reduced to what a look-up needs. */
export interface Named {
  id: number
  name: string
}

const SHOWN = 20

function listing(items: Named[]): string {
  const shown = items
    .slice(0, SHOWN)
    .map(item => `${item.name} (${item.id})`)
    .join(', ')
  return items.length > SHOWN ? `${shown} and ${items.length - SHOWN} more` : shown
}

/**
 * The one item named `wanted` in a search's answer. Searches may match on "contains" (the Jenkins plugin
 * says so of folders), so the answer is narrowed to the exact name, then to the name ignoring case. None:
 * an error listing what exists (`everything` reads it); several: an error listing them.
 */
export async function pickNamed(
  what: string,
  wanted: string,
  found: Named[],
  everything: () => Promise<Named[]>,
  where = ''
): Promise<Named> {
  const exact = found.filter(item => item.name === wanted)
  const matches =
    exact.length > 0 ? exact : found.filter(item => item.name.toLowerCase() === wanted.toLowerCase())
  if (matches.length === 1) return matches[0] as Named
  if (matches.length > 1) {
    throw new ActionError(`Several FlexDeploy ${what}s${where} are named '${wanted}': ${listing(matches)}`, {
      hint: `Give the ${what}'s numeric id instead of its name.`
    })
  }
  const existing = await everything()
  throw new ActionError(
    `FlexDeploy has no ${what} '${wanted}'${where}; ` +
      (existing.length ? `it has: ${listing(existing)}` : `it lists no ${what} there`),
    { hint: `Check the ${what}'s name as FlexDeploy shows it, or give its numeric id.` }
  )
}

type Row = Record<string, string | number | undefined>

/** Name look-ups on the version the API object speaks, each answer parsed with its own schema. */
export class Lookups {
  constructor(
    private readonly api: FlexDeployApi,
    private readonly log: DriverLog
  ) {}

  /** The environment by code (v1 list, v2 items; Environment API pages, Jenkins plugin `getEnvironmentId`). */
  async environmentId(code: string): Promise<number> {
    const v2 = (await this.api.version()) === 'v2'
    const path = `${await this.api.root()}/topology/environment`
    const read = async (query: Row) => {
      const body = (await this.api.send({ method: 'GET', path, query })).body ?? []
      return this.list(v2, EnvironmentSchema, body, 'FlexDeploy environment search').map(item => ({
        id: item.environmentId,
        name: item.environmentCode
      }))
    }
    const found = await pickNamed('environment', code, await read({ environmentCode: code }), () => read({}))
    this.log.info(`Environment ${code} is FlexDeploy environment ${found.id}`)
    return found.id
  }

  /** Instances (v2: target groups) by code. */
  async instanceIds(codes: string[]): Promise<number[]> {
    const v2 = (await this.api.version()) === 'v2'
    const path = `${await this.api.root()}/topology/${v2 ? 'targetgroup' : 'instance'}`
    const key = v2 ? 'targetGroupCode' : 'instanceCode'
    const read = async (query: Row): Promise<Named[]> => {
      const body = (await this.api.send({ method: 'GET', path, query })).body ?? []
      return v2
        ? this.list(true, TargetGroupSchema, body, 'FlexDeploy target group search').map(item => ({
            id: item.targetGroupId,
            name: item.targetGroupCode
          }))
        : this.list(false, InstanceSchema, body, 'FlexDeploy instance search').map(item => ({
            id: item.instanceId,
            name: item.instanceCode
          }))
    }
    const ids: number[] = []
    for (const code of codes) {
      const found = await pickNamed(v2 ? 'target group' : 'instance', code, await read({ [key]: code }), () =>
        read({})
      )
      ids.push(found.id)
    }
    this.log.info(
      `Instances ${codes.join(', ')} are FlexDeploy ${v2 ? 'target groups' : 'instances'} ${ids.join(', ')}`
    )
    return ids
  }

  /** The project's stream (v2: branch) by name. */
  async streamId(projectId: number, name: string): Promise<number> {
    const v2 = (await this.api.version()) === 'v2'
    const path = `${await this.api.root()}/project/${projectId}/${v2 ? 'branch' : 'stream'}`
    const read = async (query: Row): Promise<Named[]> => {
      const body = (await this.api.send({ method: 'GET', path, query })).body ?? []
      return v2
        ? this.list(true, BranchSchema, body, 'FlexDeploy branch search').map(item => ({
            id: item.projectBranchId,
            name: item.branchName
          }))
        : this.list(false, StreamSchema, body, 'FlexDeploy stream search').map(item => ({
            id: item.projectStreamId,
            name: item.streamName
          }))
    }
    const what = v2 ? 'branch' : 'stream'
    const found = await pickNamed(
      what,
      name,
      await read(v2 ? { branchName: name } : { streamName: name }),
      () => read({}),
      ` in project ${projectId}`
    )
    this.log.info(`Stream ${name} is FlexDeploy ${what} ${found.id} of project ${projectId}`)
    return found.id
  }

  /** A release by name, which must hold the project (`GET /rest/v1/releases?releaseName=`, Jenkins plugin). */
  async releaseId(name: string, projectId: number): Promise<number> {
    const path = '/rest/v1/releases'
    const read = async (query: Row) =>
      decode(
        ReleaseListSchema,
        (await this.api.send({ method: 'GET', path, query })).body ?? [],
        'FlexDeploy release search'
      )
    const releases = await read({ releaseName: name })
    const found = await pickNamed(
      'release',
      name,
      releases.map(release => ({ id: release.releaseId, name: release.releaseName })),
      async () => (await read({})).map(release => ({ id: release.releaseId, name: release.releaseName }))
    )
    const release = releases.find(candidate => candidate.releaseId === found.id)
    const projects = release?.projects ?? []
    if (!projects.some(project => project.projectId === projectId)) {
      throw new ActionError(
        `FlexDeploy release '${name}' (${found.id}) does not hold project ${projectId}` +
          (projects.length
            ? `; it holds projects ${projects.map(project => project.projectId).join(', ')}`
            : '; it holds no project'),
        { hint: 'Add the project to the release in FlexDeploy, or build without release.' }
      )
    }
    this.log.info(`Release ${name} is FlexDeploy release ${found.id}`)
    return found.id
  }

  /**
   * The project at `FlexDeploy/Folder/Sub/Project` on v2: every folder looked up below its parent, from the
   * root folder (id 99), then the project in the last folder (Jenkins plugin 3.x `getProjectId`, `getFolderId`).
   */
  async projectByPath(folders: string[], name: string): Promise<ProjectV2> {
    let parent = ROOT_FOLDER_ID
    const walked: string[] = ['FlexDeploy']
    for (const folder of folders) {
      const read = async (query: Row): Promise<Named[]> =>
        this.list(
          true,
          FolderSchema,
          (await this.api.send({ method: 'GET', path: '/rest/v2/folder', query })).body,
          'FlexDeploy folder search'
        ).map(item => ({ id: item.folderId, name: item.folderName }))
      const found = await pickNamed(
        'folder',
        folder,
        await read({ folderName: folder, parentFolderId: parent }),
        () => read({ parentFolderId: parent }),
        ` in ${walked.join('/')}`
      )
      parent = found.id
      walked.push(folder)
    }
    const read = async (query: Row) =>
      this.list(
        true,
        ProjectV2Schema,
        (await this.api.send({ method: 'GET', path: '/rest/v2/project', query })).body,
        'FlexDeploy project search'
      )
    const projects = await read({ projectName: name, folderId: parent })
    const found = await pickNamed(
      'project',
      name,
      projects
        .filter(
          project =>
            project.folderId === undefined || project.folderId === null || project.folderId === parent
        )
        .map(project => ({ id: project.projectId, name: project.projectName })),
      async () =>
        (await read({ folderId: parent })).map(project => ({
          id: project.projectId,
          name: project.projectName
        })),
      ` in ${walked.join('/')}`
    )
    return projects.find(project => project.projectId === found.id) as ProjectV2
  }

  /**
   * The id of a workflow version for `workflowVersionOverrideId` on v2: the project's workflow of that type,
   * then its version by name (Jenkins plugin 3.x `getWorkflowVersionOverrideId`, BUILD; DEPLOY and UTILITY
   * for deploy and execute are ASSUMED).
   */
  async workflowVersionId(projectId: number, type: string, version: string): Promise<number> {
    const project = decode(
      ProjectV2Schema,
      (await this.api.send({ method: 'GET', path: `/rest/v2/project/${projectId}` })).body,
      'FlexDeploy project'
    )
    const workflows = project.projectWorkflows ?? []
    const workflow = workflows.find(candidate => candidate.projectWorkflowType.toUpperCase() === type)
    if (!workflow) {
      throw new ActionError(
        `FlexDeploy project ${projectId} has no ${type} workflow to override` +
          (workflows.length
            ? `; it has ${workflows.map(candidate => candidate.projectWorkflowType).join(', ')}`
            : ''),
        { hint: 'Leave workflowVersionOverride out to run the project’s active workflow version.' }
      )
    }
    const versions = decode(
      WorkflowV2Schema,
      (await this.api.send({ method: 'GET', path: `/rest/v2/workflow/${workflow.workflowId}` })).body,
      'FlexDeploy workflow'
    ).workflowVersions.map(item => ({ id: item.workflowVersionId, name: item.workflowVersion }))
    const found = await pickNamed(
      'workflow version',
      version,
      versions,
      async () => versions,
      ` of workflow ${workflow.workflowId}`
    )
    this.log.info(`Workflow version ${version} is FlexDeploy workflow version ${found.id}`)
    return found.id
  }

  private list<T extends z.ZodMiniType>(v2: boolean, item: T, body: unknown, what: string): z.infer<T>[] {
    if (v2) return decode(itemsOf(item), body ?? {}, what).items as z.infer<T>[]
    return decode(z.array(item), body ?? [], what) as z.infer<T>[]
  }
}

/** The root folder `FlexDeploy` (Jenkins plugin 3.x `FLEXDEPLOY_FOLDER_ID`). */
export const ROOT_FOLDER_ID = 99
