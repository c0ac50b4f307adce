// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O packages,
// no non-workflow Temporal packages. Floating promises are errors everywhere.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

const sandbox = {
  paths: [
    ...nodeBuiltins
      .flatMap((m) => [m, `node:${m}`])
      .map((name) => ({ name, message: 'workflow code is deterministic: no Node built-ins' })),
    ...['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing', 'pino', 'yaml'].map(
      (name) => ({ name, message: 'not allowed in the workflow sandbox' }),
    ),
  ],
  patterns: [
    {
      group: ['../activities/*', '!../activities'],
      message: 'workflows import activity types only, from ../activities',
    },
  ],
};
// Every patch is registered in workflows/patches.ts, with its reason and when it can go.
const onlyRegisteredPatches = {
  name: '@temporalio/workflow',
  importNames: ['patched', 'deprecatePatch'],
  message: 'register the patch in workflows/patches.ts and call patchedFix / deprecatedFix from there',
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'dist/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { ...sandbox, paths: [...sandbox.paths, onlyRegisteredPatches] }],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' },
        { name: 'setInterval', message: 'use sleep() in a loop' },
      ],
    },
  },
  {
    // the registry itself
    files: ['workflows/patches.ts'],
    rules: { 'no-restricted-imports': ['error', sandbox] },
  },
);
