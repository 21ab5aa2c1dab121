// The runner emulation lives beside the demo, which uses it too.
export * from '../../scripts/run-action.js'
