// One linter for the whole workspace. Import boundaries encode the architecture in DESIGN.md:
// OCPP stops at the edge, the contract depends on zod only, the web app sees only the cloud's HTTP API.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';

const noVitestOnly = {
  'no-restricted-properties': [
    'error',
    ...['describe', 'it', 'test'].map((object) => ({
      object,
      property: 'only',
      message: 'Do not commit .only.',
    })),
  ],
};

const boundary = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const crossPackageRelative = {
  group: [
    '**/edge-agent/*/src/**',
    '**/cloud/src/**',
    '**/web/src/**',
    '../../contract/**',
    '../../ocpp/**',
    '../ocpp/src/**',
    '../contract/src/**',
  ],
  message: 'Import another package by its name, never by a relative path into its src/.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.data/**',
      'coverage/**',
      'edge-agent/ocpp/src/generated/**',
      'web/src/api/openapi.gen.ts',
      'loadtest/k6/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...vue.configs['flat/recommended'],
  // Formatting belongs to Prettier alone; this turns off the stylistic rules that would fight it.
  prettier,
  {
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use an `as const` object and a derived union.' },
      ],
      'no-console': 'error',
      ...noVitestOnly,
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Test code may poke at loosely typed protocol frames and fakes.
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // CLIs and the stack runner talk to a terminal on purpose.
    files: [
      'infra/scripts/**',
      'infra/stack/**',
      'infra/bench/**',
      'infra/e2e/screenshots.ts',
      '**/cli/**',
      '**/*.cli.ts',
    ],
    rules: { 'no-console': 'off' },
  },
  boundary(
    ['edge-agent/contract/src/**'],
    [{ regex: '^(?!zod$|node:)[^./]', message: 'The contract depends on zod only.' }],
    ['**/*.test.ts'],
  ),
  boundary(
    ['edge-agent/ocpp/src/**'],
    [
      {
        group: ['ws', 'better-sqlite3', '@nats-io/*', 'node:fs', 'node:net', 'node:http', 'pg'],
        message: 'The OCPP package is types, schemas and codecs: no I/O.',
      },
      crossPackageRelative,
    ],
  ),
  boundary(
    ['cloud/**'],
    [
      {
        group: ['@voltmesh/ocpp', '@voltmesh/ocpp/*', 'ocpp-rpc', '@voltmesh/edge-agent'],
        message: 'OCPP stops at the edge: the cloud sees only @voltmesh/contract.',
      },
      crossPackageRelative,
    ],
  ),
  boundary(
    ['web/**'],
    [
      {
        group: ['@voltmesh/*', 'ocpp-rpc', 'pg', '@nats-io/*'],
        message: 'The web app sees only the cloud HTTP/Socket.IO API.',
      },
      crossPackageRelative,
    ],
  ),
  boundary(['edge-agent/src/**', 'edge-agent/test/**', 'loadtest/**', 'infra/**'], [crossPackageRelative]),
);
