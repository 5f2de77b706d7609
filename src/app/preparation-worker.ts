// A preparation worker thread (see preparation-off-thread.ts): runs a preparation, then keeps that
// session's analysis indexed in memory and answers the orders table, the summary, order details and
// edits. Reading 50,000 orders and allocating stock takes seconds that must not be taken from the
// thread that keeps leases alive and answers scans.
import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisIndex, type AnalysisDoc } from '../domain/analysis-query.js';
import type { AnalysisResult } from '../domain/fulfilment-analysis.js';
import { NotFoundError, PackdeskError, ValidationError } from '../domain/errors.js';
import { Layout } from '../store/layout.js';
import { monoNowMs } from '../store/lease/clock.js';
import { WorkerInit, WorkerRequest, type WorkerMessage } from './preparation-job.js';
import type { EditOutcome } from '../domain/preparation-api.js';
import { editPreparedSession, type EditResult } from './prepare-edits.js';
import { prepareSession, type PreparePhase } from './prepare-session.js';
import { errorShape } from './worker-errors.js';
import { loadPreparedAnalysis, lookAtInputFile, preparedRevision } from './prepared-analysis.js';
import { PreparationMemo } from './preparation-memo.js';

const init = WorkerInit.parse(workerData);
const deps = { layout: new Layout(init.root), settings: init.settings };
const cancel = new Int32Array(init.cancel);
const CANCELLED = 1;
const WRITING = 2;
/** How often a query looks whether another station's edit raised the session's revision. */
const REVISION_CHECK_MS = 1_000;

let current: { client: string; session: string; index: AnalysisIndex; checkedAt: number } | null = null;
/** The inputs and latest analysis of the session this worker serves, so an edit analyses once. */
const memo = new PreparationMemo();

class Cancelled extends PackdeskError {
  constructor() {
    super('CONFLICT', 'The run was cancelled; nothing was written.', { cancelled: true });
  }
}

/** A message's bytes as a Buffer without copying them (Buffer.from of a Uint8Array copies). */
function bufferOf(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

/**
 * The analysis a run or an edit just made, indexed from memory: the same data analysis.json was
 * written from, without reading 40 MB back and parsing it again.
 */
function adopt(
  client: string,
  session: string,
  revision: number,
  result: AnalysisResult,
  keep: Pick<AnalysisDoc, 'inputs'> & { exportFiles(name: string): string[] },
): AnalysisIndex {
  const doc: AnalysisDoc = {
    counts: result.counts,
    couriers: result.couriers,
    lists: result.lists.map((l) => ({
      name: l.name,
      orders_total: l.orders_total,
      items_total: l.items_total,
    })),
    skus: result.skus,
    orders: result.orders,
    warnings: result.warnings,
    inputs: keep.inputs,
    exports: result.exports.map((e) => ({ name: e.name, files: keep.exportFiles(e.name) })),
  };
  const index = new AnalysisIndex(doc, revision);
  current = { client, session, index, checkedAt: monoNowMs() };
  return index;
}

async function load(client: string, session: string): Promise<AnalysisIndex> {
  // Another session's inputs are not kept while this one is served.
  if (current?.client !== client || current.session !== session) memo.forget();
  const { revision, doc } = await loadPreparedAnalysis(deps, client, session);
  const index = new AnalysisIndex(doc, revision);
  current = { client, session, index, checkedAt: monoNowMs() };
  return index;
}

/** The loaded analysis, reloaded first when an edit anywhere has raised its revision. */
async function fresh(): Promise<AnalysisIndex> {
  if (!current) throw new ValidationError('No analysis is loaded in this worker.');
  if (monoNowMs() - current.checkedAt >= REVISION_CHECK_MS) {
    const revision = await preparedRevision(deps, current.client, current.session);
    current.checkedAt = monoNowMs();
    if (revision !== current.index.revision) return load(current.client, current.session);
  }
  return current.index;
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.type) {
    case 'look':
      return lookAtInputFile(bufferOf(req.file.data), req.file.name);
    case 'prepare': {
      const file = (f: { name: string; data: Uint8Array }) => ({ name: f.name, data: bufferOf(f.data) });
      const prepared = await prepareSession(
        deps,
        req.client,
        {
          orders: req.orders.map(file),
          stock: file(req.stock),
          ...(req.sets ? { sets: file(req.sets) } : {}),
        },
        req.by,
        {
          memo,
          onProgress: (phase: PreparePhase, detail: string) => {
            // Once writing starts the run finishes: a half-written session is worse than a late cancel.
            if (phase === 'write') {
              if (Atomics.compareExchange(cancel, 0, 0, WRITING) === CANCELLED) throw new Cancelled();
            } else if (Atomics.load(cancel, 0) === CANCELLED) throw new Cancelled();
            post({ type: 'progress', id: req.id, phase, detail });
          },
        },
      );
      const session = prepared.session!;
      post({ type: 'progress', id: req.id, phase: 'index', detail: 'getting the orders table ready' });
      const written = prepared.files?.writeoff ?? [];
      adopt(req.client, session, 0, prepared.result, {
        inputs: prepared.inputs,
        exportFiles: (name) =>
          written.filter((f) => f.replace(/^exports\//, '').replace(/\.[^.]+$/, '') === name),
      });
      return { session, warnings: prepared.result.warnings };
    }
    case 'load':
      await load(req.client, req.session);
      return current!.index.summary();
    case 'summary':
      return (await fresh()).summary();
    case 'query':
      return (await fresh()).page(req.query);
    case 'match':
      return (await fresh()).orderNumbers(req.filter);
    case 'preview':
      return (await fresh()).preview(req.preview);
    case 'detail': {
      const detail = (await fresh()).detail(req.order);
      if (!detail)
        throw new NotFoundError(`Order ${req.order} is not in this session.`, { order: req.order });
      return detail;
    }
    case 'edit': {
      if (!current) throw new ValidationError('No analysis is loaded in this worker.');
      const { client, session } = current;
      const results: EditOutcome['results'] = [];
      const before = current.index.doc;
      const startRevision = await preparedRevision(deps, client, session);
      let last: AnalysisResult | null = null;
      let made = 0;
      for (const change of req.changes) {
        try {
          const r = await editPreparedSession(deps, client, session, change, req.by, memo);
          last = r.result;
          made++;
          results.push(...resultsOf(r));
        } catch (err) {
          // One change refuses: a single edit answers with its error; a bulk edit goes on and lists it.
          if (req.changes.length === 1) throw err;
          results.push({ change, ok: false, error: errorShape(err) });
        }
      }
      const revision = await preparedRevision(deps, client, session);
      // Each edit raises the revision by one; anything else means another station edited meanwhile,
      // and the analysis is read back from the session instead.
      const index = !last
        ? await fresh()
        : revision !== startRevision + made
          ? await load(client, session)
          : adopt(client, session, revision, last, {
              inputs: before.inputs,
              exportFiles: (name) => before.exports.find((e) => e.name === name)?.files ?? [],
            });
      return { results, revision: index.revision, counts: index.doc.counts };
    }
  }
}

/**
 * What an edit answers: one result for a single change; for a bulk one, a result per order (each
 * applied order naming the one ledger record, each skipped order its reason), so the page can say
 * which orders were left out.
 */
function resultsOf(r: EditResult): EditOutcome['results'] {
  const c = r.edit.change;
  if (c.type !== 'hold_many' && c.type !== 'release_many' && c.type !== 'tag_many')
    return [{ change: c, ok: true, description: r.description, seq: r.edit.seq }];
  const type = c.type === 'hold_many' ? 'hold' : c.type === 'release_many' ? 'release' : 'tag';
  return [
    ...c.orders.map((order) => ({
      change: { type, order },
      ok: true,
      description: r.description,
      seq: r.edit.seq,
    })),
    ...r.skipped.map((s) => ({ change: { type, order: s.order }, ok: false, error: errorShape(s.error) })),
  ];
}

parentPort!.on('message', (raw: unknown) => {
  const parsed = WorkerRequest.safeParse(raw);
  if (!parsed.success) {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw ? Number(raw.id) : -1;
    post({ type: 'answer', id, ok: false, error: errorShape(new Error(parsed.error.message)) });
    return;
  }
  const req = parsed.data;
  handle(req).then(
    (value) => post({ type: 'answer', id: req.id, ok: true, value }),
    (err: unknown) => post({ type: 'answer', id: req.id, ok: false, error: errorShape(err) }),
  );
});
