'use strict';
// `npm run lint:js` (part of `npm test`): ESLint's recommended rules, which catch mistakes (an
// undefined or unused name, unreachable code, a duplicate key, a useless escape), plus a few
// more of that kind that the code already passed. No layout rules: the code keeps the layout it
// has (prettier, even at 140 columns with single quotes, replaced 3,380 of its 13,909 lines, in
// 100 of its 105 files, with 7,580).
const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  { ignores: ['pkg/', 'resources/wasm/', 'target/', 'node_modules/'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `catch (e) { … }` without using e is fine; an unused variable or argument is not
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
      'array-callback-return': 'error',
      eqeqeq: ['error', 'smart'],
      'no-caller': 'error',
      'no-constructor-return': 'error',
      'no-eval': 'error',
      'no-extend-native': 'error',
      'no-implied-eval': 'error',
      'no-new-wrappers': 'error',
      'no-restricted-globals': ['error',
        { name: 'isNaN', message: 'isNaN converts its argument: use Number.isNaN' },
        { name: 'isFinite', message: 'isFinite converts its argument: use Number.isFinite' }],
      'no-return-assign': 'error',
      'no-self-compare': 'error',
      'no-sequences': 'error',
      'no-throw-literal': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-unreachable-loop': 'error',
      'no-unused-expressions': 'error',
      'no-var': 'error',
    },
  },
  {
    // functions these tests hand to the browser (page.evaluate, waitForFunction) run in the editor
    files: ['tests/e2e/**/*.js'],
    languageOptions: { globals: { ...globals.browser, RED: 'readonly' } },
  },
  {
    // the playground page, its worker and the editor's preview: ES modules in the browser
    files: ['resources/**/*.js'],
    ignores: ['resources/editor.js', 'resources/bulk-filter.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.browser, ...globals.worker } },
  },
  {
    // the edit dialogs' Preview tab wiring: a classic script in Node-RED's editor
    files: ['resources/editor.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, RED: 'readonly', $: 'readonly' } },
  },
  {
    // the bulk-result classification: a plain script, loaded by core.js (require) and the worker (import)
    files: ['resources/bulk-filter.js'],
    languageOptions: { sourceType: 'script', globals: { module: 'writable', globalThis: 'readonly' } },
  },
];
