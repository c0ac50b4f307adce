/**
 * Two test files at a time: most of a file's time is spent waiting on real timers, servers and
 * child processes, not on the CPU; every file has its own servers, ports and folders.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/temp-dir-environment.ts',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // the CEL library ships ES modules only; jest's CommonJS runtime needs it compiled
    '^.+/node_modules/@marcbachmann/cel-js/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  setupFiles: ['<rootDir>/test/helpers/jest-setup.ts'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/demo/test/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
};
