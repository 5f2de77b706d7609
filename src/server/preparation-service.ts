// This server's preparation work: files uploaded for a run (kept in memory until run or dropped),
// runs in progress with their phase, and the analyses it holds open in worker threads (a few, the
// least recently used closed first), so the orders table answers from memory.
import { randomBytes } from 'node:crypto';
import { PreparationWorker } from '../app/preparation-off-thread.js';
import type { InputFileLook, PrepareJobView } from '../domain/preparation-api.js';
import type { StationIdentity } from '../app/open-list.js';
import { NotFoundError, PackdeskError, ValidationError } from '../domain/errors.js';
import type { ServerContext } from './context.js';

export type FileKind = 'orders' | 'stock' | 'sets';

interface Staged {
  id: string;
  client: string;
  kind: FileKind;
  name: string;
  data: Buffer;
  look: InputFileLook;
  at: number;
}

export type JobView = PrepareJobView;

const STAGED_TTL_MS = 2 * 60 * 60 * 1000;
const STAGED_MAX_BYTES = 600 * 1024 * 1024;
const OPEN_ANALYSES = 3;
const IDLE_MS = 20 * 60 * 1000;

export class PreparationService {
  private readonly staged = new Map<string, Staged>();
  private readonly jobs = new Map<string, { view: JobView; worker: PreparationWorker }>();
  private readonly open = new Map<string, { worker: Promise<PreparationWorker>; usedAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly ctx: ServerContext) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** Keeps an uploaded file for a run, after reading it through once (off this thread). */
  async stage(client: string, kind: FileKind, name: string, data: Buffer): Promise<Staged> {
    const worker = PreparationWorker.start(this.ctx);
    let look: InputFileLook;
    try {
      look = await worker.look({ name, data });
    } finally {
      worker.terminate();
    }
    this.sweep();
    const held = [...this.staged.values()].reduce((n, s) => n + s.data.length, 0);
    if (held + data.length > STAGED_MAX_BYTES)
      throw new ValidationError(
        'This server holds too many uploaded files that were never run; run or remove some first.',
      );
    const staged: Staged = {
      id: randomBytes(12).toString('hex'),
      client,
      kind,
      name,
      data,
      look,
      at: Date.now(),
    };
    this.staged.set(staged.id, staged);
    return staged;
  }

  drop(id: string): void {
    this.staged.delete(id);
  }

  private take(client: string, id: string, kind: FileKind): Staged {
    const s = this.staged.get(id);
    if (!s || s.client !== client)
      throw new NotFoundError(
        'An uploaded file is no longer on the server (it was run or it expired); add it again.',
        {
          upload: id,
        },
      );
    if (s.kind !== kind)
      throw new ValidationError(`${s.name} was added as ${s.kind}, not as ${kind}.`, { upload: id });
    return s;
  }

  /** Starts a run; its progress is published as live events and kept for polling. */
  run(
    client: string,
    files: { orders: string[]; stock: string; sets: string | null },
    by: StationIdentity,
  ): JobView {
    const orders = files.orders.map((id) => this.take(client, id, 'orders'));
    const stock = this.take(client, files.stock, 'stock');
    const sets = files.sets ? this.take(client, files.sets, 'sets') : null;
    const worker = PreparationWorker.start(this.ctx);
    const view: JobView = {
      job: randomBytes(12).toString('hex'),
      client,
      state: 'running',
      phase: 'upload',
      detail: 'starting',
      started_at: new Date().toISOString(),
      session: null,
      warnings: [],
      error: null,
    };
    this.jobs.set(view.job, { view, worker });
    const publish = () => this.ctx.live.publish({ type: 'prepare_progress', ...view });
    worker
      .prepare(
        client,
        {
          orders: orders.map((f) => ({ name: f.name, data: f.data })),
          stock: { name: stock.name, data: stock.data },
          ...(sets ? { sets: { name: sets.name, data: sets.data } } : {}),
        },
        by,
        (phase, detail) => {
          view.phase = phase;
          view.detail = detail;
          publish();
        },
      )
      .then(
        (done) => {
          Object.assign(view, {
            state: 'done',
            phase: 'done',
            detail: '',
            session: done.session,
            warnings: done.warnings,
          });
          for (const f of [...orders, stock, ...(sets ? [sets] : [])]) this.staged.delete(f.id);
          // The worker that ran it holds the analysis now: the result opens at once.
          this.keep(client, done.session, Promise.resolve(worker));
          this.ctx.live.publish({ type: 'sessions_changed', client });
          publish();
        },
        (err: unknown) => {
          worker.terminate();
          const cancelled = err instanceof PackdeskError && err.details.cancelled === true;
          view.state = cancelled ? 'cancelled' : 'failed';
          view.error =
            err instanceof PackdeskError
              ? err.toJSON()
              : { error: 'INTERNAL', message: `Unexpected error: ${(err as Error)?.message ?? String(err)}` };
          if (!cancelled) this.ctx.logger.warn({ err }, 'a preparation run failed');
          publish();
        },
      );
    publish();
    return view;
  }

  job(id: string): JobView {
    const j = this.jobs.get(id);
    if (!j) throw new NotFoundError(`There is no run ${id} on this server.`, { job: id });
    return j.view;
  }

  cancel(id: string): { outcome: 'cancelled' | 'too_late' | 'finished'; job: JobView } {
    const j = this.jobs.get(id);
    if (!j) throw new NotFoundError(`There is no run ${id} on this server.`, { job: id });
    if (j.view.state !== 'running') return { outcome: 'finished', job: j.view };
    return { outcome: j.worker.cancelRun(), job: j.view };
  }

  /** The worker holding a session's analysis, loading it first when this server has not yet. */
  async analysis(client: string, session: string): Promise<PreparationWorker> {
    const key = `${client}/${session}`;
    const known = this.open.get(key);
    if (known) {
      const worker = await known.worker.catch(() => null);
      if (worker?.alive) {
        known.usedAt = Date.now();
        return worker;
      }
      this.open.delete(key);
    }
    const loading = (async () => {
      const worker = PreparationWorker.start(this.ctx);
      try {
        await worker.load(client, session);
        return worker;
      } catch (err) {
        worker.terminate();
        throw err;
      }
    })();
    this.keep(client, session, loading);
    loading.catch(() => this.open.delete(key));
    return loading;
  }

  private keep(client: string, session: string, worker: Promise<PreparationWorker>): void {
    this.open.set(`${client}/${session}`, { worker, usedAt: Date.now() });
    // A few analyses at a time: each 50,000-order one holds a few hundred MB.
    while (this.open.size > OPEN_ANALYSES) {
      const oldest = [...this.open].sort((a, b) => a[1].usedAt - b[1].usedAt)[0]!;
      this.open.delete(oldest[0]);
      void oldest[1].worker.then(
        (w) => w.terminate(),
        () => {},
      );
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.staged) if (now - s.at > STAGED_TTL_MS) this.staged.delete(id);
    for (const [key, o] of this.open)
      if (now - o.usedAt > IDLE_MS) {
        this.open.delete(key);
        void o.worker.then(
          (w) => w.terminate(),
          () => {},
        );
      }
    for (const [id, j] of this.jobs)
      if (j.view.state !== 'running' && now - Date.parse(j.view.started_at) > STAGED_TTL_MS)
        this.jobs.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const o of this.open.values())
      void o.worker.then(
        (w) => w.terminate(),
        () => {},
      );
    this.open.clear();
    for (const j of this.jobs.values()) if (j.view.state === 'running') j.worker.terminate();
  }
}
