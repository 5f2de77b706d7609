// Conditions on whole orders (field, operator, value) as the rules, packing-list and stock-export
// definitions build them, and the Test button that shows which orders of a prepared session they
// would touch before anything is saved.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { SteadySelect } from '../steady-select.js';
import { CONDITION_OPERATORS, ORDER_FIELDS, type Condition } from '../../domain/order-conditions.js';
import type { ConditionPreviewAnswer } from '../../contract/index.js';
import { analysisBase } from '../prepare-api.js';

const NO_VALUE = new Set(['is_empty', 'is_not_empty']);
const OPERATOR_LABEL: Record<string, string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  not_contains: 'does not contain',
  in: 'is one of',
  not_in: 'is none of',
  greater_than: 'is more than',
  less_than: 'is less than',
  between: 'is between',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  matches: 'matches the pattern',
};

function valueOf(operator: string, text: string): Condition['value'] {
  if (NO_VALUE.has(operator)) return undefined;
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (operator === 'in' || operator === 'not_in') return parts;
  if (operator === 'between') return parts.map(Number);
  if (
    (operator === 'greater_than' || operator === 'less_than') &&
    text.trim() !== '' &&
    Number.isFinite(Number(text))
  )
    return Number(text);
  return text;
}

const textOf = (v: Condition['value']) =>
  Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v);

function ConditionRow(props: {
  value: Condition;
  onChange(c: Condition): void;
  onDelete(): void;
  label: string;
}) {
  const [text, setText] = useState(textOf(props.value.value));
  const c = props.value;
  const set = (patch: Partial<Condition>, nextText = text) => {
    const next = { ...c, ...patch };
    const value = valueOf(next.operator, nextText);
    const { value: _drop, ...rest } = next;
    props.onChange(value === undefined ? rest : { ...rest, value });
  };
  return (
    <div class="condition" data-testid="condition">
      <SteadySelect
        value={c.field}
        aria-label={`${props.label} field`}
        onChange={(e) => set({ field: (e.target as HTMLSelectElement).value })}
      >
        {ORDER_FIELDS.map((f) => (
          <option value={f}>{f.replace(/_/g, ' ')}</option>
        ))}
        {!(ORDER_FIELDS as readonly string[]).includes(c.field) && <option value={c.field}>{c.field}</option>}
      </SteadySelect>
      <SteadySelect
        value={c.operator}
        aria-label={`${props.label} operator`}
        onChange={(e) => set({ operator: (e.target as HTMLSelectElement).value as Condition['operator'] })}
      >
        {CONDITION_OPERATORS.map((o) => (
          <option value={o}>{OPERATOR_LABEL[o] ?? o}</option>
        ))}
      </SteadySelect>
      {!NO_VALUE.has(c.operator) && (
        <input
          value={text}
          aria-label={`${props.label} value`}
          placeholder={
            c.operator === 'between' ? 'low, high' : c.operator.endsWith('in') ? 'a, b, c' : 'value'
          }
          onInput={(e) => {
            const t = (e.target as HTMLInputElement).value;
            setText(t);
            set({}, t);
          }}
        />
      )}
      <button class="small" onClick={props.onDelete} aria-label={`Delete ${props.label}`}>
        ✕
      </button>
    </div>
  );
}

export function Conditions(props: { label: string; value: Condition[]; onChange(c: Condition[]): void }) {
  return (
    <div class="conditions">
      {props.value.map((c, i) => (
        <ConditionRow
          key={`${i}-${props.value.length}`}
          label={`${props.label} condition ${i + 1}`}
          value={c}
          onChange={(next) => props.onChange(props.value.map((x, j) => (j === i ? next : x)))}
          onDelete={() => props.onChange(props.value.filter((_, j) => j !== i))}
        />
      ))}
      <button
        class="small"
        onClick={() => props.onChange([...props.value, { field: 'tags', operator: 'equals', value: '' }])}
      >
        Add condition
      </button>
    </div>
  );
}

/** The Test button: which orders of a prepared session the conditions would match. */
export function TryOn(props: {
  client: string;
  session: string;
  match: 'all' | 'any';
  conditions: Condition[];
  testid: string;
}) {
  const [answer, setAnswer] = useState<ConditionPreviewAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(
    () => (setAnswer(null), setProblem(null)),
    [JSON.stringify(props.conditions), props.match, props.session],
  );
  const run = async () => {
    try {
      setAnswer(
        await api.post<ConditionPreviewAnswer>(`${analysisBase(props.client, props.session)}/preview`, {
          match: props.match,
          conditions: props.conditions,
        }),
      );
      setProblem(null);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <span class="try-on">
      <button class="small" disabled={!props.session} data-testid={props.testid} onClick={() => void run()}>
        Test
      </button>
      {answer && (
        <span data-testid={`${props.testid}-result`}>
          {' '}
          would touch <strong>{answer.orders}</strong> of {answer.of} orders
          {answer.sample.length > 0 &&
            `: ${answer.sample.join(', ')}${answer.orders > answer.sample.length ? ', …' : ''}`}
        </span>
      )}
      {problem && <span class="problem"> {problem}</span>}
    </span>
  );
}
