/** The jest config StrykerJS uses: the unit tests only — hardening and e2e tests do not carry the score. */
import base from './jest.config.js'

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
  reporters: ['default']
}
