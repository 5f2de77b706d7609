// The layering of DESIGN §2 is enforced by `npm run lint`: an import that points the wrong way fails
// the lint with a message that names both files, and the real tree has no such import beyond the
// named exceptions in eslint/layers.js (each of which must still be needed, or it goes).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { layering } from '../eslint/layers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RULE = 'layers/imports';

/** Lints `code` with the project's own eslint.config.js as if it were the file at `file`. */
async function layerErrors(file: string, code: string, overrideConfig?: ESLint.Options['overrideConfig']) {
  const eslint = new ESLint({ cwd: repo, overrideConfig });
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('the layering lint rule', () => {
  const wrongWay: Array<{ file: string; code: string; says: RegExp }> = [
    {
      file: 'src/domain/fixture.ts',
      code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
      says: /src\/domain\/fixture\.ts \(domain\) may not import node:fs: the domain is pure logic/,
    },
    {
      file: 'src/domain/fixture.ts',
      code: "import { spawn } from 'child_process';\nexport const f = spawn;\n",
      says: /may not import node:child_process/,
    },
    {
      file: 'src/domain/fixture.ts',
      code: "export * from '../store/journal.js';\n",
      says: /may not import src\/store\/journal\.ts \(store\)/,
    },
    {
      file: 'src/domain/fixture.ts',
      code: "export type Layout = import('../store/layout.js').ListPaths;\n",
      says: /may not import src\/store\/layout\.ts \(store\)/,
    },
    {
      file: 'src/store/lease/fixture.ts',
      code: "import { ListLease } from '../../app/open-list.js';\nexport const l = ListLease;\n",
      says: /src\/store\/lease\/fixture\.ts \(store\) may not import src\/app\/open-list\.ts \(app\): the store imports the domain only/,
    },
    {
      file: 'src/app/fixture.ts',
      code: "export { startServer } from '../server/server.js';\n",
      says: /\(app\) may not import src\/server\/server\.ts \(server\)/,
    },
    {
      file: 'src/server/routes/fixture.ts',
      code: "export async function f() {\n  return import('../../store/journal.js');\n}\n",
      says: /\(server\) may not import src\/store\/journal\.ts \(store\): the server reaches the share through use cases/,
    },
    {
      file: 'src/cli/commands/fixture.ts',
      code: "export async function f() {\n  const { listSessionIndex } = await import('../../store/session-index.js');\n  return listSessionIndex;\n}\n",
      says: /\(cli\) may not import src\/store\/session-index\.ts \(store\)/,
    },
    {
      // Only `packdesk serve` may start the server.
      file: 'src/cli/commands/pack.ts',
      code: "import { startServer } from '../../server/server.js';\nexport const s = startServer;\n",
      says: /src\/cli\/commands\/pack\.ts \(cli\) may not import src\/server\/server\.ts \(server\)/,
    },
    {
      file: 'src/web/pages/fixture.tsx',
      code: "import { listSessions } from '../../app/sessions.js';\nexport const l = listSessions;\n",
      says: /\(web\) may not import src\/app\/sessions\.ts \(app\): the browser app talks to the HTTP API only/,
    },
    {
      file: 'src/web/fixture.ts',
      code: "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n",
      says: /\(web\) may not import node:fs\/promises/,
    },
    {
      // The API contract is for the browser too: nothing of the server, the store or Node.
      file: 'src/contract/fixture.ts',
      code: "import type { ServerContext } from '../server/context.js';\nexport type C = ServerContext;\n",
      says: /src\/contract\/fixture\.ts \(contract\) may not import src\/server\/context\.ts \(server\): the API contract is schemas over the domain/,
    },
    {
      file: 'src/contract/fixture.ts',
      code: "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n",
      says: /\(contract\) may not import node:fs\/promises/,
    },
    {
      // The web takes API shapes from the contract, never from the server that sends them.
      file: 'src/web/fixture.ts',
      code: "export type { StationState } from '../server/stations.js';\n",
      says: /\(web\) may not import src\/server\/stations\.ts \(server\)/,
    },
    {
      // The domain sits below the contract.
      file: 'src/domain/fixture.ts',
      code: "import { LiveEventSchema } from '../contract/live-events.js';\nexport const l = LiveEventSchema;\n",
      says: /\(domain\) may not import src\/contract\/live-events\.ts \(contract\)/,
    },
    {
      file: 'src/app/fixture.ts',
      code: "import pkg from '../../package.json';\nexport const p = pkg;\n",
      says: /imports package\.json, which lies outside the layers of src\//,
    },
  ];

  it.each(wrongWay)('fails $file importing the wrong way: $says', async ({ file, code, says }) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(says);
  });

  it('lets imports that follow the layering through', async () => {
    expect(
      await layerErrors(
        'src/app/fixture.ts',
        "import { ValidationError } from '../domain/errors.js';\nimport { sessionPaths } from '../store/layout.js';\nimport { readFile } from 'node:fs/promises';\nexport const x = [ValidationError, sessionPaths, readFile];\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/cli/commands/serve.ts',
        "export async function f() {\n  return import('../../server/server.js');\n}\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/web/pages/fixture.tsx',
        "import { useState } from 'preact/hooks';\nimport { isPauseWord } from '../../domain/station-keys.js';\nexport const x = [useState, isPauseWord];\n",
      ),
    ).toEqual([]);
    for (const file of ['src/web/fixture.ts', 'src/server/fixture.ts', 'src/cli/fixture.ts'])
      expect(
        await layerErrors(
          file,
          "import { StationStateSchema } from '../contract/station.js';\nexport const s = StationStateSchema;\n",
        ),
      ).toEqual([]);
  });

  it('finds no wrong-way import in the real tree', async () => {
    const results = await new ESLint({ cwd: repo }).lintFiles(['src']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => m.message));
    expect(errors).toEqual([]);
  }, 180_000);

  it('needs every named exception: each covers an import the tree still has, and nothing else', async () => {
    const withoutExceptions = new ESLint({
      cwd: repo,
      overrideConfig: {
        files: ['src/**/*.ts', 'src/**/*.tsx'],
        ignores: ['src/web/vite.config.ts'],
        rules: { [RULE]: ['error', { ...layering, exceptions: [] }] },
      },
    });
    const results = await withoutExceptions.lintFiles(['src']);
    const found = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === RULE)
        .map((m) => ({
          from: path.relative(repo, r.filePath).split(path.sep).join('/'),
          message: m.message,
        })),
    );
    // Each excepted import shows up once the exceptions are lifted, and nothing else does.
    expect([...new Set(found.map((f) => f.from))].sort()).toEqual(
      [...new Set(layering.exceptions.map((e) => e.from))].sort(),
    );
    for (const exception of layering.exceptions) {
      expect(found.find((f) => f.from === exception.from)?.message).toContain(exception.to);
    }
  }, 180_000);
});
