// What a station can be told: a scan, or a command. Commands come from buttons, keys, or printed
// command barcodes; the terminal station (`packdesk pack`) and the barcodes use the words below,
// which start with "!" so that no order number or SKU can be mistaken for one.
export type StationInput =
  | { kind: 'scan'; text: string }
  | { kind: 'undo' }
  /**
   * `sku` null: the only line still missing items. `count` null: one unit, or everything still
   * missing on that line where the client allows whole lines. `reason`: one of CONFIRM_REASONS.
   */
  | { kind: 'confirm'; sku: string | null; count: number | null; reason: ConfirmReason | null }
  | { kind: 'force_complete' }
  | { kind: 'skip' }
  | { kind: 'reopen'; order: string }
  | { kind: 'end' }
  /** Map the unknown barcode just scanned to this line of the open order (where the client allows it). */
  | { kind: 'map'; sku: string }
  | { kind: 'invalid_command'; text: string; reason: string };

/** Why a line is confirmed by hand instead of scanned; the code is the last word of !CONFIRM. */
export const CONFIRM_REASONS = [
  { code: 'UNREADABLE', label: 'label unreadable' },
  { code: 'NO-BARCODE', label: 'no barcode on the item' },
  { code: 'SCANNER-FAILS', label: 'the scanner does not read it' },
] as const;
export type ConfirmReason = (typeof CONFIRM_REASONS)[number]['code'];

export function confirmReasonLabel(code: string): string {
  return CONFIRM_REASONS.find((r) => r.code === code)?.label ?? code;
}

function asReason(word: string | undefined): ConfirmReason | null {
  const upper = word?.toUpperCase();
  return CONFIRM_REASONS.find((r) => r.code === upper)?.code ?? null;
}

export const COMMAND_WORDS = [
  { word: '!UNDO', usage: '!UNDO', does: 'takes back the last scan or confirmation of the open order' },
  {
    word: '!CONFIRM',
    usage: '!CONFIRM [<sku> [<count>]] <reason>',
    does: `confirms units of a line by hand, with a reason (${CONFIRM_REASONS.map((r) => r.code).join(', ')}); recorded as manual`,
  },
  {
    word: '!FORCE',
    usage: '!FORCE',
    does: 'completes the open order without every item scanned (if the client allows it)',
  },
  { word: '!SKIP', usage: '!SKIP', does: 'parks the open order; scan its number later to resume' },
  {
    word: '!REOPEN',
    usage: '!REOPEN <order>',
    does: 'opens a completed order again to re-check it (audited)',
  },
  {
    word: '!MAP',
    usage: '!MAP <sku>',
    does: 'maps the unknown barcode just scanned to this line of the open order, then counts it (if the client allows it)',
  },
  {
    word: '!END',
    usage: '!END',
    does: 'ends the list; with orders left it asks first, and a second !END right after ends it',
  },
] as const;

/** Parses one line from a scanner or keyboard. Blank lines (a double Enter) are null: nothing to do. */
export function parseStationInput(line: string): StationInput | null {
  const text = line.trim();
  if (text === '') return null;
  if (!text.startsWith('!')) return { kind: 'scan', text };
  const [rawWord, ...args] = text.split(/\s+/);
  const word = rawWord!.toUpperCase();
  const invalid = (reason: string): StationInput => ({ kind: 'invalid_command', text, reason });
  switch (word) {
    case '!UNDO':
      return args.length === 0 ? { kind: 'undo' } : invalid('!UNDO takes nothing after it.');
    case '!FORCE':
      return args.length === 0 ? { kind: 'force_complete' } : invalid('!FORCE takes nothing after it.');
    case '!SKIP':
      return args.length === 0 ? { kind: 'skip' } : invalid('!SKIP takes nothing after it.');
    case '!END':
      return args.length === 0 ? { kind: 'end' } : invalid('!END takes nothing after it.');
    case '!MAP':
      return args.length > 0
        ? { kind: 'map', sku: args.join(' ') }
        : invalid('Say which line: !MAP <sku of a line of the open order>.');
    case '!REOPEN':
      return args.length > 0
        ? { kind: 'reopen', order: args.join(' ') }
        : invalid('Say which order: !REOPEN <order number>.');
    case '!CONFIRM': {
      const reason = asReason(args[args.length - 1]);
      if (reason) args.pop();
      if (args.length === 0) return { kind: 'confirm', sku: null, count: null, reason };
      const last = args[args.length - 1]!;
      if (args.length >= 2 && /^\d+$/.test(last)) {
        const count = Number(last);
        if (count < 1) return invalid('The count after !CONFIRM must be 1 or more.');
        return { kind: 'confirm', sku: args.slice(0, -1).join(' '), count, reason };
      }
      return { kind: 'confirm', sku: args.join(' '), count: null, reason };
    }
    default:
      return invalid(
        `"${rawWord}" is not a command. Commands: ${COMMAND_WORDS.map((c) => c.word).join(', ')}.`,
      );
  }
}
