// @ts-check
/**
 * `npx stryker run stryker.engine.config.mjs --mutate src/engine/poll.ts`: the poll loop and its schedule
 * against the engine's own unit tests only (schedule, poll, interval, wind-down) — a lower bound of the full
 * unit-test score, in minutes instead of an hour (docs/mutation.md).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import base from './stryker.config.mjs'

export default { ...base, jest: { ...base.jest, configFile: 'jest.stryker-engine.config.js' } }
