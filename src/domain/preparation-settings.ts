// A client's preparation settings (DESIGN §7): how its Shopify export and stock file are read, which
// courier a shipping method means, sets, allocation priority, rules, and which packing lists and
// stock exports a session gets. Stored in the client's config.json under `preparation`, versioned, with
// defaults for every field so a config.json written before these settings existed reads as the defaults.
import { z } from 'zod';
import { ConditionSchema } from './order-conditions.js';
import { FIELD_LIMITS } from './field-limits.js';
import { safeNameProblem } from './ids.js';
import { normalizeCode } from './normalize.js';

export const PREPARATION_SETTINGS_VERSION = 1;

const Header = z.string().trim().min(1).max(200);
const Sku = z.string().trim().min(1).max(FIELD_LIMITS.skuChars);

export const OrdersColumnsSchema = z.object({
  order_number: Header.default('Name'),
  sku: Header.default('Lineitem sku'),
  quantity: Header.default('Lineitem quantity'),
  product_name: Header.default('Lineitem name'),
  shipping_method: Header.default('Shipping Method'),
  country: Header.default('Shipping Country'),
  created_at: Header.default('Created at'),
  tags: Header.default('Tags'),
  notes: Header.default('Notes'),
  total: Header.default('Total'),
  subtotal: Header.default('Subtotal'),
  email: Header.default('Email'),
  /** The customer's name: the billing name, else the shipping name (searched on the Prepare page). */
  customer_name: Header.default('Billing Name'),
  shipping_name: Header.default('Shipping Name'),
  /** Further columns carried into the analysis and onto the packing lists (order level: first line). */
  extra: z.array(Header).max(50).default([]),
});
export type OrdersColumns = z.infer<typeof OrdersColumnsSchema>;
/** Columns an orders export must have; the others are read when present. */
export const REQUIRED_ORDER_COLUMNS = ['order_number', 'sku', 'quantity'] as const;

export const StockColumnsSchema = z.object({
  sku: Header.default('Артикул'),
  product_name: Header.default('Име'),
  stock: Header.default('Наличност'),
});
export type StockColumns = z.infer<typeof StockColumnsSchema>;

/**
 * A courier's name. It keys the client's deadlines and the preparation's per-courier counts, which
 * are plain objects: "__proto__" would change the object itself instead of adding a key, so it is
 * refused rather than silently dropped (as for barcodes, domain/sku-mapping.ts).
 */
export const CourierNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine(
    (name) => name !== '__proto__',
    'the courier name "__proto__" cannot be used; it is a reserved word',
  );

/**
 * An object keyed by courier name (the client's deadlines). zod leaves a "__proto__" key out of a
 * record without a word, so it is refused before the record is read.
 */
export function byCourier<V extends z.ZodType>(value: V) {
  return z
    .unknown()
    .superRefine((raw, ctx) => {
      if (raw !== null && typeof raw === 'object' && Object.hasOwn(raw, '__proto__'))
        ctx.addIssue({
          code: 'custom',
          message: 'the courier name "__proto__" cannot be used; it is a reserved word',
        });
    })
    .pipe(z.record(CourierNameSchema, value));
}

export const CourierSchema = z.object({
  name: CourierNameSchema,
  /** Literal text, compared case-insensitively: a method containing any pattern is this courier's. */
  patterns: z.array(z.string().trim().min(1).max(200)).min(1).max(100),
});
export type Courier = z.infer<typeof CourierSchema>;
export const UNKNOWN_COURIER = 'Unknown';

export const SetComponentSchema = z.object({ sku: Sku, quantity: z.number().int().min(1).max(10_000) });
export const SetDefinitionSchema = z.object({
  sku: Sku,
  components: z.array(SetComponentSchema).min(1).max(200),
});
export type SetDefinition = z.infer<typeof SetDefinitionSchema>;

export const PRIORITY_KEYS = [
  'multi_line_first',
  'single_line_first',
  'oldest_first',
  'newest_first',
  'order_number',
  'most_items_first',
] as const;
export type PriorityKey = (typeof PRIORITY_KEYS)[number];

export const RuleActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('add_tag'), tag: z.string().trim().min(1).max(100) }),
  /** The order is held (not fulfillable), with the rule's name as the reason. */
  z.object({ type: z.literal('hold') }),
  /** A gift or insert: a line that takes stock like any other. */
  z.object({
    type: z.literal('add_item'),
    sku: Sku,
    quantity: z.number().int().min(1).max(10_000),
    product_name: z.string().trim().max(200).optional(),
  }),
  /** Route the order to a named packing list instead of the definitions'. */
  z.object({ type: z.literal('set_list'), list: z.string().trim().min(1).max(74) }),
]);
export type RuleAction = z.infer<typeof RuleActionSchema>;

export const RuleSchema = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(ConditionSchema).max(50).default([]),
  actions: z.array(RuleActionSchema).min(1).max(20),
});
export type Rule = z.infer<typeof RuleSchema>;

export const PackingListDefinitionSchema = z.object({
  name: z.string().trim().min(1).max(74),
  match: z.enum(['all', 'any']).default('all'),
  filters: z.array(ConditionSchema).max(50).default([]),
  /** SKUs left off the list (virtual items, shipping protection): compared as the scanner compares. */
  exclude_skus: z.array(Sku).max(1000).default([]),
});
export type PackingListDefinition = z.infer<typeof PackingListDefinitionSchema>;

export const StockExportDefinitionSchema = z.object({
  name: z.string().trim().min(1).max(74),
  match: z.enum(['all', 'any']).default('all'),
  filters: z.array(ConditionSchema).max(50).default([]),
  format: z.enum(['xlsx', 'csv', 'both']).default('both'),
});
export type StockExportDefinition = z.infer<typeof StockExportDefinitionSchema>;

function defaultCouriers(): Courier[] {
  return [
    { name: 'DHL', patterns: ['dhl'] },
    { name: 'DPD', patterns: ['dpd'] },
    { name: 'Speedy', patterns: ['speedy'] },
  ];
}

export const PreparationSettingsSchema = z
  .object({
    schema_version: z
      .number()
      .int()
      .min(1)
      .max(PREPARATION_SETTINGS_VERSION)
      .default(PREPARATION_SETTINGS_VERSION),
    orders_columns: OrdersColumnsSchema.default(() => OrdersColumnsSchema.parse({})),
    stock_columns: StockColumnsSchema.default(() => StockColumnsSchema.parse({})),
    /** First match wins, in this order. */
    couriers: z.array(CourierSchema).max(100).default(defaultCouriers),
    sets: z.array(SetDefinitionSchema).max(10_000).default([]),
    priority: z
      .array(z.enum(PRIORITY_KEYS))
      .max(6)
      .default(['multi_line_first', 'oldest_first', 'order_number']),
    /** A SKU whose stock after the session is below this is flagged low. */
    low_stock_threshold: z.number().int().min(0).max(1_000_000).default(5),
    /** An order packed in one of the client's sessions of the last N days is flagged as a repeat. */
    repeat_window_days: z.number().int().min(0).max(3650).default(30),
    /** Also call an order a repeat when the same customer e-mail was packed in the window. */
    repeat_by_email: z.boolean().default(false),
    rules: z.array(RuleSchema).max(500).default([]),
    /** Empty: one list per courier. Otherwise the first definition an order matches takes it. */
    packing_lists: z.array(PackingListDefinitionSchema).max(100).default([]),
    stock_exports: z
      .array(StockExportDefinitionSchema)
      .max(50)
      .default(() => [{ name: 'writeoff', match: 'all' as const, filters: [], format: 'both' as const }]),
  })
  .superRefine((s, ctx) => {
    const cycle = setCycle(s.sets);
    if (cycle)
      ctx.addIssue({ code: 'custom', path: ['sets'], message: `sets contain a cycle: ${cycle.join(' → ')}` });
    const seenSets = new Set<string>();
    s.sets.forEach((set, i) => {
      const key = normalizeCode(set.sku);
      if (seenSets.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['sets', i, 'sku'],
          message: `set ${set.sku} is defined twice`,
        });
      seenSets.add(key);
    });
    for (const [key, defs] of [
      ['packing_lists', s.packing_lists],
      ['stock_exports', s.stock_exports],
    ] as const) {
      const names = new Set<string>();
      defs.forEach((d, i) => {
        const problem = safeNameProblem(d.name, 'Name');
        if (problem) ctx.addIssue({ code: 'custom', path: [key, i, 'name'], message: problem });
        if (names.has(d.name.toLowerCase()))
          ctx.addIssue({ code: 'custom', path: [key, i, 'name'], message: `"${d.name}" is used twice` });
        names.add(d.name.toLowerCase());
      });
    }
    s.rules.forEach((r, i) =>
      r.actions.forEach((a, j) => {
        if (a.type === 'set_list') {
          const problem = safeNameProblem(a.list, 'List name');
          if (problem)
            ctx.addIssue({ code: 'custom', path: ['rules', i, 'actions', j, 'list'], message: problem });
        }
      }),
    );
  });
export type PreparationSettings = z.infer<typeof PreparationSettingsSchema>;

export function defaultPreparationSettings(): PreparationSettings {
  return PreparationSettingsSchema.parse({});
}

/** The first set cycle found (as SKUs, closing on the first), or null. Sets nest; a cycle never ends. */
export function setCycle(sets: readonly SetDefinition[]): string[] | null {
  const byKey = new Map(sets.map((s) => [normalizeCode(s.sku), s]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (key: string): string[] | null => {
    const set = byKey.get(key);
    if (!set) return null;
    if (state.get(key) === 'done') return null;
    if (state.get(key) === 'open')
      return [...path.slice(path.indexOf(key)), key].map((k) => byKey.get(k)!.sku);
    state.set(key, 'open');
    path.push(key);
    for (const c of set.components) {
      const found = visit(normalizeCode(c.sku));
      if (found) return found;
    }
    path.pop();
    state.set(key, 'done');
    return null;
  };
  for (const key of byKey.keys()) {
    const found = visit(key);
    if (found) return found;
  }
  return null;
}
