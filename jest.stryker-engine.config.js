/** The jest config of stryker.engine.config.mjs: the engine's poll-loop unit tests only. */
import base from './jest.stryker.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/unit/{schedule,poll,interval,wind-down}.test.ts']
}
