// @ts-check
/**
 * `npm run mutation`: StrykerJS mutation testing of the engine, the HTTP client, the redactor and the inputs.
 * One file: `npm run mutation -- --mutate src/http/retry.ts`. Only the unit tests carry the score
 * (jest.stryker.config.js); targets per file are checked by scripts/mutation-targets.ts from the JSON report.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings'],
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/engine/**/*.ts',
    'src/http/**/*.ts',
    'src/secrets.ts',
    'src/secrets/**/*.ts',
    'src/inputs/**/*.ts'
  ],
  ignorePatterns: ['dist', 'coverage', 'reports', 'docs', '.github', '.stryker-tmp*'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  timeoutMS: 5000,
  // the per-file targets are enforced by scripts/mutation-targets.ts; `break` is the floor for the whole run
  thresholds: { high: 90, low: 85, break: null }
}
