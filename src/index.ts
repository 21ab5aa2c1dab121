// The signal handlers come first: this entry loads nothing else before them (signals.ts has no imports), and
// the rest of the action, a chunk of its own, only after. A runner's SIGINT while the code still loads is
// remembered and answered with a `canceled` report.
import { processSignals } from './signals.js'
import { loadYamlFor } from './inputs/yaml-library.js'

process.stdout.write('::debug::Enterprise Deploy: stop signals are caught from here on\n')
// The yaml package loads beside the action only when `parameters` or `config` is given (the runner's
// INPUT_<NAME>, as @actions/core reads it); the platform's driver loads when the deployment starts.
const [{ run }] = await Promise.all([
  import('./main.js'),
  loadYamlFor(name => process.env[`INPUT_${name.toUpperCase()}`])
])
await run({ signals: processSignals })
