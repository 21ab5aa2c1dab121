#!/usr/bin/env node
// `enterprise-deploy`, the command line. As in the action's entry (src/index.ts), the signal handlers come
// first: this entry loads nothing else before them, and the rest, a chunk of its own, only after.
import { processSignals } from '../signals.js'

const { cli } = await import('./main.js')
process.exitCode = await cli({
  argv: process.argv.slice(2),
  env: process.env,
  signals: processSignals,
  stdout: process.stdout,
  stderr: process.stderr
})
