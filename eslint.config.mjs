// Lint rules the compiler cannot express. The fence around src/policy keeps the rulebook pure:
// it must run the same in the bot, the CLI, a test or another service, with time passed in.
// The layering is fenced too: no import cycles, Redis only in src/storage, and the Bot
// Framework kept out of the rulebook and the case model, so its successor could replace it.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const frameworkImports = [
  { group: ['node:*'], message: 'src/policy is pure: no Node built-ins. Pass what you need in as an argument.' },
  { group: ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'process'], message: 'src/policy is pure: no I/O.' },
  {
    group: ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*', 'ioredis', 'chrono-node', '@microsoft/*'],
    message: 'src/policy has no framework imports; adapters live at the edge.',
  },
];

/** What the widget's scripts may use of the browser without declaring it. */
const browserGlobals = Object.fromEntries(['window', 'document', 'fetch', 'Promise', 'URL'].map((name) => [name, 'readonly']));

export default tseslint.config(
  // Compiled and configuration JavaScript is not linted; the widget's browser scripts are.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs', '!src/web/public/*.js', '!src/web/public/tab/*.js'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Prettier wraps code at 160; long words it cannot break (strings, comments) are split by hand.
      'max-len': ['error', { code: 160, ignoreRegExpLiterals: true, ignoreUrls: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through the one zod config (src/config), not process.env.',
        },
      ],
    },
  },
  {
    // The widget's scripts run as they are in the person's browser, with no build step: classic
    // scripts in ES5 syntax (so an old browser reaches their feature checks instead of failing to
    // parse them), seeing only the browser's globals and what start.js leaves on window.
    files: ['src/web/public/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 5, sourceType: 'script', globals: browserGlobals },
    rules: {
      'max-len': ['error', { code: 160, ignoreRegExpLiterals: true, ignoreUrls: true }],
      // ES5 has no catch without a binding, so a caught error that is not needed still has a name.
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
    },
  },
  {
    // The staff tab runs only inside Teams (its desktop app, or a current browser), so it may use
    // today's JavaScript; still a classic script with no build step, seeing the browser's globals
    // and teams-js's one.
    files: ['src/web/public/tab/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: Object.fromEntries(
        [...Object.keys(browserGlobals), 'microsoftTeams', 'crypto', 'URLSearchParams', 'FormData', 'getComputedStyle', 'Intl', 'Blob', 'setTimeout'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
    rules: { 'max-len': ['error', { code: 160, ignoreRegExpLiterals: true, ignoreUrls: true }] },
  },
  {
    // No module may import, however indirectly, one that imports it back.
    files: ['src/**/*.ts', 'dialogs/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Redis is spoken to in one folder; everything else, the scripts and the benchmark included,
    // goes through the stores' ports or the storage folder's own helpers. Three benchmark files are
    // let off by name: they run a redis-server of their own and drive it directly (INFO, SLOWLOG,
    // pipelines of a million lodgings) to measure Redis itself, with client options (no command
    // timeout, an offline queue) the product's connection deliberately does not have.
    files: ['src/**/*.ts', 'dialogs/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/storage/**/*.ts', 'bench/redis-server.ts', 'bench/due-queries.ts', 'bench/due-sweep.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['ioredis', 'ioredis/*'], message: 'Only src/storage talks to Redis; use a store port.' }] }],
    },
  },
  {
    // The case model and its transitions know nothing of the Bot Framework.
    files: ['src/cases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ioredis', 'ioredis/*'], message: 'Only src/storage talks to Redis; use a store port.' },
            {
              group: ['botbuilder', 'botbuilder-*', 'botframework-*', 'restify', 'restify-*'],
              message: 'src/cases has no framework imports: the Bot Framework stays at the edge.',
            },
          ],
        },
      ],
    },
  },
  {
    // The configuration module is the one place allowed to read the environment.
    files: ['src/config/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: frameworkImports }],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/policy is pure: no process access.' },
        { name: 'setTimeout', message: 'src/policy is pure: no timers.' },
        { name: 'fetch', message: 'src/policy is pure: no I/O.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'No clock reads in src/policy: take the time as an argument.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'No clock reads in src/policy: take the time as an argument.' },
        { selector: "CallExpression[callee.object.name='performance']", message: 'No clock reads in src/policy.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'src/policy is deterministic: no randomness.' },
      ],
    },
  },
  {
    // Tests, scripts and benchmarks may read the environment (TZ, REDIS_URL for the harness).
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests deliberately break raw JSON definitions and read raw CLI output, which have no type.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
