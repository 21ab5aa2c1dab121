/** jest 30 + ts-jest in ESM mode; run through `npm test` (node --experimental-vm-modules). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: ['TS151001'] } }
    ]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // the temp folders a test file made are removed when it ends (__tests__/fixtures/temp.ts)
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup/remove-temp.ts'],
  // jest's transform cache, kept out of os.tmpdir() so a test run leaves nothing there
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // a mutation run's sandboxes (npm run mutation) hold a copy of the project
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/.ci/totals-reporter.cjs']
}
