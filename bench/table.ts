// One row of `npm run bench`: a measured figure next to its budget (DESIGN §9) and the sizes used.
export interface BenchRow {
  what: string;
  size: string;
  figure: string;
  budget: string;
  /** true/false against the budget; null where there is no budget. */
  withinBudget: boolean | null;
}

export function printTable(rows: BenchRow[]): void {
  const headers = ['what', 'size', 'figure', 'budget', 'ok'];
  const cells = rows.map((r) => [
    r.what,
    r.size,
    r.figure,
    r.budget,
    r.withinBudget === null ? '-' : r.withinBudget ? 'yes' : 'NO',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(headers)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
