import { createReadStream } from 'node:fs'
import type { Artifact } from '../upload/artifacts.js'
import { multipartBody, type MultipartBody } from '../upload/multipart.js'

/** What a deployable is, by its file: each kind has its own endpoint in IBM's admin REST reference. */
export type DeployableKind = 'adapter' | 'application' | 'archive'

export interface DeployRequestPlan {
  kind: DeployableKind
  /** Below `…/runtimes/{runtime}`. */
  path: string
  body: MultipartBody
}

/**
 * The endpoint IBM documents for each kind (MobileFirst Foundation 8.0 administration REST API,
 * https://mobilefirstplatform.ibmcloud.com/api-ref/rest-admin-api-docs/html/refrest-admin-service-api-docs/html/):
 * - `.adapter` → Adapter (POST) `…/runtimes/{runtime}/adapters`, multipart/form-data (r_restapi_adapter_post;
 *   the 8.0 `mfpadm deploy adapter mfp MyAdapter.adapter` command "is based on the Adapter (POST) REST service",
 *   r_wladm_program_adapter_commands). The multipart field name is ASSUMED `file`, as for deploy/multi.
 * - `.json` (an application descriptor, `application-descriptor.json`) → Application (POST)
 *   `…/runtimes/{runtime}/applications`, which consumes application/json: the descriptor itself is the body
 *   (r_restapi_application_post).
 * - anything else (an export archive `.zip`) → Deploy (POST) `…/runtimes/{runtime}/deploy/multi`,
 *   multipart/form-data (r_restapi_deploy_post; IBM's example `curl -X POST -u admin:admin -F
 *   file=@./export.zip …/runtimes/mfp/deploy/multi`). One archive per request: posting several raw files to
 *   deploy/multi is shown nowhere.
 * Every one of them takes `async` and `locale` and answers `{ok, productVersion, transaction}`.
 */
export function planDeploy(artifact: Artifact): DeployRequestPlan {
  const name = artifact.name.toLowerCase()
  if (name.endsWith('.adapter')) {
    return { kind: 'adapter', path: '/adapters', body: filePart(artifact) }
  }
  if (name.endsWith('.json')) {
    return { kind: 'application', path: '/applications', body: jsonFile(artifact) }
  }
  return { kind: 'archive', path: '/deploy/multi', body: filePart(artifact) }
}

function filePart(artifact: Artifact): MultipartBody {
  return multipartBody([{ field: 'file', filename: artifact.name, path: artifact.path, size: artifact.size }])
}

/** The descriptor streamed from disk as the request body. */
function jsonFile(artifact: Artifact): MultipartBody {
  return {
    contentType: 'application/json',
    length: artifact.size,
    open: () => createReadStream(artifact.path)
  }
}
