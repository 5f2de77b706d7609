import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layering, layersPlugin } from './eslint/layers.js';

// Node's globals for the plain-JavaScript scripts (bin, test fixtures run as child processes).
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'structuredClone',
    'Buffer',
    'URL',
    'performance',
  ].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'packdesk-data/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.mjs', '**/*.js'], languageOptions: { globals: nodeGlobals } },
  // DESIGN §2's layering; the table and its named exceptions are in eslint/layers.js. The Vite config
  // is the browser app's build tool, run by Node, not part of the app.
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/web/vite.config.ts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': ['error', layering] },
  },
);
