// Server-sent events from /api/events. EventSource reconnects by itself; the page shows when it is
// disconnected so nobody trusts a frozen screen. On each (re)connection the server sends the current
// view of every station first, so a page that missed events while away is brought up to date.
// Every event is checked against the API contract before a page sees it.
import { LIVE_EVENT_TYPES, LiveEventSchema, type LiveEvent } from '../contract/live-events.js';

export type LiveHandler = (type: string, data: Record<string, unknown>) => void;
export type LiveEventHandler = (event: LiveEvent) => void;

const handlers = new Set<LiveHandler>();
const typed = new Set<LiveEventHandler>();
const connection = new Set<(up: boolean) => void>();
let source: EventSource | null = null;

function ensure(): void {
  if (source) return;
  source = new EventSource('/api/events');
  for (const type of LIVE_EVENT_TYPES) {
    source.addEventListener(type, (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
      const parsed = LiveEventSchema.safeParse(data);
      if (!parsed.success) {
        // A server of another version: say so in the console, never act on a shape we do not know.
        console.error(
          `packdesk: a live "${type}" event does not match the API contract`,
          parsed.error.issues,
        );
        return;
      }
      // Untyped listeners get the event as sent (with any field the contract does not name yet).
      handlers.forEach((h) => h(type, data));
      typed.forEach((h) => h(parsed.data));
    });
  }
  source.onopen = () => connection.forEach((c) => c(true));
  source.onerror = () => connection.forEach((c) => c(false));
}

export function onLive(handler: LiveHandler): () => void {
  ensure();
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Like onLive, with the event typed by the API contract. */
export function onLiveEvent(handler: LiveEventHandler): () => void {
  ensure();
  typed.add(handler);
  return () => typed.delete(handler);
}

export function onConnection(listener: (up: boolean) => void): () => void {
  ensure();
  connection.add(listener);
  return () => connection.delete(listener);
}
