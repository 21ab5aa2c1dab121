import type { DriverDefinition } from '../drivers/driver.js'
import type { Auth } from '../http/client.js'
import type { Deployment } from '../inputs/schema.js'

/** The HTTP authentication a platform uses, built from the deployment's credentials. */
export function authFor(definition: DriverDefinition, deployment: Deployment): Auth {
  const { token, username, password } = deployment.credentials
  if (definition.credentials === 'basic')
    return { kind: 'basic', username: username ?? '', password: password ?? '' }
  return definition.tokenPlacement === 'query'
    ? { kind: 'token-query', parameter: 'token', token: token ?? '' }
    : { kind: 'token-header', scheme: definition.tokenScheme ?? 'Bearer', token: token ?? '' }
}
