// Sequence numbers stay what was printed. A list may be regenerated after its labels were printed
// (orders added, removed, reordered), and the box already carries "#12": so the first print records
// each order's number, and every later print reuses it. Orders the record does not know get numbers
// after the highest one, and are recorded in turn. Record files are immutable (a new file per print
// that numbers something new), so two shift leads printing at once never overwrite each other.
import { z } from 'zod';

export const LABEL_NUMBERING_FORMAT_VERSION = 1;

export const LabelNumberingSchema = z.object({
  format_version: z.literal(LABEL_NUMBERING_FORMAT_VERSION),
  list: z.string().min(1),
  created_at: z.string(),
  /** Order-number key → sequence number printed on its label. */
  numbers: z.record(z.string().min(1), z.number().int().positive()),
});

export type LabelNumbering = z.infer<typeof LabelNumberingSchema>;

/** All records of a list merged; an earlier record wins (it was printed first). */
export function mergeNumberings(records: LabelNumbering[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const record of records)
    for (const [key, n] of Object.entries(record.numbers)) if (!numbers.has(key)) numbers.set(key, n);
  return numbers;
}

/**
 * The number each order gets: the recorded one, else its own (the list's sequence), unless another
 * order already has that, else the next after the highest. Returns also what is new to record.
 */
export function assignNumbers(
  orders: Array<{ key: string; sequence: number }>,
  recorded: Map<string, number>,
): { numbers: Map<string, number>; added: Record<string, number> } {
  const numbers = new Map<string, number>();
  const taken = new Set<number>(recorded.values());
  let highest = Math.max(0, ...taken);
  const added: Record<string, number> = {};
  const fresh: Array<{ key: string; sequence: number }> = [];
  for (const o of orders) {
    const known = recorded.get(o.key);
    if (known !== undefined) numbers.set(o.key, known);
    else fresh.push(o);
  }
  // Own numbers first, so on a first print every order keeps the list's numbering.
  const later: string[] = [];
  for (const o of fresh) {
    if (taken.has(o.sequence)) later.push(o.key);
    else {
      taken.add(o.sequence);
      numbers.set(o.key, o.sequence);
      added[o.key] = o.sequence;
      highest = Math.max(highest, o.sequence);
    }
  }
  for (const key of later) {
    highest += 1;
    numbers.set(key, highest);
    added[key] = highest;
  }
  return { numbers, added };
}

/** "7" or "5-10" as a range of sequence numbers to reprint; null when the text is neither. */
export function parseSequenceRange(text: string): { from: number; to: number } | null {
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  return m ? { from: Number(m[1]), to: Number(m[2] ?? m[1]) } : null;
}
