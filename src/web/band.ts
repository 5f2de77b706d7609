// The status band of packer mode: what every answer and every failure looks and sounds like
// (DESIGN §6: each outcome distinct to eye and ear). Three things carry the meaning, so none of
// them is needed alone: a colour per group of meaning, an icon shape per group, and a short word
// per outcome. The colours stay apart for colour-blind packers (test/e2e/status-band.test.ts
// checks them under a deuteranopia simulation); in Windows' forced-colours mode the colours are
// replaced and the icon and word remain.
import type { StationOutcomeView } from './types.js';

/** The sounds of audio.ts, one per kind of answer. */
export type SoundName =
  | 'ok'
  | 'open'
  | 'wrong'
  | 'overscan'
  | 'unknown'
  | 'complete'
  | 'manual'
  | 'forced'
  | 'ask'
  | 'refused'
  | 'offline'
  | 'lost';

/** What the band can show: an engine or station outcome, or a failure the page itself saw. */
export type BandKind =
  | StationOutcomeView['kind']
  /** The server did not answer (network down, server stopped). */
  | 'offline'
  /** The server answered with an error that is not a packing outcome. */
  | 'server_error'
  /** The page refused the input itself (nothing was sent). */
  | 'refused'
  | 'idle';

export const TONES = [
  'idle',
  'open',
  'ok',
  'complete',
  'manual',
  'forced',
  'overscan',
  'wrong',
  'unknown',
  'refused',
  'undo',
  'skipped',
  'ended',
  'ask',
  'offline',
  'lost',
  'error',
] as const;
export type Tone = (typeof TONES)[number];

/**
 * Band colours. Picked so that every pair differs by at least CIEDE2000 15 both to normal vision and
 * under a full deuteranopia simulation (varying lightness and the blue–yellow axis, which
 * deuteranopes keep), each with its text colour at WCAG contrast 4.5 or more.
 */
export const TONE_COLOURS: Record<Tone, { bg: string; fg: string }> = {
  idle: { bg: '#ddebff', fg: '#111111' },
  open: { bg: '#0037f3', fg: '#ffffff' },
  ok: { bg: '#0d7a5b', fg: '#ffffff' },
  complete: { bg: '#233930', fg: '#ffffff' },
  manual: { bg: '#aa4ffa', fg: '#000000' },
  forced: { bg: '#e09000', fg: '#000000' },
  overscan: { bg: '#ffff01', fg: '#000000' },
  wrong: { bg: '#bb1600', fg: '#ffffff' },
  unknown: { bg: '#ed1e9b', fg: '#000000' },
  refused: { bg: '#605e7a', fg: '#ffffff' },
  undo: { bg: '#6bc3ff', fg: '#000000' },
  skipped: { bg: '#998c67', fg: '#000000' },
  ended: { bg: '#00001b', fg: '#ffffff' },
  ask: { bg: '#ffffc8', fg: '#000000' },
  offline: { bg: '#2d1f72', fg: '#ffffff' },
  lost: { bg: '#5d2400', fg: '#ffffff' },
  error: { bg: '#e8acb7', fg: '#000000' },
};

export interface BandStyle {
  tone: Tone;
  /** Short, upper-case, one per outcome: readable from two metres. */
  word: string;
  sound: SoundName;
  /** Errors stay in the band until the next good scan; other outcomes are replaced by the next one. */
  error: boolean;
}

const b = (tone: Tone, word: string, sound: SoundName, error = false): BandStyle => ({
  tone,
  word,
  sound,
  error,
});

export const BAND: Record<BandKind, BandStyle> = {
  idle: b('idle', 'READY', 'ok'),
  order_opened: b('open', 'OPEN', 'open'),
  reopened: b('open', 'REOPENED', 'open'),
  already_open: b('open', 'ALREADY OPEN', 'open'),
  item_ok: b('ok', 'OK', 'ok'),
  duplicate: b('ok', 'SAVED', 'ok'),
  order_complete: b('complete', 'DONE', 'complete'),
  confirmed_manually: b('manual', 'BY HAND', 'manual'),
  order_complete_manual: b('manual', 'DONE BY HAND', 'manual'),
  force_completed: b('forced', 'FORCED', 'forced'),
  overscan: b('overscan', 'TOO MANY', 'overscan', true),
  wrong_item: b('wrong', 'WRONG ITEM', 'wrong', true),
  unknown_barcode: b('unknown', 'UNKNOWN', 'unknown', true),
  order_not_found: b('unknown', 'NOT FOUND', 'unknown', true),
  already_completed: b('refused', 'DONE BEFORE', 'refused', true),
  finish_current_first: b('refused', 'FINISH FIRST', 'refused', true),
  no_open_order: b('refused', 'NO ORDER', 'refused', true),
  nothing_to_undo: b('refused', 'NOTHING TO UNDO', 'refused', true),
  nothing_to_confirm: b('refused', 'ALL PACKED', 'refused', true),
  force_not_allowed: b('refused', 'NO FORCE', 'refused', true),
  confirm_not_allowed: b('refused', 'SCAN IT', 'refused', true),
  map_refused: b('refused', 'NOT MAPPED', 'refused', true),
  not_completed: b('refused', 'NOT DONE', 'refused', true),
  invalid_command: b('refused', 'BAD COMMAND', 'refused', true),
  refused: b('refused', 'NOT SENT', 'refused', true),
  undone: b('undo', 'UNDONE', 'ok'),
  skipped: b('skipped', 'PARKED', 'ok'),
  ended: b('ended', 'ENDED', 'complete'),
  end_needs_confirm: b('ask', 'END LIST?', 'ask'),
  offline: b('offline', 'OFFLINE', 'offline', true),
  lease_lost: b('lost', 'NOT SAVING', 'lost', true),
  server_error: b('error', 'ERROR', 'refused', true),
};

export function bandStyle(kind: BandKind): BandStyle {
  return BAND[kind];
}

/**
 * Icon shapes, one per tone: SVG path data on a 24×24 grid, drawn with the text colour (so they stay
 * visible when forced colours replace every colour).
 */
export const TONE_ICONS: Record<Tone, string> = {
  idle: 'M12 4a8 8 0 1 0 0.01 0Z',
  open: 'M7 4 L19 12 L7 20 Z',
  ok: 'M4 13 L10 19 L20 5',
  complete: 'M12 2 L14.9 8.6 L22 9.3 L16.6 14 L18.2 21 L12 17.3 L5.8 21 L7.4 14 L2 9.3 L9.1 8.6 Z',
  manual: 'M12 2 L22 12 L12 22 L2 12 Z M8 12 L11 15 L16 9',
  forced: 'M12 3 L22 21 L2 21 Z M12 9 L12 15 M12 17.5 L12 18.5',
  overscan: 'M12 3a9 9 0 1 0 0.01 0Z M12 7 L12 17 M7 12 L17 12',
  wrong: 'M5 5 L19 19 M19 5 L5 19',
  unknown: 'M8 8a4 4 0 1 1 6 3.5c-1.5 1-2 2-2 3.5 M12 18.5 L12 19.5',
  refused: 'M12 3a9 9 0 1 0 0.01 0Z M6 6 L18 18',
  undo: 'M9 5 L4 10 L9 15 M4 10 L15 10 a5 5 0 0 1 0 10 L10 20',
  skipped: 'M8 5 L8 19 M16 5 L16 19',
  ended: 'M5 5 L19 5 L19 19 L5 19 Z',
  ask: 'M5 3 L5 21 M5 4 L18 4 L15 8 L18 12 L5 12',
  offline: 'M2 9a15 15 0 0 1 20 0 M5.5 12.5a10 10 0 0 1 13 0 M9 16a5 5 0 0 1 6 0 M3 3 L21 21',
  lost: 'M6 11 L18 11 L18 21 L6 21 Z M8.5 11 L8.5 7a3.5 3.5 0 0 1 7 0 L15.5 11',
  error: 'M8 2 L16 2 L22 8 L22 16 L16 22 L8 22 L2 16 L2 8 Z M12 7 L12 13 M12 16 L12 17',
};
