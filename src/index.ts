// The signal handlers come first: this entry loads nothing else before them (signals.ts has no imports), and
// the rest of the action, a chunk of its own, only after. A runner's SIGINT while the code still loads is
// remembered and answered with a `canceled` report.
import { processSignals } from './signals.js'

process.stdout.write('::debug::Enterprise Deploy: stop signals are caught from here on\n')
// Beside the action load what its inputs need (the runner's INPUT_<NAME>, as @actions/core reads it): the
// named platform's definition, and yaml only when `parameters` or `config` is given; the driver itself loads
// when the deployment starts.
const [{ run }] = await Promise.all([
  import('./main.js'),
  import('./inputs/lazy-modules.js').then(lazy =>
    lazy.loadForInputs(name => process.env[`INPUT_${name.toUpperCase()}`])
  )
])
await run({ signals: processSignals })
