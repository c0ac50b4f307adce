/** Every test file that starts a Temporal server or demo service runs serially (2 cores). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['<rootDir>/test/helpers/jest-setup.ts'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/demo/test/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
