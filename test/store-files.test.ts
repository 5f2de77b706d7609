import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFileExclusive, replaceFileAtomic, writeNewFile } from '../src/store/atomic-file.js';
import { BACKUPS_KEPT, listBackups, writeBackup } from '../src/store/backups.js';
import { readJsonFile } from '../src/store/json-file.js';
import { withTransientRetry } from '../src/store/fs-retry.js';
import { discardContent, jsonChunks, readAhead } from '../src/store/file-content.js';
import { xlsxStream } from '../src/store/xlsx-writer.js';
import type { StoredList } from '../src/store/sessions.js';
import { tempDir } from './helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const Doc = z.object({ name: z.string(), count: z.number() });

describe('atomic replace', () => {
  it('replaces the whole file and leaves no temp files behind', async () => {
    const file = path.join(dir, 'doc.json');
    await replaceFileAtomic(file, '{"name":"a","count":1}');
    await replaceFileAtomic(file, '{"name":"b","count":2}');
    expect(await fs.readFile(file, 'utf8')).toBe('{"name":"b","count":2}');
    expect(await fs.readdir(dir)).toEqual(['doc.json']);
  });

  it('never lets a reader see a torn file while a writer replaces it', async () => {
    const file = path.join(dir, 'doc.json');
    const big = (n: number) => JSON.stringify({ name: 'x'.repeat(50_000 + n), count: n });
    await replaceFileAtomic(file, big(0));
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        JSON.parse(await fs.readFile(file, 'utf8'));
        reads++;
      }
    })();
    for (let i = 1; i <= 100; i++) await replaceFileAtomic(file, big(i));
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).count).toBe(100);
  });

  it('reports a folder that does not exist as a storage error a person can act on', async () => {
    await expect(replaceFileAtomic(path.join(dir, 'missing', 'doc.json'), '{}')).rejects.toMatchObject({
      code: 'STORAGE',
      message: expect.stringContaining('does not exist'),
    });
  });
});

describe('exclusive create', () => {
  it('lets exactly one of many concurrent creators win', async () => {
    const file = path.join(dir, 'claim');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => createFileExclusive(file, `writer ${i}`)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await fs.readdir(dir)).toEqual(['claim']);
  });

  it('never lets a reader see the new file half written', async () => {
    const big = (n: number) => JSON.stringify({ name: 'x'.repeat(200_000 + n), count: n });
    let seen = 0;
    for (let n = 0; n < 20; n++) {
      const file = path.join(dir, `record-${n}.json`);
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const text = await fs.readFile(file, 'utf8').catch(() => null);
          if (text === null) continue;
          expect(JSON.parse(text).count).toBe(n);
          seen++;
        }
      })();
      await createFileExclusive(file, big(n));
      writing = false;
      await reader;
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('writing a new file', () => {
  it('puts the whole content under the name at once and leaves no temp file, also when the write fails', async () => {
    const file = path.join(dir, 'seal.json');
    await writeNewFile(file, '{"name":"a","count":1}');
    expect(await fs.readFile(file, 'utf8')).toBe('{"name":"a","count":1}');
    const failing = (function* () {
      yield Buffer.from('{"name":');
      throw new Error('the content could not be made');
    })();
    await expect(writeNewFile(path.join(dir, 'other.json'), failing)).rejects.toThrow(/could not be made/);
    expect(await fs.readdir(dir)).toEqual(['seal.json']);
  });

  it('writes text and byte chunks, made or arriving while it writes, as the same bytes in order', async () => {
    // Texts are encoded through one reused buffer: a long one (past it), non-ASCII ones and bytes
    // between them must come out exactly as one string would have.
    const long = `${'Ω€x'.repeat(200_000)}end`;
    const parts: Array<string | Uint8Array> = [
      '{"a":"Артикул 07",',
      Buffer.from('"b":1,'),
      '"c":"',
      long,
      '"}',
    ];
    const made = path.join(dir, 'made.json');
    await writeNewFile(made, parts.values());
    const arriving = path.join(dir, 'arriving.json');
    await writeNewFile(
      arriving,
      (async function* () {
        for (const p of parts) yield await Promise.resolve(p);
      })(),
    );
    const expected = parts.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString())).join('');
    expect(await fs.readFile(made, 'utf8')).toBe(expected);
    expect(await fs.readFile(arriving, 'utf8')).toBe(expected);
  });

  it('writes many small texts, gathered into larger writes, as the same bytes in order', async () => {
    // Thousands of pieces fill the reused buffer many times over; multi-byte ones end near its edge.
    const parts: Array<string | Uint8Array> = [];
    for (let i = 0; i < 20_000; i++) {
      parts.push(i % 3 === 0 ? `Артикул ${i}€,` : `"sku-${i}",`);
      if (i % 5_000 === 0) parts.push(Buffer.from(`<bytes ${i}>`));
    }
    const file = path.join(dir, 'many.json');
    await writeNewFile(file, parts.values());
    const expected = parts.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString())).join('');
    expect(await fs.readFile(file, 'utf8')).toBe(expected);
  });

  it('writes a document whose array is made a piece at a time as JSON.stringify of the whole', async () => {
    // Items from a few bytes to 200 KB: each piece is sized from the last one's items.
    const orders = Array.from({ length: 3_000 }, (_, i) => ({
      n: i,
      note: i % 700 === 0 ? 'x'.repeat(200_000) : i % 7 === 0 ? 'Ω'.repeat(i % 300) : '',
    }));
    // Another long array (made in pieces too), a short one and a field JSON leaves out.
    const skus = Array.from({ length: 1_000 }, (_, i) => ({ sku: `S-${i}`, name: 'Ω'.repeat(i % 50) }));
    const doc = { version: 3, name: 'Speedy', skus, tags: ['a'], gone: undefined, orders };
    const pieces = [...jsonChunks(doc, 'orders')];
    expect(pieces.join('')).toBe(JSON.stringify(doc));
    // The encoded form of each item is what is written.
    const encoded = [...jsonChunks(doc, 'orders', (o, i) => [i, o.n * 2])].join('');
    expect(JSON.parse(encoded)).toEqual({
      version: 3,
      name: 'Speedy',
      skus,
      tags: ['a'],
      orders: orders.map((o, i) => [i, o.n * 2]),
    });
    // Pieces stay small enough to die young: only one holding a 200 KB item is larger.
    const big = pieces.filter((p) => p.length > 128 * 1024);
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((p) => p.includes('x'.repeat(200_000)))).toBe(true);
    // Items of 1 KB each (an order with many lines) make pieces of fewer items, not larger pieces.
    const wide = { orders: Array.from({ length: 2_000 }, (_, i) => ({ n: i, lines: 'l'.repeat(1_000) })) };
    const widePieces = [...jsonChunks(wide, 'orders')];
    expect(widePieces.join('')).toBe(JSON.stringify(wide));
    expect(Math.max(...widePieces.map((p) => p.length))).toBeLessThanOrEqual(128 * 1024);
    expect(await writeNewFile(path.join(dir, 'doc.json'), jsonChunks(doc, 'orders'))).toBeUndefined();
    expect(await fs.readFile(path.join(dir, 'doc.json'), 'utf8')).toBe(JSON.stringify(doc));
  });
});

describe('transient retry', () => {
  it('retries EPERM/EBUSY (Windows rename while another program has the file open) and then succeeds', async () => {
    let attempts = 0;
    const result = await withTransientRetry(async () => {
      attempts++;
      if (attempts < 3) throw Object.assign(new Error('busy'), { code: attempts === 1 ? 'EPERM' : 'EBUSY' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toBe(3);
  });

  it('gives up within its budget and does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      withTransientRetry(async () => {
        attempts++;
        throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      }),
    ).rejects.toThrow('nope');
    expect(attempts).toBe(1);
    const started = Date.now();
    await expect(
      withTransientRetry(
        async () => {
          throw Object.assign(new Error('locked'), { code: 'EBUSY' });
        },
        { budgetMs: 200 },
      ),
    ).rejects.toThrow('locked');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('backups', () => {
  it('keeps the newest 10 with unique names even for many saves within one second', async () => {
    const backups = path.join(dir, 'backups');
    for (let i = 0; i < 25; i++)
      await writeBackup(backups, 'config', JSON.stringify({ name: 'v', count: i }));
    const kept = await listBackups(backups, 'config');
    expect(kept).toHaveLength(BACKUPS_KEPT);
    const counts = await Promise.all(kept.map(async (f) => JSON.parse(await fs.readFile(f, 'utf8')).count));
    expect(new Set(counts).size).toBe(BACKUPS_KEPT);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(15);
  });
});

describe('validated JSON reads', () => {
  const backups = () => ({ dir: path.join(dir, 'backups'), stem: 'doc' });

  it.each([
    ['empty', ''],
    ['torn', '{"name":"b","cou'],
    ['wrong shape', '{"name":"b"}'],
  ])(
    'never reads a %s file as "no data": it falls back to the newest good backup and says so',
    async (_label, text) => {
      const file = path.join(dir, 'doc.json');
      await writeBackup(backups().dir, 'doc', '{"name":"older","count":1}');
      await writeBackup(backups().dir, 'doc', '{"name":"good","count":2}');
      await writeBackup(backups().dir, 'doc', '{"name":"bad-backup"');
      await fs.writeFile(file, text);
      const read = await readJsonFile(file, Doc, { what: 'The document', backups: backups() });
      expect(read.value).toEqual({ name: 'good', count: 2 });
      expect(read.recoveredFrom?.problem).toBeTruthy();
    },
  );

  it('stops with a clear error when neither the file nor any backup is usable', async () => {
    const file = path.join(dir, 'doc.json');
    await fs.writeFile(file, '');
    await expect(readJsonFile(file, Doc, { what: 'The document', backups: backups() })).rejects.toMatchObject(
      {
        code: 'CORRUPT',
        message: expect.stringMatching(/The document is damaged \(the file is empty\)/),
      },
    );
  });

  it('reports a missing file as not found', async () => {
    await expect(
      readJsonFile(path.join(dir, 'none.json'), Doc, { what: 'The document' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('a new session folder', () => {
  it('appears whole or not at all: a file that fails while others are written leaves no folder and no temp file', async () => {
    const { Layout } = await import('../src/store/layout.js');
    const { createSessionFolder } = await import('../src/store/sessions.js');
    const layout = new Layout(dir);
    let piecesWritten = 0;
    // The analysis fails half-way through its file, while the big list is still being written beside it.
    function* failingAnalysis(): Generator<Uint8Array> {
      yield Buffer.from('{"orders":[');
      throw new Error('the analysis could not be made');
    }
    function* bigList(): Generator<Uint8Array> {
      for (let i = 0; i < 200; i++) {
        piecesWritten++;
        yield Buffer.from(`${'x'.repeat(64 * 1024)}\n`);
      }
    }
    const err = await createSessionFolder(
      layout,
      'SHOP',
      { station: 'LEAD-PC', worker: 'Lead' },
      [{ name: 'DHL', json: bigList(), orders_total: 1, items_total: 1 }],
      {
        files: [{ path: 'input/orders_1__orders.csv', data: Buffer.from('Name\n#1\n') }],
        late: () => Promise.resolve([{ path: 'analysis/analysis.json', data: failingAnalysis() }]),
        prepared: { analysis: 'analysis/analysis.json', revision: 0 },
      },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/Could not create the session/);
    expect(piecesWritten).toBeGreaterThan(0);
    expect(await fs.readdir(layout.clientSessionsDir('SHOP'))).toEqual([]);
  });
});

describe('content made ahead of its file', () => {
  const piece = 64 * 1024;
  const limit = 1024 * 1024;

  it('runs ahead of its writer by at most its limit, and the file gets every byte in order', async () => {
    let made = 0;
    let taken = 0;
    let furthestAhead = 0;
    let startedAhead!: () => void;
    const aheadOfWriter = new Promise<void>((resolve) => (startedAhead = resolve));
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 100; i++) {
        furthestAhead = Math.max(furthestAhead, made - taken);
        made += piece;
        if (made >= limit) startedAhead();
        yield Buffer.alloc(piece, i);
      }
    }
    const ahead = readAhead(source(), limit);
    // Made before any writer asks for it.
    await aheadOfWriter;
    async function* writer(): AsyncGenerator<Uint8Array> {
      for await (const chunk of ahead) {
        taken += chunk.length;
        yield chunk;
      }
    }
    const file = path.join(dir, 'big.bin');
    await writeNewFile(file, writer());
    const written = await fs.readFile(file);
    expect(written.length).toBe(100 * piece);
    expect([written[0], written[50 * piece], written[100 * piece - 1]]).toEqual([0, 50, 99]);
    expect(furthestAhead).toBeLessThanOrEqual(limit);
  });

  it('gives its failure to the file, which is then not kept', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('PK');
      throw new Error('a row could not be made');
    }
    const ahead = readAhead(failing(), limit);
    await expect(writeNewFile(path.join(dir, 'analysis.xlsx'), ahead)).rejects.toThrow(
      'a row could not be made',
    );
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('stops a workbook being made (its rows closed, its zlib stream with them) when its file will not be written', async () => {
    let rowsClosed = false;
    let rowsStarted!: () => void;
    const started = new Promise<void>((resolve) => (rowsStarted = resolve));
    function* rows(): Generator<string[]> {
      try {
        for (let i = 0; ; i++) {
          if (i === 1000) rowsStarted();
          yield [`#${i}`, 'x'.repeat(200)];
        }
      } finally {
        rowsClosed = true;
      }
    }
    const ahead = readAhead(
      xlsxStream([{ name: 'Orders', columns: [{ header: 'Order' }, { header: 'Text' }], rows: rows() }]),
      limit,
    );
    await started;
    await discardContent(ahead);
    expect(rowsClosed).toBe(true);
  });
});

describe('a new session folder with a workbook made ahead of its file', () => {
  const session = async (lists: StoredList[], workbook: AsyncIterable<Uint8Array>) => {
    const { Layout } = await import('../src/store/layout.js');
    const { createSessionFolder } = await import('../src/store/sessions.js');
    const layout = new Layout(dir);
    const err = await createSessionFolder(layout, 'SHOP', { station: 'LEAD-PC', worker: 'Lead' }, lists, {
      files: [{ path: 'input/orders_1__orders.csv', data: Buffer.from('Name\n#1\n') }],
      late: () => Promise.resolve([{ path: 'analysis/analysis.xlsx', data: workbook }]),
      prepared: { analysis: 'analysis/analysis.json', revision: 0 },
    }).catch((e: unknown) => e);
    return { err, left: await fs.readdir(layout.clientSessionsDir('SHOP')) };
  };
  const columns = [{ header: 'Order' }, { header: 'Items' }];
  const list = (json: Iterable<Uint8Array>): StoredList => ({
    name: 'DHL',
    json,
    orders_total: 1,
    items_total: 1,
  });

  it('leaves no folder when a row of the workbook cannot be made', async () => {
    function* rows(): Generator<string[]> {
      for (let i = 0; i < 20_000; i++) yield [`#${i}`, 'SKU-1'];
      throw new Error('order #20000 could not be shown');
    }
    const { err, left } = await session(
      [list([Buffer.from('{"orders":[]}')])],
      readAhead(xlsxStream([{ name: 'Orders', columns, rows: rows() }]), 1024 * 1024),
    );
    // It says what failed, not that the data folder may be unreachable.
    expect(err).toMatchObject({
      message: 'Could not create the session: order #20000 could not be shown',
      cause: { message: 'order #20000 could not be shown' },
    });
    expect(left).toEqual([]);
  });

  it('stops making the workbook and leaves no folder when a file before it fails', async () => {
    let rowsClosed = false;
    function* rows(): Generator<string[]> {
      try {
        for (let i = 0; i < 1_000_000; i++) yield [`#${i}`, 'x'.repeat(100)];
      } finally {
        rowsClosed = true;
      }
    }
    function* failingList(): Generator<Uint8Array> {
      yield Buffer.from('{"orders":[');
      throw new Error('the list could not be made');
    }
    const { err, left } = await session(
      [list(failingList())],
      readAhead(xlsxStream([{ name: 'Orders', columns, rows: rows() }]), 1024 * 1024),
    );
    expect(err).toMatchObject({ cause: { message: 'the list could not be made' } });
    expect(rowsClosed).toBe(true);
    expect(left).toEqual([]);
  });
});
