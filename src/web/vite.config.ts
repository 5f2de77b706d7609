// Build of the browser app: src/web → dist/web, served by `packdesk serve`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    // Not emptied first: a running server keeps serving the previous build's hashed files while a new
    // build is written, instead of answering "not built" for a moment.
    emptyOutDir: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:4780' },
  },
});
