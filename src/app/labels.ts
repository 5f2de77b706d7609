// Printing a packing list's order labels: the whole list, some orders, or a range of sequence
// numbers. The numbers printed are recorded on the first print and reused on every reprint, and the
// PDF is written under the session's barcodes/<list>/ so every PC finds it.
import { ConflictError, ValidationError } from '../domain/errors.js';
import { orderLabelFields, type OrderLabelFields } from '../domain/label-fields.js';
import { assignNumbers, LABEL_NUMBERING_FORMAT_VERSION, mergeNumberings } from '../domain/label-numbering.js';
import { normalizeOrderNumber } from '../domain/normalize.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import { addLabelNumbering, readLabelNumberings, writeLabelsPdf } from '../store/label-files.js';
import type { Layout } from '../store/layout.js';
import { wallNowIso } from '../store/lease/clock.js';
import { loadClientConfig } from '../store/profiles.js';
import { loadListIndex } from '../store/load-list.js';
import { resolveList } from './open-list.js';
import { assertLabelLayout, labelBarcode, orderLabelsPdf, type PrintedLabel } from './print/label-pdf.js';

export interface LabelsRequest {
  client: string;
  session: string;
  list?: string;
  /** Only these orders (as printed or as scanned: "#1001" and "1001" are one order). */
  orders?: string[];
  /** Only sequence numbers from…to (inclusive). */
  from?: number;
  to?: number;
}

export interface LabelsResult {
  client: string;
  session: string;
  list: string;
  /** Where the PDF was written, under the session's barcodes/ folder. */
  file: string;
  pdf: Buffer;
  labels: Array<{ order: string; number: number; barcode: string; items: number }>;
  /** Orders that got no label, and why. */
  skipped: Array<{ order: string; reason: string }>;
}

/** Numbers for every order of the list, recorded before anything is printed with them. */
async function numbersFor(
  layout: Layout,
  ids: { client: string; session: string; list: string },
  orders: Array<{ key: string; sequence: number }>,
): Promise<Map<string, number>> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const recorded = mergeNumberings(await readLabelNumberings(layout, ids));
    const { numbers, added } = assignNumbers(orders, recorded);
    if (Object.keys(added).length === 0) return numbers;
    const stored = await addLabelNumbering(layout, ids, {
      format_version: LABEL_NUMBERING_FORMAT_VERSION,
      list: ids.list,
      created_at: wallNowIso(),
      numbers: added,
    });
    if (stored) return numbers;
  }
  throw new ConflictError(
    `Labels of list ${ids.list} are being printed at another PC right now; try again in a moment.`,
    { list: ids.list },
  );
}

function fileNameFor(req: LabelsRequest, labels: PrintedLabel[], whole: boolean): string {
  if (whole) return 'labels.pdf';
  if (req.from !== undefined || req.to !== undefined) {
    const from = req.from ?? labels[0]!.number;
    const to = req.to ?? labels[labels.length - 1]!.number;
    return from === to ? `labels-${from}.pdf` : `labels-${from}-${to}.pdf`;
  }
  const numbers = labels.map((l) => l.number);
  return `labels-${numbers.slice(0, 5).join('_')}${numbers.length > 5 ? '-and-more' : ''}.pdf`;
}

export async function printOrderLabels(
  deps: { layout: Layout; settings: Settings },
  req: LabelsRequest,
): Promise<LabelsResult> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const list = await resolveList(deps.layout, req.client, req.session, req.list);
  const ids = { client: req.client, session: req.session, list };
  const [{ index }, config] = await Promise.all([
    loadListIndex(deps.layout, req.client, req.session, list),
    loadClientConfig(deps.layout, req.client),
  ]);
  // Stations read Code 128; a client set to another symbology gets told so instead of a label that looks right.
  const format = config.value.barcode_settings.format;
  if (format.replace(/[^a-z0-9]/gi, '').toUpperCase() !== 'CODE128')
    throw new ValidationError(
      `Client ${req.client} is set to print "${format}" barcodes; packdesk prints order labels as Code 128. ` +
        'Set "barcode_settings" → "format" to "CODE128" in the client\'s config.json.',
      { field: 'barcode_settings.format' },
    );
  if (req.from !== undefined && req.to !== undefined && req.from > req.to)
    throw new ValidationError(`The range ${req.from}–${req.to} is empty: the first number comes first.`, {
      from: req.from,
      to: req.to,
    });

  assertLabelLayout(config.value.barcode_label);
  const fields = new Map<string, OrderLabelFields & { modules: number[] }>();
  const skipped: LabelsResult['skipped'] = [];
  index.orders.forEach((o) => {
    try {
      const f = orderLabelFields(o.order, o.position, index.list.created_at);
      const bars = labelBarcode(f.barcode, config.value.barcode_label);
      if ('problem' in bars) skipped.push({ order: o.order.order_number, reason: bars.problem });
      else fields.set(o.key, { ...f, modules: bars.modules });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      skipped.push({ order: o.order.order_number, reason: err.message });
    }
  });
  const numbers = await numbersFor(
    deps.layout,
    ids,
    index.orders.map((o) => ({ key: o.key, sequence: fields.get(o.key)?.sequence ?? o.position + 1 })),
  );

  let chosen = index.orders;
  if (req.orders !== undefined) {
    const keys = req.orders.map((o) => normalizeOrderNumber(o));
    const missing = req.orders.filter((_, i) => !index.byKey.has(keys[i]!));
    if (missing.length > 0)
      throw new ValidationError(`List ${list} has no order ${missing.join(', ')}; nothing printed.`, {
        orders: missing,
      });
    const wanted = new Set(keys);
    chosen = chosen.filter((o) => wanted.has(o.key));
  }
  if (req.from !== undefined) chosen = chosen.filter((o) => numbers.get(o.key)! >= req.from!);
  if (req.to !== undefined) chosen = chosen.filter((o) => numbers.get(o.key)! <= req.to!);
  const labels: PrintedLabel[] = chosen
    .filter((o) => fields.has(o.key))
    .map((o) => ({ ...fields.get(o.key)!, number: numbers.get(o.key)! }))
    .sort((a, b) => a.number - b.number);
  if (labels.length === 0)
    throw new ValidationError(
      index.orders.length === 0
        ? `List ${list} has no orders, so there are no labels to print.`
        : `No order of list ${list} matches; nothing printed.`,
      { list },
    );

  const whole = req.orders === undefined && req.from === undefined && req.to === undefined;
  const pdf = await orderLabelsPdf(labels, config.value.barcode_label, {
    title: `Labels ${req.client} ${req.session} ${list}`,
    clientName: config.value.client_name,
  });
  const file = await writeLabelsPdf(deps.layout, ids, fileNameFor(req, labels, whole), pdf);
  return {
    ...ids,
    file,
    pdf,
    labels: labels.map((l) => ({
      order: l.order_number,
      number: l.number,
      barcode: l.barcode,
      items: l.items,
    })),
    skipped,
  };
}
