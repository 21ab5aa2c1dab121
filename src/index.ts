// First: the signal handlers are in place before any other module is evaluated.
import { processSignals } from './signals.js'
import { run } from './main.js'

await run({ signals: processSignals })
