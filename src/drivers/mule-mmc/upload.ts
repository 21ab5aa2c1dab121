import path from 'node:path'
import { ActionError } from '../../errors.js'
import type { HttpClient, HttpRequest } from '../../http/client.js'
import { decode, errorMessageOf } from '../../http/decode.js'
import type { Deployment } from '../../inputs/schema.js'
import type { InputProblem } from '../../inputs/problems.js'
import type { DriverLog } from '../driver.js'
import { resolveArtifacts, workspaceDirectory, type Artifact } from '../upload/artifacts.js'
import { multipartBody, ReplayableBody } from '../upload/multipart.js'
import { segment } from './api.js'
import { ensureRepositoryOk } from './errors.js'
import { REPOSITORY, type Directory } from './lookups.js'
import { sameName } from './names.js'
import { UploadAnswerSchema, type MuleParameters } from './schemas.js'

/** What is uploaded: one archive, under an application name and a version. */
export interface UploadPlan {
  file: Artifact
  application: string
  version: string
  replace: boolean
}

export interface Uploaded {
  versionId: string
  applicationId?: string
  application: string
  version: string
}

/**
 * The application name and version an archive's file name carries, by the Maven plugin's rule
 * (pulsenintegration/Maven-Mule-REST-Plugin, MuleFileInfo.parseFromFile): the extension dropped, the name
 * split at the first `-` followed by a digit: `orders-api-1.4.0.zip` → `orders-api`, `1.4.0`.
 */
export function archiveInfo(fileName: string): { name: string; version?: string } {
  const base = fileName.replace(/\.[^.]*$/, '') || fileName
  const match = /-\s*\d/.exec(base)
  if (!match) return { name: base }
  return { name: base.slice(0, match.index).trim(), version: base.slice(match.index + 1).trim() }
}

/** The short commit, as `git rev-parse --short` shows it by default. */
function shortSha(): string | undefined {
  const sha = process.env.GITHUB_SHA?.trim()
  return sha ? sha.slice(0, 7) : undefined
}

/**
 * The archive (exactly one, inside the workspace: the same containment rules as MobileFirst's deployables)
 * and the name and version it is uploaded as, or the input problems that prevent it.
 */
export function uploadPlan(
  deployment: Deployment,
  parameters: MuleParameters
): { plan?: UploadPlan; problems: InputProblem[] } {
  const { files, problems } = resolveArtifacts(workspaceDirectory(), deployment.artifacts)
  if (problems.length) return { problems }
  if (files.length !== 1) {
    return {
      problems: [
        {
          input: 'artifacts',
          value: deployment.artifacts.join(', '),
          problem: `matches ${files.length} files (${files.map(file => file.relative).join(', ')}); mule-mmc uploads exactly one application archive`
        }
      ]
    }
  }
  const file = files[0] as Artifact
  const info = archiveInfo(file.name)
  const version = parameters.version ?? shortSha() ?? info.version
  if (!version) {
    return {
      problems: [
        {
          input: 'parameters',
          problem: `needs version: ${file.name} carries no version in its name and GITHUB_SHA is not set`
        }
      ]
    }
  }
  return {
    plan: {
      file,
      application: parameters.application ?? info.name,
      version,
      replace: parameters.replaceVersion ?? false
    },
    problems: []
  }
}

/**
 * An upload of a version the repository already has is refused by the console with 409 "Application name and
 * version already exists" (repository-of-applications.adoc, "UPLOAD"): it is found first and named. With
 * replaceVersion it is deleted (`DELETE /api/repository/{versionId}`, the same page, "DELETE"), the way the
 * Maven plugin replaces a SNAPSHOT (MuleRest.restfullyUploadRepository); the console may refuse that, e.g.
 * while a deployment holds the version, and its answer is shown.
 */
async function clearVersion(
  http: HttpClient,
  directory: Directory,
  plan: UploadPlan,
  log: DriverLog
): Promise<void> {
  const repository = await directory.repository()
  const application = repository.find(candidate => sameName(candidate.name, plan.application))
  const existing = application?.versions?.find(version => sameName(version.name, plan.version))
  if (!application || !existing) return
  if (!plan.replace) {
    throw new ActionError(
      `The repository already has ${application.name} version ${existing.name} (${existing.id}); the console does not take a version twice`,
      {
        hint: 'Give another parameters.version, or parameters.replaceVersion: true to delete that version and upload it again.'
      }
    )
  }
  const request: HttpRequest = { method: 'DELETE', path: `${REPOSITORY}/${segment(existing.id)}` }
  const response = await http.send(request)
  if (response.status < 200 || response.status >= 300) {
    const reason = errorMessageOf(response.body, response.text.trim() || `HTTP ${response.status}`)
    throw new ActionError(
      `The console would not delete ${application.name} version ${existing.name} (${existing.id}) to replace it: HTTP ${response.status}: ${reason.slice(0, 300)}`,
      {
        httpStatus: response.status,
        hint: 'A version that a deployment holds may not be deletable; upload a new version instead.'
      }
    )
  }
  log.info(`Deleted ${application.name} version ${existing.name} (${existing.id}) to upload it again`)
  directory.forgetRepository()
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/**
 * `POST /api/repository`, multipart/form-data with `file` (a .zip), `name` and `version`
 * (repository-of-applications.adoc, "UPLOAD"; the same three parts as MuleRest.restfullyUploadRepository),
 * streamed from disk with an exact Content-Length; the answer is `{versionId, applicationId}`. The upload is
 * bounded by the step's deadline, not by the per-request timeout of a status read.
 */
export async function uploadArchive(
  http: HttpClient,
  directory: Directory,
  plan: UploadPlan,
  log: DriverLog
): Promise<Uploaded> {
  await clearVersion(http, directory, plan, log)
  log.info(
    `Uploading ${plan.file.relative} (${megabytes(plan.file.size)}) to the repository as ${plan.application} version ${plan.version}`
  )
  const body = multipartBody([
    {
      field: 'file',
      filename: path.basename(plan.file.path),
      path: plan.file.path,
      size: plan.file.size,
      contentType: 'application/zip'
    },
    { field: 'name', value: plan.application },
    { field: 'version', value: plan.version }
  ])
  const request: HttpRequest = {
    method: 'POST',
    path: REPOSITORY,
    body: new ReplayableBody(body),
    headers: { 'content-type': body.contentType, 'content-length': String(body.length) },
    timeoutMs: Number.POSITIVE_INFINITY
  }
  const response = await http.send(request)
  if (response.status === 409) {
    throw new ActionError(
      `The repository already has ${plan.application} version ${plan.version} (the console answered 409)`,
      {
        hint: 'Give another parameters.version, or parameters.replaceVersion: true to replace it.'
      }
    )
  }
  ensureRepositoryOk(response, http.describe(request))
  const answer = decode(
    UploadAnswerSchema,
    response.body,
    `Mule Management Console ${http.describe(request)}`
  )
  directory.forgetRepository()
  log.info(`Uploaded ${plan.application} version ${plan.version}: version id ${answer.versionId}`)
  return {
    versionId: answer.versionId,
    applicationId: answer.applicationId ?? undefined,
    application: plan.application,
    version: plan.version
  }
}
