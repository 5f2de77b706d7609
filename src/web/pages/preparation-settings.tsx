// The client's preparation settings, edited in the browser: couriers (with a live "which courier
// does this shipping method get" check), the column names of the orders export and the stock file
// (with "read the headers from a sample file"), sets, and rules and list definitions (rules-editor.tsx). Checked as you type with the very schema
// the server saves with; saved whole through the client's locked, backed-up settings file.
import { useEffect, useState } from 'preact/hooks';
import { api, enc, type ApiError } from '../api.js';
import { mergeSets, setsCsvText, type SetsImportAnswer } from '../../domain/sets-file.js';
import { RowProblemsView, rowProblemsOf, type RowProblems } from './row-problems.js';
import { courierFor } from '../../domain/fulfilment-analysis.js';
import { PreparationSettingsSchema, type PreparationSettings } from '../../domain/preparation-settings.js';
import { prepareApi, uploadPrepareFile, type FileKind } from '../prepare-api.js';
import { RulesAndLists } from './rules-editor.js';
import { AllocationSettings } from './allocation-settings.js';

type Problem = { setting: string; message: string };

function problemsOf(value: unknown): Problem[] {
  const parsed = PreparationSettingsSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({
    setting: i.path.reduce<string>(
      (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
      '',
    ),
    message: i.message,
  }));
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const ORDER_FIELDS: Array<[keyof PreparationSettings['orders_columns'], string]> = [
  ['order_number', 'Order number'],
  ['sku', 'SKU'],
  ['quantity', 'Quantity'],
  ['product_name', 'Product name'],
  ['shipping_method', 'Shipping method'],
  ['country', 'Country'],
  ['created_at', 'Created at'],
  ['tags', 'Tags'],
  ['notes', 'Notes'],
  ['total', 'Total'],
  ['subtotal', 'Subtotal'],
  ['email', 'E-mail'],
  ['customer_name', 'Customer name (billing)'],
  ['shipping_name', 'Customer name (shipping, if no billing name)'],
];
const STOCK_FIELDS: Array<[keyof PreparationSettings['stock_columns'], string]> = [
  ['sku', 'SKU'],
  ['product_name', 'Product name'],
  ['stock', 'Stock'],
];

function Couriers(props: { value: PreparationSettings; onChange(v: PreparationSettings): void }) {
  const [method, setMethod] = useState('');
  const couriers = props.value.couriers;
  const set = (next: PreparationSettings['couriers']) => props.onChange({ ...props.value, couriers: next });
  const tested = method.trim() ? courierFor(method, couriers) : null;
  return (
    <fieldset class="settings-block" data-testid="settings-couriers">
      <legend>Couriers (the first whose pattern a shipping method contains)</legend>
      <table class="grid">
        <thead>
          <tr>
            <th>Courier</th>
            <th>Patterns (comma-separated, any case)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {couriers.map((c, i) => (
            <tr data-testid="courier-row">
              <td>
                <input
                  value={c.name}
                  aria-label={`Courier ${i + 1} name`}
                  onInput={(e) =>
                    set(
                      couriers.map((x, j) =>
                        j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x,
                      ),
                    )
                  }
                />
              </td>
              <td>
                <input
                  class="wide"
                  value={c.patterns.join(', ')}
                  aria-label={`Courier ${i + 1} patterns`}
                  onInput={(e) =>
                    set(
                      couriers.map((x, j) =>
                        j === i ? { ...x, patterns: list((e.target as HTMLInputElement).value) } : x,
                      ),
                    )
                  }
                />
              </td>
              <td class="row-actions">
                <button
                  class="small"
                  disabled={i === 0}
                  aria-label="Move up"
                  onClick={() => set(swap(couriers, i, i - 1))}
                >
                  ↑
                </button>
                <button class="small" onClick={() => set(couriers.filter((_, j) => j !== i))}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button class="small" onClick={() => set([...couriers, { name: '', patterns: [] }])}>
        Add courier
      </button>
      <p class="courier-check">
        <label>
          Which courier does this shipping method get?{' '}
          <input
            value={method}
            placeholder="e.g. DHL Express Worldwide"
            data-testid="courier-check-input"
            onInput={(e) => setMethod((e.target as HTMLInputElement).value)}
          />
        </label>{' '}
        {tested && (
          <strong data-testid="courier-check-result">
            → {tested}
            {tested === 'Unknown' && ' (no pattern matches: reported as Unknown)'}
          </strong>
        )}
      </p>
    </fieldset>
  );
}

function swap<T>(items: T[], a: number, b: number): T[] {
  const next = [...items];
  [next[a], next[b]] = [next[b]!, next[a]!];
  return next;
}

function Columns(props: {
  client: string;
  value: PreparationSettings;
  onChange(v: PreparationSettings): void;
}) {
  const [headers, setHeaders] = useState<Record<'orders' | 'stock', string[] | null>>({
    orders: null,
    stock: null,
  });
  const [problem, setProblem] = useState<string | null>(null);
  const sample = async (kind: 'orders' | 'stock', file: File) => {
    setProblem(null);
    try {
      const look = await uploadPrepareFile(props.client, kind as FileKind, file, () => {});
      void prepareApi.drop(look.upload).catch(() => {});
      setHeaders({ ...headers, [kind]: look.headers });
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  const block = <K extends 'orders' | 'stock'>(
    kind: K,
    fields: Array<[string, string]>,
    values: Record<string, unknown>,
    onField: (field: string, v: string) => void,
  ) => {
    const seen = headers[kind];
    const lower = new Set((seen ?? []).map((h) => h.toLowerCase()));
    return (
      <fieldset class="settings-block" data-testid={`settings-columns-${kind}`}>
        <legend>{kind === 'orders' ? 'Orders export columns' : 'Stock file columns'}</legend>
        <label class="sample">
          Read the headers from a sample file:{' '}
          <input
            type="file"
            accept=".csv,.xlsx,.txt,.tsv"
            data-testid={`sample-${kind}`}
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (f) void sample(kind, f);
              (e.target as HTMLInputElement).value = '';
            }}
          />
        </label>
        {seen && (
          <p class="muted" data-testid={`sample-headers-${kind}`}>
            The sample's columns: {seen.join(' · ')}
          </p>
        )}
        <datalist id={`headers-${kind}`}>
          {(seen ?? []).map((h) => (
            <option value={h} />
          ))}
        </datalist>
        <div class="column-fields">
          {fields.map(([field, label]) => {
            const v = String(values[field] ?? '');
            const missing = seen !== null && v !== '' && !lower.has(v.toLowerCase());
            return (
              <label class={missing ? 'missing' : ''} data-testid={`column-${kind}-${field}`}>
                <span>{label}</span>
                <input
                  value={v}
                  list={`headers-${kind}`}
                  onInput={(e) => onField(field, (e.target as HTMLInputElement).value)}
                />
                {missing && <em>not in the sample</em>}
              </label>
            );
          })}
        </div>
      </fieldset>
    );
  };
  const v = props.value;
  return (
    <>
      {problem && <div class="inline-error">{problem}</div>}
      {block('orders', ORDER_FIELDS, v.orders_columns, (f, text) =>
        props.onChange({ ...v, orders_columns: { ...v.orders_columns, [f]: text } }),
      )}
      {block('stock', STOCK_FIELDS, v.stock_columns, (f, text) =>
        props.onChange({ ...v, stock_columns: { ...v.stock_columns, [f]: text } }),
      )}
    </>
  );
}

function componentsText(set: PreparationSettings['sets'][number]): string {
  return set.components.map((c) => `${c.sku}×${c.quantity}`).join(', ');
}

function parseComponents(text: string): PreparationSettings['sets'][number]['components'] {
  return list(text).map((part) => {
    const m = /^(.*?)\s*[×x*]\s*(\d+)$/i.exec(part);
    return m ? { sku: m[1]!.trim(), quantity: Number(m[2]) } : { sku: part, quantity: 1 };
  });
}

/** Offers `text` as a file download named `name`. */
function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Sets(props: { client: string; value: PreparationSettings; onChange(v: PreparationSettings): void }) {
  const sets = props.value.sets;
  const [texts, setTexts] = useState<string[]>(sets.map(componentsText));
  const [imported, setImported] = useState<string | null>(null);
  const [problems, setProblems] = useState<RowProblems | null>(null);
  const set = (next: PreparationSettings['sets'], nextTexts: string[]) => {
    setTexts(nextTexts);
    props.onChange({ ...props.value, sets: next });
  };
  // As a preparation takes a sets file: the file's definition of a set replaces the one of the same
  // SKU here, the others are added. Shown in the table, saved with the other settings.
  const importFile = async (file: File) => {
    setProblems(null);
    setImported(null);
    try {
      const r = await api.upload<SetsImportAnswer>(
        `/api/clients/${enc(props.client)}/preparation/sets`,
        file,
      );
      const { sets: next, replaced } = mergeSets(sets, r.sets);
      set(next, next.map(componentsText));
      setImported(
        `${r.file}: ${r.sets.length} set(s) from ${r.rows} row(s)${replaced > 0 ? `, ${replaced} of them replacing sets with the same SKU` : ''}. Save to keep them.${r.warnings.length > 0 ? ` ${r.warnings.join(' ')}` : ''}`,
      );
    } catch (e) {
      const err = e as ApiError;
      setProblems(rowProblemsOf(err.message, err.body));
    }
  };
  return (
    <fieldset class="settings-block" data-testid="settings-sets">
      <legend>Sets (a set SKU is packed as its components)</legend>
      <div class="toolbar">
        <label class="button small">
          Import CSV…
          <input
            type="file"
            class="visually-hidden"
            accept=".csv,.txt,.tsv,.xlsx"
            data-testid="sets-import"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const f = input.files?.[0];
              if (f) void importFile(f);
              input.value = '';
            }}
          />
        </label>
        <button
          class="small"
          data-testid="sets-export"
          disabled={sets.length === 0}
          onClick={() => download(`sets_${props.client}.csv`, setsCsvText(sets), 'text/csv;charset=utf-8')}
        >
          Export CSV
        </button>
        <span class="muted">
          Set_SKU, Component_SKU, Component_Quantity: the sets file a preparation reads
        </span>
      </div>
      {imported && (
        <p class="muted" data-testid="sets-imported">
          {imported}
        </p>
      )}
      {problems && <RowProblemsView problems={problems} testid="sets-problems" rowTestid="sets-problem" />}
      {sets.length === 0 && <p class="muted">No sets.</p>}
      <table class="grid">
        <tbody>
          {sets.map((s, i) => (
            <tr data-testid="set-row">
              <td>
                <input
                  value={s.sku}
                  aria-label={`Set ${i + 1} SKU`}
                  onInput={(e) =>
                    set(
                      sets.map((x, j) => (j === i ? { ...x, sku: (e.target as HTMLInputElement).value } : x)),
                      texts,
                    )
                  }
                />
              </td>
              <td>
                <input
                  class="wide"
                  value={texts[i] ?? ''}
                  placeholder="SKU×2, SKU×1"
                  aria-label={`Set ${i + 1} components`}
                  onInput={(e) => {
                    const text = (e.target as HTMLInputElement).value;
                    set(
                      sets.map((x, j) => (j === i ? { ...x, components: parseComponents(text) } : x)),
                      texts.map((t, j) => (j === i ? text : t)),
                    );
                  }}
                />
              </td>
              <td>
                <button
                  class="small"
                  onClick={() =>
                    set(
                      sets.filter((_, j) => j !== i),
                      texts.filter((_, j) => j !== i),
                    )
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button class="small" onClick={() => set([...sets, { sku: '', components: [] }], [...texts, ''])}>
        Add set
      </button>
    </fieldset>
  );
}

export function PreparationSettingsEditor(props: { client: string }) {
  const [saved, setSaved] = useState<PreparationSettings | null>(null);
  const [draft, setDraft] = useState<PreparationSettings | null>(null);
  const [note, setNote] = useState<{ text: string; bad: boolean } | null>(null);
  useEffect(() => {
    api.get<{ preparation: PreparationSettings }>(`/api/clients/${enc(props.client)}/preparation`).then(
      (r) => (setSaved(r.preparation), setDraft(r.preparation)),
      (e: Error) => setNote({ text: e.message, bad: true }),
    );
  }, [props.client]);
  if (!draft || !saved) return <p>Loading the preparation settings…</p>;
  const problems = problemsOf(draft);
  const changed = JSON.stringify(draft) !== JSON.stringify(saved);
  const save = async () => {
    try {
      const r = await api.put<{ preparation: PreparationSettings }>(
        `/api/clients/${enc(props.client)}/preparation`,
        { preparation: draft },
      );
      setSaved(r.preparation);
      setDraft(r.preparation);
      setNote({
        text: 'Saved. The next preparation uses these settings; prepared sessions keep theirs.',
        bad: false,
      });
    } catch (e) {
      setNote({ text: (e as Error).message, bad: true });
    }
  };
  const change = (v: PreparationSettings) => (setDraft(v), setNote(null));
  return (
    <section class="panel preparation-settings" data-testid="preparation-settings">
      <h2>Preparation settings</h2>
      <Couriers value={draft} onChange={change} />
      <Columns client={props.client} value={draft} onChange={change} />
      <Sets client={props.client} value={draft} onChange={change} />
      <AllocationSettings value={draft} onChange={change} />
      <RulesAndLists client={props.client} value={draft} onChange={change} />
      {problems.length > 0 && (
        <ul class="inline-error" data-testid="settings-problems">
          {problems.slice(0, 20).map((p) => (
            <li>
              <span class="mono">{p.setting}</span>: {p.message}
            </li>
          ))}
        </ul>
      )}
      <div class="toolbar">
        <button
          class="primary"
          data-testid="save-preparation"
          disabled={!changed || problems.length > 0}
          onClick={() => void save()}
        >
          Save preparation settings
        </button>
        <button disabled={!changed} onClick={() => (setDraft(saved), setNote(null))}>
          Discard changes
        </button>
        {note && (
          <span class={note.bad ? 'problem' : ''} data-testid="preparation-note">
            {note.text}
          </span>
        )}
      </div>
    </section>
  );
}
