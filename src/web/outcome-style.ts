// Which sound and colour each outcome gets (DESIGN §6: every outcome distinct to eye and ear).
import type { SoundName } from './audio.js';
import type { StationOutcomeView } from './types.js';

export interface OutcomeStyle {
  sound: SoundName;
  tone: 'ok' | 'open' | 'wrong' | 'overscan' | 'unknown' | 'complete' | 'refused' | 'info';
}

export function outcomeStyle(kind: StationOutcomeView['kind']): OutcomeStyle {
  switch (kind) {
    case 'item_ok':
    case 'confirmed_manually':
      return { sound: 'ok', tone: 'ok' };
    case 'order_opened':
    case 'reopened':
      return { sound: 'open', tone: 'open' };
    case 'order_complete':
    case 'force_completed':
      return { sound: 'complete', tone: 'complete' };
    case 'overscan':
      return { sound: 'overscan', tone: 'overscan' };
    case 'wrong_item':
      return { sound: 'wrong', tone: 'wrong' };
    case 'unknown_barcode':
    case 'order_not_found':
      return { sound: 'unknown', tone: 'unknown' };
    case 'duplicate':
    case 'undone':
    case 'skipped':
    case 'ended':
      return { sound: 'ok', tone: 'info' };
    case 'lease_lost':
      return { sound: 'lost', tone: 'refused' };
    default:
      return { sound: 'refused', tone: 'refused' };
  }
}
