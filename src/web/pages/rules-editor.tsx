// Rules, packing-list and stock-export definitions, built from conditions and actions instead of
// typed JSON, each with a Test button that shows which orders of a prepared session it would touch
// before it is saved.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { SteadySelect } from '../steady-select.js';
import type { PreparationSettings, Rule } from '../../domain/preparation-settings.js';
import type { SessionView } from '../types.js';
import { Conditions, TryOn } from './conditions-editor.js';
import { StockExportsEditor } from './stock-exports-editor.js';

type Action = Rule['actions'][number];

function ActionRow(props: { value: Action; label: string; onChange(a: Action): void; onDelete(): void }) {
  const a = props.value;
  const input = (label: string, value: string, on: (v: string) => void) => (
    <input
      value={value}
      placeholder={label}
      aria-label={`${props.label} ${label}`}
      onInput={(e) => on((e.target as HTMLInputElement).value)}
    />
  );
  return (
    <div class="condition">
      <SteadySelect
        value={a.type}
        aria-label={`${props.label} type`}
        onChange={(e) => {
          const type = (e.target as HTMLSelectElement).value;
          props.onChange(
            type === 'hold'
              ? { type: 'hold' }
              : type === 'add_item'
                ? { type: 'add_item', sku: '', quantity: 1 }
                : type === 'set_list'
                  ? { type: 'set_list', list: '' }
                  : { type: 'add_tag', tag: '' },
          );
        }}
      >
        <option value="add_tag">add the tag</option>
        <option value="hold">hold the order</option>
        <option value="add_item">add an item</option>
        <option value="set_list">send to the list</option>
      </SteadySelect>
      {a.type === 'add_tag' && input('tag', a.tag, (tag) => props.onChange({ ...a, tag }))}
      {a.type === 'set_list' && input('list', a.list, (list) => props.onChange({ ...a, list }))}
      {a.type === 'add_item' && (
        <>
          {input('SKU', a.sku, (sku) => props.onChange({ ...a, sku }))}
          {input('quantity', String(a.quantity), (q) => props.onChange({ ...a, quantity: Number(q) }))}
        </>
      )}
      <button class="small" onClick={props.onDelete} aria-label={`Delete ${props.label}`}>
        ✕
      </button>
    </div>
  );
}

export function RulesAndLists(props: {
  client: string;
  value: PreparationSettings;
  onChange(v: PreparationSettings): void;
}) {
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [session, setSession] = useState('');
  useEffect(() => {
    api.get<{ sessions: SessionView[] }>(`/api/sessions?client=${enc(props.client)}`).then(
      (r) => {
        const prepared = r.sessions.filter((s) => s.prepared);
        setSessions(prepared);
        setSession(prepared[0]?.session ?? '');
      },
      () => {},
    );
  }, [props.client]);
  const v = props.value;
  const rules = v.rules;
  const lists = v.packing_lists;
  const setRules = (next: Rule[]) => props.onChange({ ...v, rules: next });
  const setLists = (next: PreparationSettings['packing_lists']) =>
    props.onChange({ ...v, packing_lists: next });
  return (
    <>
      <p class="try-session">
        <label>
          Test on the orders of{' '}
          <SteadySelect
            value={session}
            data-testid="test-session"
            onChange={(e) => setSession((e.target as HTMLSelectElement).value)}
          >
            {sessions.length === 0 && <option value="">(no prepared session yet)</option>}
            {sessions.map((s) => (
              <option value={s.session}>{s.session}</option>
            ))}
          </SteadySelect>
        </label>
      </p>
      <fieldset class="settings-block" data-testid="settings-rules">
        <legend>Rules (run in this order on each whole order)</legend>
        {rules.map((r, i) => (
          <div class="rule" data-testid="rule">
            <div class="rule-head">
              <input
                value={r.name}
                placeholder="Rule name"
                aria-label={`Rule ${i + 1} name`}
                onInput={(e) =>
                  setRules(
                    rules.map((x, j) => (j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x)),
                  )
                }
              />
              <label>
                <input
                  type="checkbox"
                  checked={r.enabled}
                  onChange={(e) =>
                    setRules(
                      rules.map((x, j) =>
                        j === i ? { ...x, enabled: (e.target as HTMLInputElement).checked } : x,
                      ),
                    )
                  }
                />{' '}
                on
              </label>
              <SteadySelect
                value={r.match}
                aria-label={`Rule ${i + 1} match`}
                onChange={(e) =>
                  setRules(
                    rules.map((x, j) =>
                      j === i ? { ...x, match: (e.target as HTMLSelectElement).value as 'all' | 'any' } : x,
                    ),
                  )
                }
              >
                <option value="all">when all of</option>
                <option value="any">when any of</option>
              </SteadySelect>
              <TryOn
                client={props.client}
                session={session}
                match={r.match}
                conditions={r.conditions}
                testid={`test-rule-${i + 1}`}
              />
              <span class="spacer" />
              <button class="small" onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                Delete rule
              </button>
            </div>
            <Conditions
              label={`Rule ${i + 1}`}
              value={r.conditions}
              onChange={(conditions) => setRules(rules.map((x, j) => (j === i ? { ...x, conditions } : x)))}
            />
            <div class="actions-list">
              then:
              {r.actions.map((a, k) => (
                <ActionRow
                  label={`Rule ${i + 1} action ${k + 1}`}
                  value={a}
                  onChange={(next) =>
                    setRules(
                      rules.map((x, j) =>
                        j === i ? { ...x, actions: x.actions.map((y, m) => (m === k ? next : y)) } : x,
                      ),
                    )
                  }
                  onDelete={() =>
                    setRules(
                      rules.map((x, j) =>
                        j === i ? { ...x, actions: x.actions.filter((_, m) => m !== k) } : x,
                      ),
                    )
                  }
                />
              ))}
              <button
                class="small"
                onClick={() =>
                  setRules(
                    rules.map((x, j) =>
                      j === i ? { ...x, actions: [...x.actions, { type: 'add_tag', tag: '' }] } : x,
                    ),
                  )
                }
              >
                Add action
              </button>
            </div>
          </div>
        ))}
        <button
          class="small"
          onClick={() =>
            setRules([
              ...rules,
              {
                name: '',
                enabled: true,
                match: 'all',
                conditions: [],
                actions: [{ type: 'add_tag', tag: '' }],
              },
            ])
          }
        >
          Add rule
        </button>
      </fieldset>
      <fieldset class="settings-block" data-testid="settings-lists">
        <legend>Packing lists (none: one per courier; else the first an order matches)</legend>
        {lists.map((l, i) => (
          <div class="rule" data-testid="list-definition">
            <div class="rule-head">
              <input
                value={l.name}
                placeholder="List name"
                aria-label={`List ${i + 1} name`}
                onInput={(e) =>
                  setLists(
                    lists.map((x, j) => (j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x)),
                  )
                }
              />
              <SteadySelect
                value={l.match}
                aria-label={`List ${i + 1} match`}
                onChange={(e) =>
                  setLists(
                    lists.map((x, j) =>
                      j === i ? { ...x, match: (e.target as HTMLSelectElement).value as 'all' | 'any' } : x,
                    ),
                  )
                }
              >
                <option value="all">orders matching all of</option>
                <option value="any">orders matching any of</option>
              </SteadySelect>
              <TryOn
                client={props.client}
                session={session}
                match={l.match}
                conditions={l.filters}
                testid={`test-list-${i + 1}`}
              />
              <span class="spacer" />
              <button class="small" onClick={() => setLists(lists.filter((_, j) => j !== i))}>
                Delete list
              </button>
            </div>
            <Conditions
              label={`List ${i + 1}`}
              value={l.filters}
              onChange={(filters) => setLists(lists.map((x, j) => (j === i ? { ...x, filters } : x)))}
            />
            <label class="exclude">
              SKUs left off this list:{' '}
              <input
                value={l.exclude_skus.join(', ')}
                aria-label={`List ${i + 1} excluded SKUs`}
                onInput={(e) =>
                  setLists(
                    lists.map((x, j) =>
                      j === i
                        ? {
                            ...x,
                            exclude_skus: (e.target as HTMLInputElement).value
                              .split(',')
                              .map((s) => s.trim())
                              .filter(Boolean),
                          }
                        : x,
                    ),
                  )
                }
              />
            </label>
          </div>
        ))}
        <button
          class="small"
          onClick={() => setLists([...lists, { name: '', match: 'all', filters: [], exclude_skus: [] }])}
        >
          Add list
        </button>
      </fieldset>
      <StockExportsEditor
        client={props.client}
        session={session}
        value={v.stock_exports}
        onChange={(stock_exports) => props.onChange({ ...v, stock_exports })}
      />
    </>
  );
}
