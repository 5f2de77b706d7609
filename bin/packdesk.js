#!/usr/bin/env node
// The package's bin: runs the compiled CLI (npm install builds it through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write(
    'packdesk is not built yet: run `npm install` (or `npm run build`) in the checkout first.\n',
  );
  process.exit(2);
}
await import(compiled.href);
