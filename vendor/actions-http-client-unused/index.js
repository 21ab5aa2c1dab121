// @actions/core 3 imports @actions/http-client (and through it node:https, node:tls, tunnel and assert) at
// its top only for OidcClient, behind core.getIDToken(). Enterprise Deploy never asks for an OIDC token, so
// @actions/core's copy gets this stand-in; the action's own requests use node:http (src/http/send.ts), and a
// proxy's tunnelling agent comes from the real @actions/http-client, this package's own dependency.
const unused = () =>
  new Error(
    '@actions/http-client is not bundled with @actions/core in Enterprise Deploy: getIDToken() is not supported (see vendor/actions-http-client-unused)'
  )

export class HttpClient {
  constructor() {
    throw unused()
  }
}

export class BearerCredentialHandler {
  constructor() {
    throw unused()
  }
}
