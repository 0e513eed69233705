// Lint: typescript-eslint's recommended rules, the rules of hooks, and no import cycles.
// `npm run lint` fails on any warning; it runs in `npm run validate` and in .ci/run before the tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'build/',
      'build-*/',
      'data/',
      'data-*/',
      '.tools/',
      '.venv-tools/',
      'coverage/',
      'test-results/',
      'public/build/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names starting with _ are deliberate (ignored parameters, destructured-away fields).
      '@typescript-eslint/no-unused-vars': [
        'warn',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Our control-character regexes are deliberate: they strip or refuse control characters in input.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Tests poke at parsed fixtures freely.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Import cycles make every change in one domain ripple into another: none allowed.
    files: ['app/**/*.{ts,tsx}', 'models/**/*.ts', 'server.ts', 'server-security.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // One store per collection (docs/decisions/051): only a store module queries its model; the rest
    // of the app calls the store's named functions and uses its record types.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*-store.server.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~models/*', '**/models/*'],
              message: 'Query a collection through its store (app/modules/<domain>/<record>-store.server.ts).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
