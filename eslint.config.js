/**
 * ESLint for the TypeScript sources (`npm run lint`, with dependency-cruiser for the layer rules and Prettier
 * for formatting). typescript-eslint's type-checked recommended rules: they catch what costs in a server —
 * promises nobody awaits, `any` leaking out of JSON, always-true conditions — without style opinions
 * (Prettier owns style). Rules turned off or tuned below say why.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.tap/', 'coverage/', 'dashboards/assets/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a value left out on purpose (`const { title: _title, ...rest } = spec`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Type-only imports are written `import type` (verbatimModuleSyntax needs it; this keeps it uniform).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Fastify hooks and handlers are `async` by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // Numbers and booleans in messages are what users read (`${count} rows`); objects still are errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `rows[0]!` is written on purpose where an index is known to be in range (tsconfig has no
      // noUncheckedIndexedAccess, so the rule calls every such `!` unnecessary and would strip them all).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Rethrowing what a library handed back as `unknown` (a migration's error, a parser's failure) is fine.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      // Misfires on data properties named like methods (`fit.forecast.method`) and on `t.type(m.up, 'function')`;
      // the code never calls a method detached from its object.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Domain errors carry no HTTP status: only plugins and routes may raise an ApiError (server/errors.ts).
    files: ['server/domain/**', 'server/repositories/**', 'server/services/**', 'server/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/errors.ts'],
              importNames: ['ApiError'],
              message: 'Throw a domain error (NotFoundError, UnprocessableError…); the error handler picks the status.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read untyped JSON answers all the time (`res.json().error.details`): the unsafe-any
    // rules would ask for a cast on every assertion without catching anything.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // tap's `t.test(...)` returns a promise tap itself awaits.
      '@typescript-eslint/no-floating-promises': 'off',
      // Timers and event handlers in tests run async steps on purpose; a rejection there still fails the test.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      // Reference values are copied digit for digit from the published sources, even past double precision.
      'no-loss-of-precision': 'off',
    },
  },
  {
    // A test file's `t` is test/helpers/tap.ts's: in a shard (several files in one process) it is the file's own
    // subtest, so the file's teardowns run when it ends; tap's root `t` would hold them to the process's end.
    files: ['test/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'tap',
              importNames: ['default', 't'],
              message:
                'Import t from test/helpers/tap.ts (a shard runs several files in one process: docs/testing.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript configuration files are not part of the TypeScript program.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
