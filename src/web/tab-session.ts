// Each browser tab that packs is its own station session (DESIGN §4.10): the station name is shared
// by every tab of a browser (localStorage), so every station request also says which tab sent it,
// from an id kept in this tab's sessionStorage (a reload keeps it, another tab has its own). While a
// tab shows an open list it also sends a sign of life every heartbeat, idle or not; a closed tab or a
// sleeping tablet stops, and the server then stops holding the list for it after the TTL.
import type { StationAliveRequest } from '../contract/requests.js';
import { api, enc } from './api.js';

const TAB_KEY = 'packdesk.tab';

export function tabId(): string {
  let id = sessionStorage.getItem(TAB_KEY);
  if (!id) {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem(TAB_KEY, id);
  }
  return id;
}

/** Pings the server for `station` every `everyMs` until the returned function is called. */
export function keepStationAlive(station: string, everyMs: number): () => void {
  const ping = () =>
    void api
      .post(`/api/stations/${enc(station)}/alive`, { tab: tabId() } satisfies StationAliveRequest)
      .catch(() => {
        // A missed ping is only a missing sign of life; the lease rules decide what follows.
      });
  const timer = setInterval(ping, Math.max(250, everyMs));
  return () => clearInterval(timer);
}
