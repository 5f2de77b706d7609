import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../src/domain/errors.js';
import {
  crc32,
  decodeJournalRecord,
  encodeJournalRecord,
  type JournalRecord,
} from '../src/domain/journal-record.js';
import { JournalAppender, recoverJournal } from '../src/store/journal.js';
import { FencedWriter, segmentName, type LeaseGuard } from '../src/store/lease/fenced-writes.js';
import { tempDir } from './helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** A lease guard for one epoch whose holder may write until `lost` is set. */
function guard(epoch: number): LeaseGuard & { lost: boolean } {
  const g: LeaseGuard & { lost: boolean } = {
    lost: false,
    epoch,
    mayWrite: () => !g.lost,
    checkNotSuperseded: async () => !g.lost,
    lostError: () => new LeaseLostError('lost'),
  };
  return g;
}

function event(n: number): Omit<JournalRecord, 'seq'> {
  return {
    epoch: 1,
    id: `ev-${n}`,
    at: new Date(1_700_000_000_000 + n).toISOString(),
    station: 'S1',
    worker: 'Ann',
    event: { type: 'item_scanned', data: { order: 'O-1', sku: `SKU-${n}`, code: `SKU-${n}` } },
  };
}

async function writeEvents(epoch: number, from: number, count: number, lastSeq: number) {
  const writer = new FencedWriter(dir, guard(epoch));
  await writer.sealPrevious();
  const journal = new JournalAppender(writer, lastSeq);
  for (let n = from; n < from + count; n++) await journal.append({ ...event(n), epoch });
  return { writer, journal };
}

const identity = (raw: unknown) => raw as { packed: number };

describe('journal records', () => {
  it('round-trip and detect any changed byte', () => {
    const line = encodeJournalRecord({ ...event(1), seq: 1 });
    expect(decodeJournalRecord(line)).toEqual({ ok: true, record: { ...event(1), seq: 1 } });
    const damaged = line.replace('SKU-1', 'SKU-7');
    expect(decodeJournalRecord(damaged)).toMatchObject({ ok: false, problem: 'checksum does not match' });
    expect(decodeJournalRecord(line.slice(0, 40))).toMatchObject({ ok: false });
  });
});

describe('journal recovery', () => {
  it('replays every record written, in order, with their event ids', async () => {
    const { writer } = await writeEvents(1, 1, 50, 0);
    await writer.close();
    const recovered = await recoverJournal(dir, identity);
    expect(recovered.records.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(recovered.eventIds.get('ev-17')).toBe(17);
    expect(recovered.notes).toEqual([]);
  });

  it('starts from the newest snapshot and replays only what came after it', async () => {
    const writer = new FencedWriter(dir, guard(1));
    const journal = new JournalAppender(writer, 0);
    for (let n = 1; n <= 10; n++) await journal.append(event(n));
    await journal.snapshot({ packed: 10 }, new Date().toISOString());
    for (let n = 11; n <= 13; n++) await journal.append(event(n));
    await writer.close();
    const recovered = await recoverJournal(dir, identity);
    expect(recovered.snapshot?.state).toEqual({ packed: 10 });
    expect(recovered.records.map((r) => r.seq)).toEqual([11, 12, 13]);
    expect(recovered.lastSeq).toBe(13);
  });

  it('reads only the journal after the snapshot, and the whole journal when that part does not continue it', async () => {
    const first = await writeEvents(1, 1, 20, 0);
    await first.writer.close();
    const writer = new FencedWriter(dir, guard(2));
    await writer.sealPrevious();
    const journal = new JournalAppender(writer, 20);
    await journal.append({ ...event(21), epoch: 2 });
    await journal.snapshot({ packed: 21 }, new Date().toISOString());
    await journal.append({ ...event(22), epoch: 2 });
    await writer.close();
    let recovered = await recoverJournal(dir, identity);
    expect(recovered.records.map((r) => r.seq)).toEqual([22]);
    expect(recovered.accepted.entries.map((e) => e.epoch)).toEqual([2]); // epoch 1 was not read at all

    // A snapshot whose recorded position is off: recovery notices and reads everything instead.
    const snapshotFile = (await fs.readdir(dir)).find((n) => n.endsWith('.packing_state.json'))!;
    const body = JSON.parse(await fs.readFile(path.join(dir, snapshotFile), 'utf8'));
    body.position.offset = 0;
    await fs.writeFile(path.join(dir, snapshotFile), JSON.stringify(body));
    recovered = await recoverJournal(dir, identity);
    expect(recovered.records.map((r) => r.seq)).toEqual([22]);
    expect(recovered.lastSeq).toBe(22);
    expect(recovered.notes.join()).toMatch(/did not continue it/);
  });

  it('drops a torn last record (a crash mid-write) and keeps everything before it', async () => {
    const { writer } = await writeEvents(1, 1, 5, 0);
    await writer.close();
    const segment = path.join(dir, segmentName(1));
    const full = encodeJournalRecord({ ...event(6), seq: 6 });
    // Cut short without its line end, and cut short with a line end (a damaged page): both are torn tails.
    await fs.appendFile(segment, full.slice(0, 30));
    let recovered = await recoverJournal(dir, identity);
    expect(recovered.lastSeq).toBe(5);
    await fs.appendFile(segment, '\n');
    recovered = await recoverJournal(dir, identity);
    expect(recovered.lastSeq).toBe(5);
    expect(recovered.notes.join()).toMatch(/last record of epoch 1 was incomplete/);
  });

  it('the next holder continues after a torn tail without losing or repeating a record', async () => {
    const { writer } = await writeEvents(1, 1, 3, 0);
    await writer.close();
    await fs.appendFile(path.join(dir, segmentName(1)), '{"seq":4,"ep');
    const before = await recoverJournal(dir, identity);
    const next = await writeEvents(2, 4, 2, before.lastSeq);
    await next.writer.close();
    const after = await recoverJournal(dir, identity);
    expect(after.records.map((r) => [r.seq, r.epoch])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
      [4, 2],
      [5, 2],
    ]);
  });

  it('reports damage before the last record instead of skipping it', async () => {
    const { writer } = await writeEvents(1, 1, 5, 0);
    await writer.close();
    const segment = path.join(dir, segmentName(1));
    const lines = (await fs.readFile(segment, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('SKU-3', 'SKU-X');
    await fs.writeFile(segment, lines.join('\n'));
    await expect(recoverJournal(dir, identity)).rejects.toMatchObject({
      code: 'CORRUPT',
      message: expect.stringMatching(/damaged at record 3/),
    });
  });

  it('reads a malformed event whose checksum matches as damage, also as the last record, never as a torn tail', async () => {
    const { writer } = await writeEvents(1, 1, 5, 0);
    await writer.close();
    const segment = path.join(dir, segmentName(1));
    const whole = await fs.readFile(segment, 'utf8');
    /** Line `n` rewritten with `change` applied to its event and a checksum that matches again. */
    const rewritten = (n: number, change: (event: Record<string, unknown>) => void) => {
      const lines = whole.split('\n');
      const { crc: _crc, ...record } = JSON.parse(lines[n - 1]!);
      change(record.event);
      const body = JSON.stringify(record);
      lines[n - 1] = `${body.slice(0, -1)},"crc":"${crc32(body)}"}`;
      return lines.join('\n');
    };
    for (const n of [5, 2]) {
      await fs.writeFile(
        segment,
        rewritten(n, (e) => delete (e.data as Record<string, unknown>).sku),
      );
      await expect(recoverJournal(dir, identity)).rejects.toMatchObject({
        code: 'CORRUPT',
        message: expect.stringMatching(
          new RegExp(`damaged at record ${n} .*field "event.data.sku" is invalid`),
        ),
      });
      await fs.writeFile(
        segment,
        rewritten(n, (e) => (e.type = 'item_teleported')),
      );
      await expect(recoverJournal(dir, identity)).rejects.toMatchObject({
        code: 'CORRUPT',
        message: expect.stringMatching(new RegExp(`damaged at record ${n} `)),
      });
    }
    await fs.writeFile(segment, whole);
    expect((await recoverJournal(dir, identity)).lastSeq).toBe(5);
  });

  it('never writes a record that recovery could not read back', async () => {
    const writer = new FencedWriter(dir, guard(1));
    const journal = new JournalAppender(writer, 0);
    const bad = { ...event(1), event: { type: 'item_scanned', data: { order: 'O-1', code: 'X' } } };
    // @ts-expect-error: the event lacks its SKU, as a bug elsewhere could make it
    await expect(journal.append(bad)).rejects.toThrow(/sku/);
    await journal.append(event(2));
    await writer.close();
    const recovered = await recoverJournal(dir, identity);
    expect(recovered.records.map((r) => r.id)).toEqual(['ev-2']);
  });

  it('does not use a snapshot whose envelope is damaged: an older one or the journal is read instead', async () => {
    const writer = new FencedWriter(dir, guard(1));
    const journal = new JournalAppender(writer, 0);
    for (let n = 1; n <= 4; n++) await journal.append(event(n));
    await journal.snapshot({ packed: 4 }, new Date().toISOString());
    for (let n = 5; n <= 6; n++) await journal.append(event(n));
    const newest = await journal.snapshot({ packed: 6 }, new Date().toISOString());
    await writer.close();
    const file = path.join(dir, newest);
    const good = JSON.parse(await fs.readFile(file, 'utf8'));
    for (const damage of [
      { position: { epoch: 1, offset: -40 } },
      { last_seq: '6' },
      { kind: 'something_else' },
    ]) {
      await fs.writeFile(file, JSON.stringify({ ...good, ...damage }));
      const recovered = await recoverJournal(dir, identity);
      expect(recovered.snapshot?.state).toEqual({ packed: 4 });
      expect(recovered.records.map((r) => r.seq)).toEqual([5, 6]);
      expect(recovered.notes.join()).toMatch(new RegExp(`snapshot ${newest} could not be used`));
    }
  });

  it('ignores what a holder wrote after it lost the list, and says so', async () => {
    const old = await writeEvents(1, 1, 3, 0);
    // A new holder (epoch 2) seals epoch 1 at 3 records; the old one, frozen meanwhile, wakes and writes on.
    const next = await writeEvents(2, 4, 1, 3);
    await expect(old.journal.append(event(99))).resolves.toBeTruthy(); // its own guard does not know yet
    await old.writer.close();
    await next.writer.close();
    const recovered = await recoverJournal(dir, identity);
    expect(recovered.records.map((r) => r.id)).toEqual(['ev-1', 'ev-2', 'ev-3', 'ev-4']);
    expect(recovered.notes.join()).toMatch(
      /1 record\(s\) written by epoch 1 after it lost the list were ignored/,
    );
  });

  it('refuses to append once the lease is lost, so nothing unsaved is confirmed', async () => {
    const g = guard(1);
    const journal = new JournalAppender(new FencedWriter(dir, g), 0);
    await journal.append(event(1));
    g.lost = true;
    await expect(journal.append(event(2))).rejects.toBeInstanceOf(LeaseLostError);
    expect(journal.seq).toBe(1);
  });
});
