// Tells the session index how far a list is, for listings that must not open every list's journal.
// A station publishes after every completed order, off the answer's path; publications coalesce, and
// the newest journal position wins in the index.
import type { Layout } from '../store/layout.js';
import type { Logger } from '../store/logger.js';
import { appendIndexEvents } from '../store/session-index.js';

/** Least time between two progress publications to the session index. */
const PROGRESS_EVERY_MS = 2_000;

export interface ListProgressFact {
  session: string;
  list: string;
  /** The journal record the figures include. */
  seq: number;
  orders_done: number;
  items_done: number;
}

export class ProgressPublisher {
  private writing: Promise<void> | null = null;
  private dirty = false;
  private stopped = false;

  constructor(
    private readonly layout: Layout,
    private readonly client: string,
    private readonly logger: Logger,
    /** The list's figures as they are when a publication is written. */
    private readonly current: () => ListProgressFact,
  ) {}

  /** Publishes soon: now if nothing is being written, else once the write in hand and its pause are over. */
  publish(): void {
    if (this.writing) {
      this.dirty = true;
      return;
    }
    this.writing = this.write()
      .catch((err) => this.logger.warn({ err }, 'progress not published to the session index'))
      // At most one publication per PROGRESS_EVERY_MS: a fast packer must not turn the index into a
      // second journal, and its writes must not compete with the scans' own flushes.
      .then(() =>
        this.stopped
          ? undefined
          : new Promise<void>((resolve) => setTimeout(resolve, PROGRESS_EVERY_MS).unref()),
      )
      .finally(() => {
        this.writing = null;
        if (this.dirty && !this.stopped) {
          this.dirty = false;
          this.publish();
        }
      });
  }

  /** No more coalesced publications (the sitting ends; its final figures go through write()). */
  stop(): void {
    this.stopped = true;
  }

  /** Writes the figures now; a publication still pending carries an older journal position and loses. */
  write(): Promise<void> {
    return appendIndexEvents(this.layout, this.client, [{ type: 'progress', ...this.current() }]);
  }
}
