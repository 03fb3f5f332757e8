/**
 * `npm run console:screenshots`: writes docs/console/*.png from a real Herald and Chromium. Not part of `npm test`
 * (its file does not end in .test.ts); it starts the same real parts as the tests.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/screenshots/*.screenshots.ts'],
  testTimeout: 120_000,
  forceExit: true,
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
};
