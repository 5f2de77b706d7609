// Arrays that stay as small as what they hold. A preparation keeps a few small arrays per order
// (lines, tags, short SKUs) for hundreds of thousands of orders, and V8 gives an array that grows by
// push() — or by a spread followed by one more item — room for 16 more items: ~130 bytes of empty
// slots in each, tens of MB at 200,000 orders. slice() and new Array(n) allocate exactly n.

/** `items` followed by `item`, in a new array of exactly that length. */
export function appended<T>(items: readonly T[], item: T): T[] {
  const out = new Array<T>(items.length + 1);
  for (let i = 0; i < items.length; i++) out[i] = items[i]!;
  out[items.length] = item;
  return out;
}
