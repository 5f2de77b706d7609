// A CSV export given by path is read a chunk at a time (never held whole) when it is plainly UTF-8,
// and must give exactly the rows, encoding and delimiter the whole-file reader gives; anything else
// (windows-1251, UTF-16, a workbook, an empty file) is read whole, as before. Real files on disk.
import { appendFileSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import { bytesSeen, type BytesSeen } from '../src/store/checked-copy.js';
import { scanTabular, type TabularAbout } from '../src/store/tabular-file.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csv-pieces-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

interface Scan {
  about: TabularAbout;
  headers: string[];
  rows: Array<[number, string[]]>;
  seen: BytesSeen | null;
}

/** The file read both ways: whole (its bytes) and from disk (by path). */
async function bothWays(name: string, data: Buffer, onRow?: () => Promise<void> | void) {
  const file = path.join(dir, name);
  await fs.writeFile(file, data);
  const scan = async (source: Parameters<typeof scanTabular>[0], seen: { value: BytesSeen | null }) => {
    const out: Scan = { about: { format: 'csv', rows: 0 }, headers: [], rows: [], seen: null };
    out.about = await scanTabular(source, name, {
      header: (h) => (out.headers = h),
      row: (r, cells) => {
        out.rows.push([r, [...cells]]);
        void onRow?.();
      },
    });
    out.seen = seen.value;
    return out;
  };
  const fromDisk = { value: null as BytesSeen | null };
  const disk = await scan(
    { path: file, maxBytes: 50 * 1024 * 1024, onBytes: (s) => (fromDisk.value = s) },
    fromDisk,
  );
  const whole = await scan(data, { value: bytesSeen(data) });
  return { disk, whole };
}

const header = 'Name,Lineitem sku,Lineitem quantity,Notes\r\n';
/** An export longer than the text the delimiter is judged from, with notes over several lines. */
function bigExport(rows: number): string {
  let text = header;
  for (let i = 0; i < rows; i++)
    text += `#${1000 + i},SKU-${i % 97},${1 + (i % 3)},${i % 7 === 0 ? `"Ring ""twice"",\r\nleave at door ${'é'.repeat(i % 5)}"` : 'Ж'}\r\n`;
  return text;
}

describe('a CSV export given by path', () => {
  it('reads a large UTF-8 export a chunk at a time with the same rows as read whole', async () => {
    const { disk, whole } = await bothWays('orders.csv', Buffer.from(bigExport(60_000)));
    expect(disk.about).toEqual(whole.about);
    expect(disk.about).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', rows: 60_000 });
    expect(disk.headers).toEqual(whole.headers);
    expect(disk.rows).toEqual(whole.rows);
    expect(disk.seen).toEqual(whole.seen);
    expect(disk.rows[7]![1]).toEqual(['#1007', 'SKU-7', '2', 'Ring "twice",\r\nleave at door éé']);
  });

  it('reads UTF-8 with a BOM, a ";" export without a last line break, and a one-line file the same', async () => {
    for (const [name, text] of [
      ['bom.csv', `\uFEFF${bigExport(30_000)}`],
      ['semicolon.csv', 'Name;Lineitem sku\n#1;A\n#2;"B;C"'],
      ['header-only.csv', 'Name,Lineitem sku'],
    ] as const) {
      const { disk, whole } = await bothWays(name, Buffer.from(text));
      expect(disk.about, name).toEqual(whole.about);
      expect(disk.rows, name).toEqual(whole.rows);
      expect(disk.seen, name).toEqual(whole.seen);
    }
  });

  it('leaves windows-1251, UTF-16, broken UTF-8 and workbooks to the whole-file reader', async () => {
    const cp1251 = Buffer.from([...'Name,Notes\n#1,'].map((c) => c.charCodeAt(0)).concat([0xc0, 0xe1, 0x0a]));
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Name\tNotes\r\n#1\tЖ\r\n', 'utf16le'),
    ]);
    const broken = Buffer.concat([
      Buffer.from('Name,Notes\n#1,Ä\n#2,'),
      Buffer.from([0xff]),
      Buffer.from('\n'),
    ]);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Orders').addRows([
      ['Name', 'Notes'],
      ['#1', 'Ж'],
    ]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    for (const [name, data, encoding] of [
      ['ru.csv', cp1251, 'windows-1251'],
      ['unicode.txt', utf16, 'utf-16le'],
      ['broken.csv', broken, 'utf-8'],
      ['orders.xlsx', xlsx, undefined],
    ] as const) {
      const { disk, whole } = await bothWays(name, data);
      expect(disk.about, name).toEqual(whole.about);
      expect(disk.about.encoding, name).toBe(encoding);
      expect(disk.rows, name).toEqual(whole.rows);
      expect(disk.seen, name).toEqual(whole.seen);
    }
  });

  it('refuses an empty file, and a file that changes while it is read', async () => {
    const empty = await bothWays('empty.csv', Buffer.from(' \r\n')).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ValidationError);
    expect((empty as Error).message).toMatch(/empty\.csv is empty/);
    // A row is written to the end of the file while its first rows are being read.
    const file = path.join(dir, 'growing.csv');
    let grown = false;
    // (At once, so the reader's next chunk finds it: the file is past the text judged first.)
    const changed = await bothWays('growing.csv', Buffer.from(bigExport(60_000)), () => {
      if (grown) return;
      grown = true;
      appendFileSync(file, '#99999,SKU-1,1,late\r\n');
    }).catch((e: unknown) => e);
    expect(changed).toBeInstanceOf(ValidationError);
    expect((changed as Error).message).toBe('growing.csv changed while it was being read; run again.');
  });
});
