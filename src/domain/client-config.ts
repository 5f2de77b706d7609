// config.json of a client (DESIGN §3): the seed's fields plus packdesk's own, with a schema_version so
// a later packdesk can migrate old files instead of guessing. Fields a newer version adds are kept
// (loose objects): an older station saving the file must not silently drop them.
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { byCourier, defaultPreparationSettings, PreparationSettingsSchema } from './preparation-settings.js';

export const CLIENT_CONFIG_SCHEMA_VERSION = 1;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const BarcodeLabelSchema = z.looseObject({
  width_mm: z.number().positive().max(500),
  height_mm: z.number().positive().max(500),
  dpi: z.number().int().min(72).max(1200),
  show_quantity: z.boolean(),
  show_client_name: z.boolean(),
  font_size: z.number().positive().max(200),
});

export const RequiredColumnsSchema = z.looseObject({
  order_number: z.string().trim().min(1),
  sku: z.string().trim().min(1),
  product_name: z.string().trim().min(1),
  quantity: z.string().trim().min(1),
  courier: z.string().trim().min(1),
});

export const BarcodeSettingsSchema = z.looseObject({
  auto_generate: z.boolean(),
  format: z.string().trim().min(1),
});

/**
 * Whether a packer may confirm a line by hand instead of scanning it: `off`; `one_unit` (the default:
 * one unit per confirmation, each with a reason, so a whole line is never waved through by one key);
 * `any_count` (a whole line at once, still with a reason).
 */
export const ManualConfirmRule = z.enum(['off', 'one_unit', 'any_count']);
export type ManualConfirmRule = z.infer<typeof ManualConfirmRule>;

export const PackingRulesSchema = z.looseObject({
  /** Whether a packer may mark an order complete without scanning every item (DESIGN §6). */
  allow_force_complete: z.boolean(),
  manual_confirm: ManualConfirmRule.default('one_unit'),
  /**
   * Whether a packer may map an unknown barcode to a line of the open order at the station (recorded
   * with worker and station). Off unless the client says so: a mapping changes what every station
   * accepts, which is a shift lead's decision by default.
   */
  map_unknown_barcodes: z.boolean().default(false),
});

export function defaultPackingRules(): z.infer<typeof PackingRulesSchema> {
  return { allow_force_complete: false, manual_confirm: 'one_unit', map_unknown_barcodes: false };
}

export type BarcodeLabel = z.infer<typeof BarcodeLabelSchema>;
export type RequiredColumns = z.infer<typeof RequiredColumnsSchema>;

// The seed wrote 65 x 35 mm; the warehouses' Citizen CL-E300 rolls are 68 x 38 mm, so new clients get that.
export function defaultBarcodeLabel(): BarcodeLabel {
  return {
    width_mm: 68,
    height_mm: 38,
    dpi: 203,
    show_quantity: false,
    show_client_name: false,
    font_size: 10,
  };
}

export function defaultCourierDeadlines(): Record<string, string> {
  return { PostOne: '15:00', Speedy: '16:00', DHL: '17:00' };
}

export function defaultRequiredColumns(): RequiredColumns {
  return {
    order_number: 'Order_Number',
    sku: 'SKU',
    product_name: 'Product_Name',
    quantity: 'Quantity',
    courier: 'Courier',
  };
}

// Seed-era files lack the packdesk sections; they are read with the defaults filled in rather than
// refused, since those sections only tune behaviour and the seed never wrote them.
export const ClientConfigSchema = z.looseObject({
  schema_version: z
    .number()
    .int()
    .min(1)
    .max(CLIENT_CONFIG_SCHEMA_VERSION)
    .default(CLIENT_CONFIG_SCHEMA_VERSION),
  client_id: z.string().min(1),
  client_name: z.string().trim().min(1).max(200),
  created_at: z.string().min(1),
  barcode_label: BarcodeLabelSchema.default(defaultBarcodeLabel),
  courier_deadlines: byCourier(z.string().regex(HH_MM, 'a deadline is a time like "15:00"')).default(
    defaultCourierDeadlines,
  ),
  required_columns: RequiredColumnsSchema.default(defaultRequiredColumns),
  barcode_settings: BarcodeSettingsSchema.default(() => ({ auto_generate: true, format: 'CODE128' })),
  packing_rules: PackingRulesSchema.default(defaultPackingRules),
  /** How Shopify exports become packing lists (DESIGN §7); defaults for a client that never set them. */
  preparation: PreparationSettingsSchema.default(defaultPreparationSettings),
  last_updated: z.string().min(1),
  updated_by: z.string().min(1),
});

export type ClientConfig = z.infer<typeof ClientConfigSchema>;

/** A client as lists of clients show it (`client list`, GET /api/clients). */
export const ClientSummarySchema = z.object({
  client_id: z.string(),
  client_name: z.string(),
  created_at: z.string(),
});
export type ClientSummary = z.infer<typeof ClientSummarySchema>;

export function normalizeClientName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0)
    throw new ValidationError(
      'Client name cannot be empty; give the client a name, e.g. --name "M Cosmetics".',
      { field: 'client_name' },
    );
  if (trimmed.length > 200)
    throw new ValidationError('Client name is too long: at most 200 characters.', { field: 'client_name' });
  // Control characters would break the report files and the station screen.
  if (/\p{Cc}/u.test(trimmed))
    throw new ValidationError('Client name contains control characters; type it again.', {
      field: 'client_name',
    });
  return trimmed;
}

export function newClientConfig(
  clientId: string,
  clientName: string,
  station: string,
  now: Date,
): ClientConfig {
  const at = now.toISOString();
  return {
    schema_version: CLIENT_CONFIG_SCHEMA_VERSION,
    client_id: clientId,
    client_name: normalizeClientName(clientName),
    created_at: at,
    barcode_label: defaultBarcodeLabel(),
    courier_deadlines: defaultCourierDeadlines(),
    required_columns: defaultRequiredColumns(),
    barcode_settings: { auto_generate: true, format: 'CODE128' },
    packing_rules: defaultPackingRules(),
    preparation: defaultPreparationSettings(),
    last_updated: at,
    updated_by: station,
  };
}
