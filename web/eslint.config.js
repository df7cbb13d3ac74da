import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      // Never build HTML from strings: the DOM helpers set text, not markup.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'use the DOM helpers (src/dom.ts)' },
        { property: 'outerHTML', message: 'use the DOM helpers (src/dom.ts)' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'nothing personal or secret is stored in the browser' },
        { name: 'sessionStorage', message: 'nothing personal or secret is stored in the browser' },
      ],
    },
  },
  {
    // The journeys run in node and hand functions to the page.
    files: ['e2e/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
