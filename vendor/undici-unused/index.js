// @actions/http-client 4 imports undici at its top only for `new ProxyAgent()` in getAgentDispatcher(), the
// dispatcher for fetch. Enterprise Deploy never calls it: src/http/client.ts uses HttpClient.request (node:http,
// proxies through tunnel) and @actions/core only its OIDC client (also HttpClient.request). Bundling the real
// undici for it doubled the main chunk and its load time. @actions/github, which does call it, keeps its own
// @actions/http-client 3 and the real undici, in the chunk loaded only when github-deployment is used.
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled with @actions/http-client 4 in Enterprise Deploy: getAgentDispatcher() is not supported (see vendor/undici-unused)'
    )
  }
}
