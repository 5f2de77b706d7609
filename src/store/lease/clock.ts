// The two clocks a lease may read. Wall time is only ever shown to people or written into names;
// decisions use the monotonic clock, which no NTP step, time zone or hand-set clock can move.
// PACKDESK_TEST_CLOCK_SKEW_MS shifts this process's wall clock (tests prove that skew changes nothing).

const skewMs = Number(process.env.PACKDESK_TEST_CLOCK_SKEW_MS ?? 0) || 0;

export function wallNowMs(): number {
  return Date.now() + skewMs;
}

export function wallNowIso(): string {
  return new Date(wallNowMs()).toISOString();
}

export function monoNowMs(): number {
  return performance.now();
}
