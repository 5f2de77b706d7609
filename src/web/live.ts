// Server-sent events from /api/events. EventSource reconnects by itself; the page shows when it is
// disconnected so nobody trusts a frozen screen.
export type LiveHandler = (type: string, data: Record<string, unknown>) => void;

const TYPES = [
  'station',
  'lease',
  'station_closed',
  'sessions_changed',
  'mappings_changed',
  'clients_changed',
  'prepare_progress',
  'analysis_changed',
];
const handlers = new Set<LiveHandler>();
const connection = new Set<(up: boolean) => void>();
let source: EventSource | null = null;

function ensure(): void {
  if (source) return;
  source = new EventSource('/api/events');
  for (const type of TYPES) {
    source.addEventListener(type, (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
      handlers.forEach((h) => h(type, data));
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

export function onConnection(listener: (up: boolean) => void): () => void {
  ensure();
  connection.add(listener);
  return () => connection.delete(listener);
}
