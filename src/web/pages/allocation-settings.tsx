// How a client's stock is shared out: the priority order of orders, the low-stock threshold and the
// repeat window. Part of the preparation settings editor.
import {
  PRIORITY_KEYS,
  type PreparationSettings,
  type PriorityKey,
} from '../../domain/preparation-settings.js';

const PRIORITY_LABEL: Record<PriorityKey, string> = {
  multi_line_first: 'orders with more than one line first',
  single_line_first: 'single-line orders first',
  oldest_first: 'oldest first',
  newest_first: 'newest first',
  most_items_first: 'most items first',
  order_number: 'by order number',
};

export function AllocationSettings(props: {
  value: PreparationSettings;
  onChange(v: PreparationSettings): void;
}) {
  const v = props.value;
  const used = v.priority;
  const unused = PRIORITY_KEYS.filter((k) => !used.includes(k));
  const setPriority = (priority: PriorityKey[]) => props.onChange({ ...v, priority });
  const number = (key: 'low_stock_threshold' | 'repeat_window_days', label: string) => (
    <label class="number-setting">
      {label}{' '}
      <input
        type="number"
        min={0}
        value={String(v[key])}
        data-testid={`setting-${key}`}
        onInput={(e) => {
          const text = (e.target as HTMLInputElement).value;
          // Left as typed when it is not a number, so the schema names the problem.
          props.onChange({ ...v, [key]: text.trim() === '' ? Number.NaN : Number(text) });
        }}
      />
    </label>
  );
  return (
    <fieldset class="settings-block" data-testid="settings-allocation">
      <legend>Who gets the stock first</legend>
      <ol class="priority" data-testid="priority">
        {used.map((k, i) => (
          <li>
            {PRIORITY_LABEL[k]}{' '}
            <button
              class="small"
              disabled={i === 0}
              aria-label={`Move "${PRIORITY_LABEL[k]}" up`}
              onClick={() => setPriority(used.map((x, j) => (j === i - 1 ? k : j === i ? used[i - 1]! : x)))}
            >
              ↑
            </button>{' '}
            <button class="small" onClick={() => setPriority(used.filter((x) => x !== k))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      {unused.length > 0 && (
        <p class="muted">
          Add:{' '}
          {unused.map((k) => (
            <button class="small" onClick={() => setPriority([...used, k])}>
              {PRIORITY_LABEL[k]}
            </button>
          ))}
        </p>
      )}
      <div class="toolbar">
        {number('low_stock_threshold', 'A SKU is low below')}
        {number('repeat_window_days', 'Repeats: packed in the last (days)')}
        <label>
          <input
            type="checkbox"
            checked={v.repeat_by_email}
            onChange={(e) =>
              props.onChange({ ...v, repeat_by_email: (e.target as HTMLInputElement).checked })
            }
          />{' '}
          also by customer e-mail
        </label>
      </div>
    </fieldset>
  );
}
