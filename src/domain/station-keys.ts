// The station's commands as a packer meets them: a button with a key in the web station, a word for
// `packdesk pack`, and a printed barcode on the command sheet. One table, so the sheet, the keys and
// the buttons can never disagree. The barcode carries exactly the word a person would type, one of
// the words the station parses (scan-commands.ts), or the pause word the front-ends take themselves.
import type { COMMAND_WORDS } from './scan-commands.js';

export interface StationCommandKey {
  /** What the barcode carries and `packdesk pack` reads. */
  word: (typeof COMMAND_WORDS)[number]['word'] | typeof PAUSE_WORD;
  /** The key in the web station. */
  key: string | null;
  label: string;
  /** Shown on the sheet under the label. */
  does: string;
  /** Needs an order number after the word, so it cannot be one printed code. */
  needsOrder?: boolean;
}

/** Closes the list at this station (pause): both station front-ends take it before it reaches the list. */
export const PAUSE_WORD = '!PAUSE';

export const STATION_COMMAND_KEYS: readonly StationCommandKey[] = [
  { word: '!UNDO', key: 'F2', label: 'Undo last', does: 'Takes back the last scan of the open order.' },
  {
    word: '!CONFIRM',
    key: 'F3',
    label: 'Confirm line',
    does: 'Confirms the missing line by hand when its barcode cannot be read.',
  },
  { word: '!SKIP', key: 'F4', label: 'Skip order', does: 'Parks the open order; scan its label to resume.' },
  {
    word: '!FORCE',
    key: 'F6',
    label: 'Force complete',
    does: 'Completes the open order without every item (if the client allows it).',
  },
  {
    word: '!REOPEN',
    key: 'F7',
    label: 'Reopen typed order',
    does: 'Type the order number, then press F7: the completed order is opened again.',
    needsOrder: true,
  },
  {
    word: '!END',
    key: 'F8',
    label: 'End list',
    does: 'Ends this list at this station and writes the reports.',
  },
  {
    word: PAUSE_WORD,
    key: null,
    label: 'Close (pause list)',
    does: 'Lets go of the list at this station; it can be opened again to continue.',
  },
];

export function isPauseWord(text: string): boolean {
  return text.trim().toUpperCase() === PAUSE_WORD;
}
