// Courier deadline countdown and the pace needed to make it. A list is matched to a courier by name
// (sessions have one list per courier, DESIGN §7), ignoring case and punctuation.

export interface DeadlineView {
  courier: string;
  /** Milliseconds until the deadline today; negative once it passed. */
  remainingMs: number;
  /** Orders per hour needed to finish the remaining orders in time; null when done or past. */
  paceNeeded: number | null;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function courierFor(listName: string, deadlines: Record<string, string>): string | null {
  const list = squash(listName);
  let best: string | null = null;
  for (const courier of Object.keys(deadlines)) {
    const c = squash(courier);
    if (c.length > 0 && list.includes(c) && (best === null || c.length > squash(best).length)) best = courier;
  }
  return best;
}

export function deadlineView(
  listName: string,
  deadlines: Record<string, string>,
  ordersLeft: number,
  now: Date,
): DeadlineView | null {
  const courier = courierFor(listName, deadlines);
  if (!courier) return null;
  const [h, m] = deadlines[courier]!.split(':').map(Number);
  const due = new Date(now);
  due.setHours(h!, m!, 0, 0);
  const remainingMs = due.getTime() - now.getTime();
  const paceNeeded =
    ordersLeft > 0 && remainingMs > 0 ? Math.ceil(ordersLeft / (remainingMs / 3_600_000)) : null;
  return { courier, remainingMs, paceNeeded };
}

export function formatCountdown(ms: number): string {
  const past = ms < 0;
  const total = Math.floor(Math.abs(ms) / 60_000);
  const text = `${Math.floor(total / 60)} h ${String(total % 60).padStart(2, '0')} min`;
  return past ? `${text} late` : text;
}
