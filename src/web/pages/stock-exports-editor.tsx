// Stock-export definitions: which of a session's shipped goods each write-off export counts (its
// filters on whole orders, like a packing list's), and in which format. Checked as you type with the
// settings schema, saved with the other preparation settings.
import type { PreparationSettings } from '../../domain/preparation-settings.js';
import { SteadySelect } from '../steady-select.js';
import { Conditions, TryOn } from './conditions-editor.js';

type StockExports = PreparationSettings['stock_exports'];
type Format = StockExports[number]['format'];

const FORMAT_LABEL: Record<Format, string> = {
  both: 'XLSX and CSV',
  xlsx: 'XLSX',
  csv: 'CSV',
};

export function StockExportsEditor(props: {
  client: string;
  /** The prepared session the Test buttons look at ('' for none). */
  session: string;
  value: StockExports;
  onChange(next: StockExports): void;
}) {
  const exports = props.value;
  const set = (i: number, change: Partial<StockExports[number]>) =>
    props.onChange(exports.map((x, j) => (j === i ? { ...x, ...change } : x)));
  return (
    <fieldset class="settings-block" data-testid="settings-stock-exports">
      <legend>Stock exports (SKU and quantity of what the session ships, per export)</legend>
      {exports.length === 0 && <p class="muted">No stock export: a preparation writes none.</p>}
      {exports.map((x, i) => (
        <div class="rule" data-testid="stock-export">
          <div class="rule-head">
            <input
              value={x.name}
              placeholder="Export name"
              aria-label={`Stock export ${i + 1} name`}
              onInput={(e) => set(i, { name: (e.target as HTMLInputElement).value })}
            />
            <SteadySelect
              value={x.match}
              aria-label={`Stock export ${i + 1} match`}
              onChange={(e) => set(i, { match: (e.target as HTMLSelectElement).value as 'all' | 'any' })}
            >
              <option value="all">orders matching all of</option>
              <option value="any">orders matching any of</option>
            </SteadySelect>
            <SteadySelect
              value={x.format}
              aria-label={`Stock export ${i + 1} format`}
              onChange={(e) => set(i, { format: (e.target as HTMLSelectElement).value as Format })}
            >
              {(Object.keys(FORMAT_LABEL) as Format[]).map((f) => (
                <option value={f}>{FORMAT_LABEL[f]}</option>
              ))}
            </SteadySelect>
            <TryOn
              client={props.client}
              session={props.session}
              match={x.match}
              conditions={x.filters}
              testid={`test-export-${i + 1}`}
            />
            <span class="spacer" />
            <button class="small" onClick={() => props.onChange(exports.filter((_, j) => j !== i))}>
              Delete export
            </button>
          </div>
          {x.filters.length === 0 && <p class="muted">Every fulfillable order.</p>}
          <Conditions
            label={`Stock export ${i + 1}`}
            value={x.filters}
            onChange={(filters) => set(i, { filters })}
          />
        </div>
      ))}
      <button
        class="small"
        onClick={() => props.onChange([...exports, { name: '', match: 'all', filters: [], format: 'both' }])}
      >
        Add stock export
      </button>
    </fieldset>
  );
}
