// Live updates to browsers over server-sent events: station states, progress, lease changes, and
// "something changed, fetch again" notices for lists and mappings. A browser that (re)connects gets
// the current station views at once (the caller of `attach` passes them), so nothing depends on
// events it missed. The events are the API contract's (src/contract/live-events.ts).
import type { ServerResponse } from 'node:http';
import type { LiveEvent } from '../contract/live-events.js';
import { checkLiveEvent } from './contract-check.js';

export type { LiveEvent };

export class LiveHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepAlive: NodeJS.Timeout;
  private readonly checkContract: boolean;

  constructor(options: { checkContract?: boolean } = {}) {
    this.checkContract = options.checkContract ?? false;
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
    for (const event of initial) res.write(this.frame(event));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  publish(event: LiveEvent): void {
    const text = this.frame(event);
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

  private frame(event: LiveEvent): string {
    if (this.checkContract) checkLiveEvent(event);
    return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  }
}
