// Scans that arrive while this tab shows another page (a stray click on "Sessions"): they are taken
// to the packing list this tab has open, or refused out loud when it has none, never dropped.
import { attachScanner, type ScannerHandle } from './scanner.js';

const ROUTE_KEY = 'packdesk.stationRoute';
const pending: string[] = [];

/** The packing page this tab has a list open on (per tab: each tab is its own station). */
export function rememberStationRoute(hash: string): void {
  sessionStorage.setItem(ROUTE_KEY, hash);
}

export function forgetStationRoute(): void {
  sessionStorage.removeItem(ROUTE_KEY);
}

export function stationRoute(): string | null {
  return sessionStorage.getItem(ROUTE_KEY);
}

/** Scans caught elsewhere, in the order scanned; the station sends them once its list is open. */
export function takePendingScans(): string[] {
  return pending.splice(0, pending.length);
}

/**
 * Watches for scanner bursts on a page that is not packing. Other keys still reach the page (people
 * type and use buttons there). Returns what stops watching.
 */
export function catchStrayScans(onRefused: (text: string) => void): ScannerHandle {
  return attachScanner(
    document,
    {
      onInput: (input) => {
        const route = stationRoute();
        if (!route) return onRefused(input.text);
        pending.push(input.text);
        location.hash = route;
      },
    },
    { maxGapMs: 50, minLength: 3, passive: true },
  );
}
