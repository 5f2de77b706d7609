// Live updates to browsers over server-sent events: station states, progress, lease changes, and
// "something changed, fetch again" notices for lists and mappings. A browser that reconnects gets the
// current station views at once, so nothing depends on events it missed.
import type { ServerResponse } from 'node:http';

export type LiveEvent =
  | { type: 'station'; station: string; view: unknown }
  | { type: 'lease'; station: string; lease: { type: string; epoch: number; holder?: unknown } }
  | { type: 'station_closed'; station: string }
  | { type: 'sessions_changed'; client: string }
  | { type: 'mappings_changed'; client: string; revision: number }
  | { type: 'clients_changed' }
  /** A preparation run's phase (docs/api.md: the run's view, as GET /api/prepare/jobs/:job answers). */
  | ({ type: 'prepare_progress' } & Record<string, unknown>)
  /** A prepared session's analysis changed (an edit): pages showing it fetch again. */
  | { type: 'analysis_changed'; client: string; session: string; revision: number };

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor() {
    // A comment line now and then keeps proxies and idle sockets from closing the stream.
    this.keepAlive = setInterval(() => {
      for (const res of this.clients) res.write(': keep-alive\n\n');
    }, 15_000);
    this.keepAlive.unref();
  }

  attach(res: ServerResponse, initial: LiveEvent[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    for (const event of initial) res.write(frame(event));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  publish(event: LiveEvent): void {
    const text = frame(event);
    for (const res of this.clients) res.write(text);
  }

  get listeners(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}

function frame(event: LiveEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
