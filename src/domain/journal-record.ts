// One line of a packing list's journal (DESIGN §5): JSON with a sequence number, the writer's lease
// epoch, the client-made event id (a retried event is applied once), time, station, worker, the
// event itself, and a CRC-32 of all of that, so a torn or damaged line is recognised as such.
import { z } from 'zod';

export const JournalRecordSchema = z.object({
  seq: z.number().int().positive(),
  epoch: z.number().int().positive(),
  id: z.string().min(1).max(128),
  at: z.string(),
  station: z.string(),
  worker: z.string(),
  event: z.unknown(),
});
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

/** `{...record, crc}` as one line; the checksum covers the record's JSON exactly as written. */
export function encodeJournalRecord(record: JournalRecord): string {
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

export type DecodedRecord = { ok: true; record: JournalRecord } | { ok: false; problem: string };

export function decodeJournalRecord(line: string): DecodedRecord {
  const match = /,"crc":"([0-9a-f]{8})"\}$/.exec(line);
  if (!match) return { ok: false, problem: 'no checksum at the end of the line' };
  const body = `${line.slice(0, match.index)}}`;
  if (crc32(body) !== match[1]) return { ok: false, problem: 'checksum does not match' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  const parsed = JournalRecordSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: `field "${parsed.error.issues[0]?.path.join('.')}" is invalid` };
  return { ok: true, record: parsed.data };
}
