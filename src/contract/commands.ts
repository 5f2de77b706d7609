// The command words a station takes (docs/packing-station.md), as the page sends them for its buttons
// and keys. The words and their grammar are the domain's (scan-commands.ts, which parses them); these
// build the text, so no page spells a word of its own.
import { COMMAND_WORDS, CONFIRM_REASONS, type ConfirmReason } from '../domain/scan-commands.js';

export { COMMAND_WORDS, CONFIRM_REASONS, type ConfirmReason };
export { confirmReasonLabel } from '../domain/scan-commands.js';

type Word = (typeof COMMAND_WORDS)[number]['word'];

function word(w: Word): Word {
  return w;
}

export const commandText = {
  undo: () => word('!UNDO'),
  skip: () => word('!SKIP'),
  force: () => word('!FORCE'),
  end: () => word('!END'),
  reopen: (order: string) => `${word('!REOPEN')} ${order}`,
  map: (sku: string) => `${word('!MAP')} ${sku}`,
  /** `!CONFIRM [sku [count]] [reason]`: with nothing, the only line still missing items. */
  confirm: (line: { sku?: string; count?: number; reason?: ConfirmReason } = {}) =>
    [word('!CONFIRM'), line.sku, line.sku !== undefined ? line.count : undefined, line.reason]
      .filter((part) => part !== undefined && part !== '')
      .join(' '),
};
