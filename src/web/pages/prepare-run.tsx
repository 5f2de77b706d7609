// Step one of preparing the day: choose the client, add the orders export(s), the stock file and
// maybe a sets file, see what each file is before running, then run with visible progress and a
// cancel. A refused input lists its problems (file, row, column, what to do), one per line.
import { RowProblemsView, rowProblemsOf, type RowProblems } from './row-problems.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { currentWorker } from '../identity.js';
import { go } from '../route.js';
import { SteadySelect } from '../steady-select.js';
import type { ClientSummary } from '../types.js';
import {
  prepareApi,
  uploadPrepareFile,
  type FileKind,
  type JobView,
  type UploadedFile,
} from '../prepare-api.js';

interface Entry {
  key: number;
  file: File;
  kind: FileKind;
  sent: number;
  uploaded: UploadedFile | null;
  problem: string | null;
}

const KIND_LABEL: Record<FileKind, string> = { orders: 'Orders export', stock: 'Stock', sets: 'Sets' };
const PHASES: Array<[string, string]> = [
  ['upload', 'Upload'],
  ['read', 'Read'],
  ['analyse', 'Analyse'],
  ['write', 'Write'],
  ['index', 'Orders table'],
];

/** A first guess from the file name; the shift lead can change it. */
function guessKind(name: string, entries: Entry[]): FileKind {
  const n = name.toLowerCase();
  if (/stock|inventory|наличн|склад/.test(n)) return 'stock';
  if (/\bsets?\b|bundle|комплект/.test(n)) return 'sets';
  if (/order/.test(n)) return 'orders';
  return entries.some((e) => e.kind === 'stock') ? 'orders' : entries.length > 0 ? 'stock' : 'orders';
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const DELIMITER: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const ENCODING: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with BOM',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1251': 'Windows-1251 (Cyrillic)',
};

let nextKey = 1;

export function PrepareRun(props: { client: string; station: string }) {
  const [clients, setClients] = useState<ClientSummary[]>([]);
  const [client, setClient] = useState(props.client);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [job, setJob] = useState<JobView | null>(null);
  const [problems, setProblems] = useState<RowProblems | null>(null);
  const [dragging, setDragging] = useState(false);
  const [started, setStarted] = useState(0);
  const [now, setNow] = useState(Date.now());
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api.get<{ clients: ClientSummary[] }>('/api/clients').then((r) => {
      setClients(r.clients);
      if (!client && r.clients[0]) setClient(r.clients[0].client_id);
    });
  }, []);

  const update = (key: number, patch: Partial<Entry>) =>
    setEntries((list) => list.map((e) => (e.key === key ? { ...e, ...patch } : e)));

  const send = (entry: Entry) => {
    uploadPrepareFile(client, entry.kind, entry.file, (sent) => update(entry.key, { sent })).then(
      (uploaded) => update(entry.key, { uploaded, sent: 1, problem: null }),
      (err: Error) => update(entry.key, { problem: err.message, uploaded: null }),
    );
  };

  const add = (files: FileList | File[]) => {
    const added: Entry[] = [];
    for (const file of Array.from(files)) {
      const entry: Entry = {
        key: nextKey++,
        file,
        kind: guessKind(file.name, [...entries, ...added]),
        sent: 0,
        uploaded: null,
        problem: null,
      };
      added.push(entry);
    }
    setEntries((list) => [...list, ...added]);
    setProblems(null);
    added.forEach(send);
  };

  const remove = (entry: Entry) => {
    if (entry.uploaded) void prepareApi.drop(entry.uploaded.upload).catch(() => {});
    setEntries((list) => list.filter((e) => e.key !== entry.key));
  };

  const changeKind = (entry: Entry, kind: FileKind) => {
    if (entry.uploaded) void prepareApi.drop(entry.uploaded.upload).catch(() => {});
    const next = { ...entry, kind, uploaded: null, sent: 0, problem: null };
    update(entry.key, next);
    send(next);
  };

  // Files are uploaded for one client; another client means uploading them again.
  const switchClient = (id: string) => {
    entries.forEach((e) => e.uploaded && void prepareApi.drop(e.uploaded.upload).catch(() => {}));
    setEntries([]);
    setClient(id);
  };

  const ready = entries.length > 0 && entries.every((e) => e.uploaded);
  const count = (k: FileKind) => entries.filter((e) => e.kind === k).length;
  const missing =
    count('orders') === 0
      ? 'Add at least one orders export.'
      : count('stock') !== 1
        ? count('stock') === 0
          ? 'Add the stock file.'
          : 'Only one stock file: remove the others or mark them as what they are.'
        : count('sets') > 1
          ? 'Only one sets file.'
          : null;
  const running = job?.state === 'running';

  useEffect(() => {
    if (!running || !job) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      prepareApi.job(job.job).then(setJob, () => {});
    }, 400);
    return () => clearInterval(timer);
  }, [running, job?.job]);

  useEffect(() => {
    if (!job) return;
    if (job.state === 'done' && job.session) go('prepare', { client, session: job.session });
    if (job.state === 'failed' && job.error) {
      setProblems(rowProblemsOf(String(job.error.message ?? 'The run failed.'), job.error));
    }
  }, [job?.state]);

  const run = async () => {
    setProblems(null);
    const id = (k: FileKind) => entries.filter((e) => e.kind === k).map((e) => e.uploaded!.upload);
    try {
      setStarted(Date.now());
      setJob(
        await prepareApi.run(client, {
          orders: id('orders'),
          stock: id('stock')[0]!,
          sets: id('sets')[0] ?? null,
          worker: currentWorker() ?? 'unknown',
          station: props.station,
        }),
      );
    } catch (err) {
      const e = err as ApiError;
      setProblems({ message: e.message, list: [], total: 0 });
    }
  };

  const phaseAt = PHASES.findIndex(([p]) => p === job?.phase);
  return (
    <section class="prepare-run" data-testid="prepare-run">
      <div class="toolbar">
        <h1>Prepare the day</h1>
        <label>
          Client{' '}
          <SteadySelect
            value={client}
            data-testid="prepare-client"
            disabled={running}
            onChange={(e) => switchClient((e.target as HTMLSelectElement).value)}
          >
            {clients.map((c) => (
              <option value={c.client_id}>
                {c.client_id} — {c.client_name}
              </option>
            ))}
          </SteadySelect>
        </label>
        <a class="button" href={`#/clients?client=${encodeURIComponent(client)}`}>
          Preparation settings
        </a>
      </div>
      <div
        class={`dropzone ${dragging ? 'over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => (e.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          if (e.dataTransfer?.files && !running) add(e.dataTransfer.files);
        }}
      >
        <p>
          Drop the Shopify orders export(s), the stock file and (if you use one) the sets file here, or{' '}
          <button onClick={() => input.current?.click()} disabled={running || !client}>
            choose files
          </button>
        </p>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept=".csv,.xlsx,.txt,.tsv"
          data-testid="prepare-files"
          onChange={(e) => {
            const files = (e.target as HTMLInputElement).files;
            if (files) add(files);
            (e.target as HTMLInputElement).value = '';
          }}
        />
      </div>
      {entries.length > 0 && (
        <table class="grid files" data-testid="prepare-file-list">
          <thead>
            <tr>
              <th>File</th>
              <th>What it is</th>
              <th class="num">Size</th>
              <th>Format</th>
              <th class="num">Rows</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr data-testid="prepare-file" data-file={e.file.name}>
                <td class="mono">{e.file.name}</td>
                <td>
                  <SteadySelect
                    value={e.kind}
                    disabled={running}
                    aria-label={`What ${e.file.name} is`}
                    onChange={(ev) => changeKind(e, (ev.target as HTMLSelectElement).value as FileKind)}
                  >
                    {(Object.keys(KIND_LABEL) as FileKind[]).map((k) => (
                      <option value={k}>{KIND_LABEL[k]}</option>
                    ))}
                  </SteadySelect>
                </td>
                <td class="num">{sizeText(e.file.size)}</td>
                <td data-testid="file-format">
                  {e.problem ? (
                    <span class="problem">{e.problem}</span>
                  ) : e.uploaded ? (
                    e.uploaded.format === 'xlsx' ? (
                      'Excel workbook'
                    ) : (
                      `CSV, ${ENCODING[e.uploaded.encoding ?? ''] ?? e.uploaded.encoding}, ${DELIMITER[e.uploaded.delimiter ?? ''] ?? e.uploaded.delimiter} separated`
                    )
                  ) : (
                    <span class="muted">uploading {Math.round(e.sent * 100)}%…</span>
                  )}
                  {e.uploaded?.warnings.map((w) => (
                    <div class="muted">{w}</div>
                  ))}
                </td>
                <td class="num" data-testid="file-rows">
                  {e.uploaded ? e.uploaded.rows.toLocaleString() : ''}
                </td>
                <td>
                  <button class="small" onClick={() => remove(e)} disabled={running}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="toolbar run-bar">
        <button
          class="primary"
          data-testid="run-analysis"
          disabled={!ready || missing !== null || running || !client}
          onClick={() => void run()}
        >
          Run the analysis
        </button>
        {running && (
          <button
            class="warn"
            data-testid="cancel-run"
            onClick={() => void prepareApi.cancel(job!.job).then((r) => setJob(r.job))}
          >
            Cancel
          </button>
        )}
        {entries.length > 0 && missing && <span class="muted">{missing}</span>}
        {job?.state === 'cancelled' && (
          <span data-testid="run-cancelled">Cancelled; nothing was written.</span>
        )}
      </div>
      {running && (
        <div class="run-progress" data-testid="run-progress" role="status">
          <ol class="phases">
            {PHASES.map(([, label], i) => (
              <li class={i < phaseAt ? 'done' : i === phaseAt ? 'now' : ''}>{label}</li>
            ))}
          </ol>
          <p>
            {job!.detail} <span class="muted">({((now - started) / 1000).toFixed(0)} s)</span>
          </p>
        </div>
      )}
      {problems && <RowProblemsView problems={problems} testid="run-problems" rowTestid="run-problem" />}
    </section>
  );
}
