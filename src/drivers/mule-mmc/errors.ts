import { ensureOk as ensureVendorOk, type RefusalStyle } from '../../http/decode.js'
import type { HttpResponse } from '../../http/client.js'

/**
 * Return codes of the REST API Reference: Deployments (github.com/mulesoft/docs-mule-management-console,
 * modules/ROOT/pages/deployments.adoc). Error bodies are not documented; the console names invalid ids in
 * its message, which is shown as it came.
 */
const HINTS: Record<number, string> = {
  400: 'The console refused the request: a missing field, or a policy that forbids this change. Check parameters.',
  401:
    'Check username and password (HTTP Basic, an MMC user with rights on deployments). On create and add, ' +
    'MMC also answers 401 for an invalid deployment name.',
  402: 'An id in parameters is not valid: servers, clusters and applications take ids (local$…); use serversNames, clusterNames or applicationsNames for names.',
  404: 'No deployment with that id: deployments get a new id on add and remove. Give target as the deployment name, or the id the last step published.',
  405: 'The console does not accept this method here; base-url may point at something other than the console (it should end with its context path, e.g. /mmc).',
  409: 'A deployment with that name already exists; choose another name, or use add/remove on the existing one.',
  500:
    'The console failed on its side; its log (mmc.log) says why. Some MMC endpoints answer 500 instead of 401 ' +
    'to wrong credentials, so check username and password too.'
}

/** The response if it is a success; otherwise an ActionError with the console's message and a hint. */
export function ensureOk(response: HttpResponse, describe: string): HttpResponse {
  // 500 is not a passing fault here: some endpoints answer it to wrong credentials.
  return ensureVendorOk(response, describe, {
    vendor: 'Mule Management Console',
    hints: HINTS,
    transientFrom: 502
  })
}

/**
 * Return codes of `POST /api/repository` and `DELETE /api/repository/{versionId}` (REST API Reference:
 * Repository, repository-of-applications.adoc): 409 name and version exist, 500 no valid file, 501 not a
 * zip file, 502 a policy error. None of them is a passing fault.
 */
const REPOSITORY_STYLE: RefusalStyle = {
  vendor: 'Mule Management Console',
  transientFrom: 600,
  hints: {
    ...HINTS,
    404: 'The repository has no such item (repository-of-applications.adoc: "Error registering the application: Item not found").',
    409: 'The repository already has that application name and version; give another parameters.version, or parameters.replaceVersion: true.',
    500: 'The console could not store the upload ("Specify a valid file to upload / Error while uploading application"); its log (mmc.log) says why.',
    501: 'The console takes only a Mule application archive (.zip) here.',
    502: 'A console policy refused the upload ("Policy error while uploading application").'
  }
}

export function ensureRepositoryOk(response: HttpResponse, describe: string): HttpResponse {
  return ensureVendorOk(response, describe, REPOSITORY_STYLE)
}
