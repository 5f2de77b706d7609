// One line of a packing list's journal (DESIGN §5): JSON with a sequence number, the writer's lease
// epoch, the client-made event id (a retried event is applied once), time, station, worker, the
// event itself, and a CRC-32 of all of that, so a torn or damaged line is recognised as such.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { z } from 'zod';
import { ScanEventBodySchema, type ScanEvent } from './scan-events.js';

export const JournalRecordSchema = z.object({
  seq: z.number().int().positive(),
  epoch: z.number().int().positive(),
  id: z.string().min(1).max(128),
  at: z.string(),
  station: z.string(),
  worker: z.string(),
  event: ScanEventBodySchema,
});
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

/** The scan event a record holds, its meta fields put back around its body. */
export function scanEventOf(record: JournalRecord): ScanEvent {
  return { id: record.id, at: record.at, station: record.station, worker: record.worker, ...record.event };
}

/**
 * CRC-32 (IEEE) of the text's UTF-8 bytes, as 8 hex digits. Node's native zlib.crc32 computes
 * exactly what the table-driven loop used before did, several times faster; recovery checks every
 * record of a list, so this is a large share of opening a long-packed list.
 */
export function crc32(text: string): string {
  return (zlibCrc32(text) >>> 0).toString(16).padStart(8, '0');
}

/**
 * `{...record, crc}` as one line; the checksum covers the record's JSON exactly as written. The
 * record is checked against the schema first, so nothing is written that recovery could not read.
 */
export function encodeJournalRecord(record: JournalRecord): string {
  JournalRecordSchema.parse(record);
  const body = JSON.stringify({
    seq: record.seq,
    epoch: record.epoch,
    id: record.id,
    at: record.at,
    station: record.station,
    worker: record.worker,
    event: record.event,
  });
  return `${body.slice(0, -1)},"crc":"${crc32(body)}"}`;
}

/**
 * `whole` says the line's checksum matched: it was written completely, so a problem in it is damage
 * to an acknowledged record, never a write cut short by a crash.
 */
export type DecodedRecord =
  { ok: true; record: JournalRecord } | { ok: false; problem: string; whole?: boolean };
export type CheckedRecord = { ok: true; seq: number; id: string } | { ok: false; problem: string };

const HEAD = /^\{"seq":(\d+),"epoch":\d+,"id":("(?:[^"\\]|\\.)*"),/;

/**
 * Checks a line's checksum and reads only its sequence number and event id, as written by
 * encodeJournalRecord. For records a snapshot already covers: their order and ids still count,
 * their contents do not, and parsing them all would make opening a long-packed list slow.
 */
export function checkJournalRecord(line: string): CheckedRecord {
  const match = /,"crc":"([0-9a-f]{8})"\}$/.exec(line);
  if (!match) return { ok: false, problem: 'no checksum at the end of the line' };
  if (crc32(`${line.slice(0, match.index)}}`) !== match[1])
    return { ok: false, problem: 'checksum does not match' };
  const head = HEAD.exec(line);
  if (!head) {
    // Written some other way: the full decode decides.
    const full = decodeJournalRecord(line);
    return full.ok ? { ok: true, seq: full.record.seq, id: full.record.id } : full;
  }
  return { ok: true, seq: Number(head[1]), id: JSON.parse(head[2]!) as string };
}

export function decodeJournalRecord(line: string): DecodedRecord {
  const match = /,"crc":"([0-9a-f]{8})"\}$/.exec(line);
  if (!match) return { ok: false, problem: 'no checksum at the end of the line' };
  const body = `${line.slice(0, match.index)}}`;
  if (crc32(body) !== match[1]) return { ok: false, problem: 'checksum does not match' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'not valid JSON', whole: true };
  }
  const parsed = JournalRecordSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      problem: `field "${parsed.error.issues[0]?.path.join('.')}" is invalid`,
      whole: true,
    };
  return { ok: true, record: parsed.data };
}
