/**
 * The jest config StrykerJS uses: the unit tests only — hardening and e2e tests do not carry the score.
 * `MUTATION_TESTS=__tests__/unit/a.test.ts,__tests__/unit/b.test.ts` narrows them further, to measure a file
 * against its own tests alone (stricter, and cheaper: a mutant run loads only those files).
 */
import base from './jest.config.js'

const only = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map(path => path.trim())
  .filter(Boolean)

export default {
  ...base,
  testMatch:
    only.length > 0 ? only.map(path => `<rootDir>/${path}`) : ['<rootDir>/__tests__/unit/**/*.test.ts'],
  reporters: ['default']
}
