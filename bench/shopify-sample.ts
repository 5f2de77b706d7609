// Shopify-shaped sample data for the preparation bench and tests: an orders export (one row per
// line, order-level cells on an order's first line only), the matching stock file (Bulgarian headers,
// ';', BOM) and a sets file. Sizes and mix follow the field notes on real exports: ~1.8 lines per
// order, ~4 % bundle lines, a few SKU-less lines, a catalogue of orders/10 SKUs with skewed demand,
// stock tuned so that about 70 % of orders can ship. Deterministic for a given seed.

export interface SampleOptions {
  orders: number;
  seed?: number;
}

export interface Sample {
  ordersCsv: string;
  stockCsv: string;
  setsCsv: string;
  catalogue: number;
  lines: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: fast, deterministic, good enough for test data.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const METHODS = [
  'DHL Express Worldwide',
  'DPD Classic',
  'Speedy - to office',
  'Speedy - to address',
  'Local pickup',
];
const COUNTRIES = ['BG', 'DE', 'RO', 'GR', 'AT'];
const HEADER =
  'Name,Email,Financial Status,Fulfillment Status,Subtotal,Shipping,Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Shipping Name,Shipping City,Shipping Zip,Shipping Country,Notes,Tags,Payment Method';

export function sampleSkus(catalogue: number): string[] {
  // Mixed shapes: plain, numeric, leading zeros.
  return Array.from({ length: catalogue }, (_, i) =>
    i % 10 === 3 ? String(5000 + i) : i % 10 === 7 ? `0${i}` : `SKU-${String(i).padStart(5, '0')}`,
  );
}

export function shopifySample(options: SampleOptions): Sample {
  const rand = rng(options.seed ?? 42);
  const n = options.orders;
  const catalogue = Math.max(200, Math.floor(n / 10));
  const skus = sampleSkus(catalogue);
  const sets = Math.max(5, Math.floor(catalogue / 100));
  // Zipf-like demand: the first SKUs are ordered most.
  const pick = () => Math.min(catalogue - 1, Math.floor(catalogue * Math.pow(rand(), 2.2)));
  const demand = new Map<number, number>();
  const rows: string[] = [HEADER];
  let lines = 0;
  const start = Date.parse('2026-02-16T06:00:00Z');
  for (let o = 0; o < n; o++) {
    const number = `#${1000 + o}`;
    const count = rand() < 0.45 ? 1 : rand() < 0.7 ? 2 : 3 + Math.floor(rand() * 2);
    const created = new Date(start + Math.floor(rand() * 12 * 3600_000))
      .toISOString()
      .replace('T', ' ')
      .slice(0, 19);
    const method = METHODS[Math.floor(rand() * METHODS.length)]!;
    const country = COUNTRIES[Math.floor(rand() * COUNTRIES.length)]!;
    const tags = rand() < 0.1 ? '"VIP, Priority"' : rand() < 0.2 ? 'wholesale' : '';
    const notes = rand() < 0.01 ? 'hold for customer' : rand() < 0.05 ? 'Call before delivery' : '';
    const total = (10 + rand() * 150).toFixed(2);
    for (let l = 0; l < count; l++) {
      lines++;
      let sku: string;
      let name: string;
      let index = -1;
      const roll = rand();
      if (roll < 0.04) {
        sku = `SET-${Math.floor(rand() * sets)}`;
        name = 'Gift set';
      } else if (roll < 0.044) {
        sku = '';
        name = 'Shipping protection';
      } else {
        index = pick();
        sku = skus[index]!;
        name = `Product ${index}`;
      }
      const qty = rand() < 0.85 ? 1 : 2;
      if (index >= 0) demand.set(index, (demand.get(index) ?? 0) + qty);
      const first = l === 0;
      rows.push(
        [
          number,
          `c${o}@example.com`,
          first ? 'paid' : '',
          first ? 'unfulfilled' : '',
          first ? total : '',
          first ? '5.00' : '',
          first ? total : '',
          first ? method : '',
          first ? `${created} +0200` : '',
          String(qty),
          name,
          '9.90',
          sku,
          first ? `Customer ${o}` : '',
          first ? 'Sofia' : '',
          first ? '1000' : '',
          first ? country : '',
          first ? notes : '',
          first ? tags : '',
          first ? 'Shopify Payments' : '',
        ].join(','),
      );
    }
  }
  // Stock: most SKUs cover about 80 % of their demand, so some orders cannot ship.
  const stockRows = ['Артикул;Име;Наличност'];
  skus.forEach((sku, i) => {
    const d = demand.get(i) ?? 0;
    const factor = rand() < 0.5 ? 1.2 : 0.75;
    stockRows.push(`${sku};Продукт ${i};${Math.floor(d * factor + 2)}`);
  });
  stockRows.push('GIFT-001;Подарък;1000000');
  const setRows = ['Set_SKU,Component_SKU,Component_Quantity'];
  for (let s = 0; s < sets; s++) {
    setRows.push(`SET-${s},${skus[(s * 7) % catalogue]},1`);
    setRows.push(`SET-${s},${skus[(s * 13 + 1) % catalogue]},2`);
  }
  return {
    ordersCsv: `${rows.join('\n')}\n`,
    stockCsv: `\uFEFF${stockRows.join('\n')}\n`,
    setsCsv: `${setRows.join('\n')}\n`,
    catalogue,
    lines,
  };
}

/** The three rules of the bench: a tag, a hold, a gift. */
export const SAMPLE_RULES = [
  {
    name: 'VIP tag',
    conditions: [{ field: 'tags', operator: 'contains', value: 'vip' }],
    actions: [{ type: 'add_tag', tag: 'VIP-BOX' }],
  },
  {
    name: 'Customer asked to hold',
    conditions: [{ field: 'notes', operator: 'contains', value: 'hold' }],
    actions: [{ type: 'hold' }],
  },
  {
    name: 'Gift over 150',
    conditions: [{ field: 'total', operator: 'greater_than', value: 150 }],
    actions: [{ type: 'add_item', sku: 'GIFT-001', quantity: 1, product_name: 'Gift' }],
  },
];
