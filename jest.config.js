// One Jest run for the whole suite (the test command, scripts/test.sh, starts the services first):
//   test/unit       pure modules, no services
//   test/workflows  workflows on the time-skipping test server, real activities on Postgres/Redis
//   test/e2e        api + worker over HTTP on a real Temporal dev server, Postgres and Redis
//   test/replay     recorded histories replayed against the current workflow code
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  testTimeout: 120_000,
  // Suites share one Postgres, Redis and Temporal; run them one after another on this 2-core box.
  maxWorkers: 1,
};
