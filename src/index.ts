// The signal handlers come first: this entry loads nothing else before them (signals.ts has no imports), and
// the rest of the action, a chunk of its own, only after. A runner's SIGINT while the code still loads is
// remembered and answered with a `canceled` report.
import { processSignals } from './signals.js'

process.stdout.write('::debug::Enterprise Deploy: stop signals are caught from here on\n')
const { run } = await import('./main.js')
await run({ signals: processSignals })
