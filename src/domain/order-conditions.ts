// One filter/query engine for everything that picks orders: packing-list definitions, stock-export
// definitions and preparation rules. The Python tool had three (a pandas query string, a JSON
// re-implementation and the rule engine) that disagreed with each other and failed silently; here a
// condition is data, validated once when saved, and evaluated in O(lines of the order).
//
// Text matching is literal and case-insensitive unless `matches` (a regular expression) is asked
// for, so a value such as "Express (EU)" means exactly that text.
import { z } from 'zod';

/** Fields of a whole order. Line fields (sku, product_name) ask about the order's lines. */
export const ORDER_FIELDS = [
  'order_number',
  'courier',
  'shipping_method',
  'country',
  'tags',
  'notes',
  'email',
  'created_at',
  'total',
  'subtotal',
  'order_type',
  'item_count',
  'line_count',
  'has_sku',
  'product_name',
] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

export const CONDITION_OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'in',
  'not_in',
  'greater_than',
  'less_than',
  'between',
  'is_empty',
  'is_not_empty',
  'matches',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Operators that ask "is there no such value" (for line fields: true only when no line has it). */
const NEGATIVE: ReadonlySet<ConditionOperator> = new Set(['not_equals', 'not_contains', 'not_in']);
const NUMERIC: ReadonlySet<ConditionOperator> = new Set(['greater_than', 'less_than', 'between']);
const NO_VALUE: ReadonlySet<ConditionOperator> = new Set(['is_empty', 'is_not_empty']);

/** A field name: one of ORDER_FIELDS, or `extra.<column>` for an extra column the client carries. */
const FieldName = z
  .string()
  .trim()
  .min(1)
  .refine((f) => (ORDER_FIELDS as readonly string[]).includes(f) || /^extra\..+/.test(f), {
    message: `a field is one of ${ORDER_FIELDS.join(', ')}, or extra.<column name>`,
  });

export const ConditionSchema = z
  .object({
    field: FieldName,
    operator: z.enum(CONDITION_OPERATORS),
    /** Text, a number, or for `in`/`not_in` a list; for `between` two numbers [low, high]. */
    value: z
      .union([
        z.string().max(1000),
        z.number(),
        z.array(z.union([z.string().max(200), z.number()])).max(1000),
      ])
      .optional(),
  })
  .superRefine((c, ctx) => {
    const problem = conditionProblem(c.operator, c.value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['value'] });
  });
export type Condition = z.infer<typeof ConditionSchema>;

function conditionProblem(op: ConditionOperator, value: unknown): string | null {
  if (NO_VALUE.has(op)) return null;
  if (value === undefined || value === '') return `"${op}" needs a value`;
  if (op === 'in' || op === 'not_in') {
    return Array.isArray(value) || typeof value === 'string' ? null : `"${op}" needs a list of values`;
  }
  if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2 || value.some((v) => !Number.isFinite(Number(v))))
      return '"between" needs two numbers, [low, high]';
    return Number(value[0]) <= Number(value[1]) ? null : '"between" needs the low number first';
  }
  if (NUMERIC.has(op)) return Number.isFinite(Number(value)) ? null : `"${op}" needs a number`;
  if (op === 'matches') {
    if (typeof value !== 'string') return '"matches" needs a regular expression';
    try {
      new RegExp(value, 'iu');
    } catch (err) {
      return `"${value}" is not a valid regular expression (${(err as Error).message})`;
    }
    if (value.length > 200) return 'a regular expression is at most 200 characters';
  }
  return null;
}

/** What conditions read of an order: plain data, built once per order by the analysis. */
export interface OrderFacts {
  order_number: string;
  courier: string;
  shipping_method: string;
  country: string;
  tags: readonly string[];
  notes: string;
  email: string;
  created_at: string;
  total: number | null;
  subtotal: number | null;
  order_type: 'single' | 'multi';
  /** Σ quantities of the order's stock lines (what is packed). */
  item_count: number;
  line_count: number;
  skus: readonly string[];
  product_names: readonly string[];
  extra: Readonly<Record<string, string>>;
}

/** A condition ready to evaluate: values folded and regular expressions compiled once. */
export interface CompiledCondition {
  field: string;
  operator: ConditionOperator;
  test(order: OrderFacts): boolean;
}

const fold = (s: string) => s.normalize('NFKC').toLocaleLowerCase().trim();

/**
 * How a condition reads its field of an order: a list (tags, the lines' SKUs or names, any of
 * which may match), one text ('' when there is none), or one number (null when there is none).
 * Chosen once per condition, so testing an order builds no arrays or objects.
 */
type FieldReader =
  | { kind: 'list'; read: (order: OrderFacts) => readonly string[] }
  | { kind: 'text'; read: (order: OrderFacts) => string }
  | { kind: 'number'; read: (order: OrderFacts) => number | null };

function readerOf(field: string): FieldReader {
  switch (field) {
    case 'tags':
      return { kind: 'list', read: (o) => o.tags };
    case 'has_sku':
      return { kind: 'list', read: (o) => o.skus };
    case 'product_name':
      return { kind: 'list', read: (o) => o.product_names };
    case 'total':
      return { kind: 'number', read: (o) => o.total };
    case 'subtotal':
      return { kind: 'number', read: (o) => o.subtotal };
    case 'item_count':
      return { kind: 'number', read: (o) => o.item_count };
    case 'line_count':
      return { kind: 'number', read: (o) => o.line_count };
    default: {
      if (field.startsWith('extra.')) {
        const column = field.slice('extra.'.length);
        return { kind: 'text', read: (o) => o.extra[column] ?? '' };
      }
      return {
        kind: 'text',
        read: (o) => {
          const v = o[field as 'courier'];
          return typeof v === 'string' ? v : '';
        },
      };
    }
  }
}

function listOf(value: Condition['value']): string[] {
  if (Array.isArray(value)) return value.map((v) => fold(String(v)));
  return String(value ?? '')
    .split(',')
    .map(fold)
    .filter((v) => v !== '');
}

function valueTest(op: ConditionOperator, value: Condition['value']): (v: string) => boolean {
  switch (op) {
    case 'equals':
    case 'not_equals': {
      const want = fold(String(value));
      return (v) => fold(v) === want;
    }
    case 'contains':
    case 'not_contains': {
      const want = fold(String(value));
      return (v) => fold(v).includes(want);
    }
    case 'in':
    case 'not_in': {
      const set = new Set(listOf(value));
      return (v) => set.has(fold(v));
    }
    case 'greater_than': {
      const n = Number(value);
      return (v) => v.trim() !== '' && Number(v) > n;
    }
    case 'less_than': {
      const n = Number(value);
      return (v) => v.trim() !== '' && Number(v) < n;
    }
    case 'between': {
      const [lo, hi] = (value as (string | number)[]).map(Number) as [number, number];
      return (v) => v.trim() !== '' && Number(v) >= lo && Number(v) <= hi;
    }
    case 'matches': {
      const re = new RegExp(String(value), 'iu');
      return (v) => re.test(v);
    }
    case 'is_empty':
    case 'is_not_empty':
      return (v) => v.trim() !== '';
  }
}

export function compileCondition(c: Condition): CompiledCondition {
  const test = remembered(valueTest(c.operator, c.value));
  const negative = NEGATIVE.has(c.operator);
  const reader = readerOf(c.field);
  // A number compared with a number is compared as it is: its text read back is the same number.
  const numeric = NUMERIC.has(c.operator) ? numberTest(c.operator, c.value) : null;
  /** Whether any of the order's values passes the test (none when it has no value). */
  const any = (order: OrderFacts): boolean => {
    switch (reader.kind) {
      case 'list':
        return reader.read(order).some(test);
      case 'text': {
        const v = reader.read(order);
        return v !== '' && test(v);
      }
      case 'number': {
        const v = reader.read(order);
        if (v === null) return false;
        return numeric !== null ? numeric(v) : test(String(v));
      }
    }
  };
  return {
    field: c.field,
    operator: c.operator,
    test(order) {
      // For several values (lines, tags): "equals X" is true when any has X; "not equals X" when none has.
      if (c.operator === 'is_empty') return !any(order);
      return negative ? !any(order) : any(order);
    },
  };
}

/** Texts whose test result a condition remembers (most values repeat: tags, couriers, countries). */
const REMEMBERED_VALUES = 10_000;

/**
 * The test with its answer per text remembered: folding a text (NFKC, locale lower case) is most of
 * testing it, and a day's orders repeat a few hundred tags and methods over thousands of orders.
 */
function remembered(test: (v: string) => boolean): (v: string) => boolean {
  const known = new Map<string, boolean>();
  return (v) => {
    let answer = known.get(v);
    if (answer === undefined) {
      answer = test(v);
      if (known.size < REMEMBERED_VALUES) known.set(v, answer);
    }
    return answer;
  };
}

/** valueTest's numeric comparisons, for a value that is a number already. */
function numberTest(op: ConditionOperator, value: Condition['value']): ((v: number) => boolean) | null {
  switch (op) {
    case 'greater_than': {
      const n = Number(value);
      return (v) => v > n;
    }
    case 'less_than': {
      const n = Number(value);
      return (v) => v < n;
    }
    case 'between': {
      const [lo, hi] = (value as (string | number)[]).map(Number) as [number, number];
      return (v) => v >= lo && v <= hi;
    }
    default:
      return null;
  }
}

export interface CompiledMatcher {
  test(order: OrderFacts): boolean;
  /** True when there are no conditions: every order matches, so its facts need not be made. */
  readonly always: boolean;
}

/** All (or any) of the conditions; no conditions matches every order. */
export function compileMatcher(
  conditions: readonly Condition[],
  match: 'all' | 'any' = 'all',
): CompiledMatcher {
  const compiled = conditions.map(compileCondition);
  if (compiled.length === 0) return { test: () => true, always: true };
  return match === 'all'
    ? {
        test: (o) => {
          for (const c of compiled) if (!c.test(o)) return false;
          return true;
        },
        always: false,
      }
    : {
        test: (o) => {
          for (const c of compiled) if (c.test(o)) return true;
          return false;
        },
        always: false,
      };
}
