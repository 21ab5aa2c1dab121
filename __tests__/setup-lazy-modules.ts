// src/index.ts loads yaml and the platforms' definitions before reading the plan when the inputs need them, and the HTTP client
// loads the XML parser before parsing a body that may be XML (issue 16: both are chunks of their own in
// dist/). Tests that call the parsers directly get both loaded here, as any entry point would. The e2e tests run
// dist/index.js, where nothing is preloaded.
import { loadDefinitions } from '../src/drivers/index.js'
import { loadXmlParser } from '../src/http/body.js'
import { loadConfigLibrary } from '../src/inputs/config-library.js'
import { loadYaml } from '../src/inputs/yaml-library.js'

await loadYaml()
await loadDefinitions()
await loadConfigLibrary()
await loadXmlParser()
