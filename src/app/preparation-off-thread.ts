// The main thread's side of a preparation worker (preparation-worker.ts). One worker runs one
// preparation and then holds that session's analysis, so the orders table, edits and the summary are
// answered without the main thread ever parsing or allocating 50,000 orders. A run is cancelled by a
// flag both threads see: before writing starts the worker is stopped at once; once writing has begun
// the run finishes, so a session is never left half written.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  AnalysisFilter,
  AnalysisQuery,
  AnalysisSummary,
  ConditionPreview,
  ConditionPreviewAnswer,
  OrderDetail,
  OrdersPage,
} from '../domain/analysis-query.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { PreparationChange } from '../domain/preparation-edits.js';
import { errorFrom } from './worker-errors.js';
import { WorkerMessage, type WorkerInit, type WorkerRequest } from './preparation-job.js';
import type { EditOutcome, InputFileLook } from '../domain/preparation-api.js';
import type { Deps, StationIdentity } from './open-list.js';
import type { InputBytes } from './prepare-session.js';

export const PREPARATION_WORKER_LIMITS = { heapMb: 2_048 };

type Pending = {
  resolve(value: unknown): void;
  reject(err: Error): void;
  progress?: (phase: string, detail: string) => void;
};

/** Request bodies without the id the worker answers to. */
type Body<T extends WorkerRequest['type']> = Omit<Extract<WorkerRequest, { type: T }>, 'id'>;

export class PreparationWorker {
  private readonly worker: Worker;
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopped: Error | null = null;

  private constructor(deps: Deps) {
    const entry = new URL('./preparation-worker.js', import.meta.url);
    if (!existsSync(fileURLToPath(entry)))
      throw new Error('The preparation worker is not built: run "npm run build".');
    const init: WorkerInit = {
      root: deps.layout.root,
      settings: deps.settings,
      cancel: this.cancel.buffer as SharedArrayBuffer,
    };
    this.worker = new Worker(entry, {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: PREPARATION_WORKER_LIMITS.heapMb },
    });
    this.worker.on('message', (raw: unknown) => this.onMessage(raw));
    this.worker.once('error', (err: Error & { code?: string }) =>
      this.stop(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new ValidationError(
              `The files need more than ${PREPARATION_WORKER_LIMITS.heapMb} MB of memory to analyse; split the export into smaller files.`,
            )
          : err,
      ),
    );
    this.worker.once('exit', (code) => this.stop(new Error(`the preparation worker stopped (exit ${code})`)));
  }

  static start(deps: Deps): PreparationWorker {
    return new PreparationWorker(deps);
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  get alive(): boolean {
    return this.stopped === null;
  }

  look(file: InputBytes): Promise<InputFileLook> {
    const data = new Uint8Array(file.data);
    return this.ask('look', { type: 'look', file: { name: file.name, data } }, undefined, [data.buffer]);
  }

  prepare(
    client: string,
    inputs: { orders: InputBytes[]; stock: InputBytes; sets?: InputBytes },
    by: StationIdentity,
    progress: (phase: string, detail: string) => void,
  ): Promise<{ session: string; warnings: string[] }> {
    // Each file's bytes are copied once into a buffer of their own and that buffer is handed to the
    // worker (transferred, not cloned): a 48 MB export is otherwise held twice more in the process.
    const transfer: ArrayBuffer[] = [];
    const bytes = (f: InputBytes) => {
      const data = new Uint8Array(f.data);
      transfer.push(data.buffer);
      return { name: f.name, data };
    };
    return this.ask(
      'prepare',
      {
        type: 'prepare',
        client,
        orders: inputs.orders.map(bytes),
        stock: bytes(inputs.stock),
        sets: inputs.sets ? bytes(inputs.sets) : null,
        by,
      },
      progress,
      transfer,
    );
  }

  /**
   * Cancels a running preparation: 'cancelled' (the worker is stopped, nothing was written) or
   * 'too_late' (it is writing the session and will finish).
   */
  cancelRun(): 'cancelled' | 'too_late' {
    const was = Atomics.compareExchange(this.cancel, 0, 0, 1);
    if (was === 2) return 'too_late';
    this.stop(new ConflictError('The run was cancelled; nothing was written.', { cancelled: true }));
    return 'cancelled';
  }

  load(client: string, session: string): Promise<AnalysisSummary> {
    return this.ask('load', { type: 'load', client, session });
  }
  summary(): Promise<AnalysisSummary> {
    return this.ask('summary', { type: 'summary' });
  }
  query(query: AnalysisQuery): Promise<OrdersPage> {
    return this.ask('query', { type: 'query', query });
  }
  detail(order: string): Promise<OrderDetail> {
    return this.ask('detail', { type: 'detail', order });
  }
  matching(filter: AnalysisFilter): Promise<string[]> {
    return this.ask('match', { type: 'match', filter });
  }
  preview(preview: ConditionPreview): Promise<ConditionPreviewAnswer> {
    return this.ask('preview', { type: 'preview', preview });
  }
  edit(changes: PreparationChange[], by: StationIdentity): Promise<EditOutcome> {
    return this.ask('edit', { type: 'edit', changes, by });
  }

  terminate(): void {
    this.stop(new Error('the preparation worker was closed'));
  }

  private ask<T, K extends WorkerRequest['type']>(
    _type: K,
    body: Body<K>,
    progress?: (phase: string, detail: string) => void,
    transfer: ArrayBuffer[] = [],
  ): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        ...(progress ? { progress } : {}),
      });
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  private onMessage(raw: unknown): void {
    const parsed = WorkerMessage.safeParse(raw);
    if (!parsed.success)
      return this.stop(new Error(`the preparation worker answered ${parsed.error.message}`));
    const m = parsed.data;
    const pending = this.pending.get(m.id);
    if (!pending) return;
    if (m.type === 'progress') return pending.progress?.(m.phase, m.detail);
    this.pending.delete(m.id);
    if (m.ok) pending.resolve(m.value);
    else pending.reject(errorFrom(m.error));
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    void this.worker.terminate();
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }
}
