// ESLint 9 flat config: typescript-eslint's type-aware recommended rules over everything the
// project runs (src/, test/, bench/, scripts/, bin/) and the console's browser JavaScript.
// Type information comes from tsconfig.eslint.json (Node code) and tsconfig.console.json (the
// browser code, which `tsc -p tsconfig.console.json` also type-checks in `npm run lint`).
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // examples/ is a user's project (its own package import, no tsconfig here); it runs as tests in npm test.
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'examples/**'] },
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.eslint.json', './tsconfig.console.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // node:test's describe/it return promises the runner itself awaits; every other call stays checked.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // Several interfaces are async (a handler's run, the SQL port's query) and some of their
      // implementations are synchronous (better-sqlite3); an `async` without `await` is how they comply.
      '@typescript-eslint/require-await': 'off',
      // An AbortSignal's `reason` is typed `any` but is the Error (or DOMException) the aborter chose.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `_name` marks a parameter an interface requires but this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Plain JavaScript has no declared types, so every value is `any`: the no-unsafe-* rules would
    // flag each line of it without finding anything. The promise and correctness rules still apply.
    files: ['**/*.js', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests read response bodies as `any` on purpose (test/support's `Res.body`): the assertions
    // are what checks their shape, so the no-unsafe-* rules only restate that choice.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // @peculiar/x509 types its keys with the DOM's CryptoKey, which this Node build (lib ES2023)
    // does not declare, so its key types resolve to the error type: the casts to them look unsafe
    // and unnecessary to these two rules, but they document what @peculiar/x509 expects.
    files: ['src/tls/dev-certificates.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unnecessary-type-assertion': 'off' },
  },
  {
    // The benchmark processes' async message/exit handlers catch their own errors.
    files: ['bench/**/*.mjs'],
    rules: { '@typescript-eslint/no-misused-promises': 'off' },
  },
  {
    files: ['src/console/static/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
