// What the list carries about an order besides its items (notes, tags, country, box, repeat flag…),
// as the packer and the overview read it.

/** The order's metadata as the packer reads it: non-empty values as text, at most ten. */
export function orderDetails(metadata: Record<string, unknown>): Array<{ label: string; value: string }> {
  const details: Array<{ label: string; value: string }> = [];
  for (const [label, raw] of Object.entries(metadata)) {
    if (raw === null || raw === '' || raw === false) continue;
    const value =
      raw === true
        ? 'yes'
        : Array.isArray(raw)
          ? raw.join(', ')
          : typeof raw === 'object'
            ? JSON.stringify(raw)
            : String(raw);
    if (value.trim() !== '') details.push({ label: label.replaceAll('_', ' '), value: value.slice(0, 200) });
    if (details.length === 10) break;
  }
  return details;
}
