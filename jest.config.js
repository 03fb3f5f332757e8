/** @type {import('jest').Config} */
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // packages/sdk imports its own files as ./x.js, as ES modules must; the source is ./x.ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

module.exports = {
  testTimeout: 60_000,
  // Most suites spend their time waiting on their Herald, its peers and their timers, not computing: on two cores,
  // two suites at once take about two thirds of the time of one at a time (jest's default there is one). More than
  // two starve the suites that measure time (a breaker's cool-down, a sendAt a few seconds ahead) of the CPU.
  maxWorkers: 2,
  // A suite that leaks a handle after a failure must fail the run, not hang it until CI's time limit.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],

    },
  ],
};
