// The screen when another station holds the list: who, since when, how long since its last heartbeat
// (counting up), and taking it over. A take-over makes this station watch the holder's heartbeat
// for the lease time; if it stays still the list is taken over without a second press, and the
// countdown says when. Keys: F9 takes over, Esc goes back to the lists.
import { useEffect, useState } from 'preact/hooks';
import { sealMarginMs } from '../../domain/lease.js';
import { localTimeText } from '../../domain/local-time.js';
import { go } from '../route.js';
import type { LeaseHolder } from '../types.js';

export interface Locked {
  holder: LeaseHolder | null;
  stale: boolean;
  message: string;
  /** performance.now() when the holder's heartbeat age was read. */
  seenAt: number;
  /** performance.now() when this station asked to take over (the watch runs on the server). */
  takingOverSince?: number;
  /** Why the last take-over did not happen. */
  refused?: string;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

export function LockedScreen(props: {
  locked: Locked;
  staleMs: number;
  onRetry(): void;
  onTakeOver(): void;
}) {
  const [now, setNow] = useState(performance.now());
  const l = props.locked;
  useEffect(() => {
    const tick = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(tick);
  }, []);
  // Look again now and then: the heartbeat age stays true, and a released list opens by itself.
  useEffect(() => {
    if (l.takingOverSince !== undefined) return;
    const again = setInterval(props.onRetry, 3_000);
    return () => clearInterval(again);
  }, [l.takingOverSince]);
  useEffect(() => {
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'F9' && l.takingOverSince === undefined) props.onTakeOver();
      else if (e.key === 'Escape') go('pack');
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', keys, { capture: true });
    return () => window.removeEventListener('keydown', keys, { capture: true });
  }, [l.takingOverSince]);

  const h = l.holder;
  const age = h?.heartbeat_age_ms == null ? null : h.heartbeat_age_ms + (now - l.seenAt);
  // The server's answer decides (SESSION_LOCKED with `stale: true`, judged on the holder's own lease
  // time); the count-up only says it sooner when this page sees the heartbeat age pass the lease time.
  const stale = l.stale || (age !== null && age >= props.staleMs);
  const watching = l.takingOverSince !== undefined;
  // After the watch the server waits the seal margin, so the stopped station (if it is only slow)
  // sees the take-over before its last scans are sealed; the countdown includes it.
  const marginMs = sealMarginMs(props.staleMs);
  const leftMs = watching ? props.staleMs + marginMs - (now - l.takingOverSince!) : null;
  const watchLeftMs = watching ? props.staleMs - (now - l.takingOverSince!) : null;
  const ttl = seconds(props.staleMs);
  return (
    <section class="panel locked" data-testid="locked">
      <h1>
        {stale
          ? 'The station holding this list has stopped answering'
          : 'This list is open at another station'}
      </h1>
      {h && (
        <p class="holder">
          Station <strong data-testid="holder-station">{h.station}</strong>, worker{' '}
          <strong>{h.worker}</strong>, since {localTimeText(h.since)}.
        </p>
      )}
      <p class="heartbeat" data-testid="heartbeat-age">
        {age === null
          ? 'Its last heartbeat time is not known.'
          : `Last heartbeat ${Math.floor(age / 1000)} s ago${stale ? '' : ` — it counts as stopped after ${ttl} s without one (in ${seconds(props.staleMs - age)} s)`}.`}
      </p>
      {watching ? (
        <p class="countdown" data-testid="takeover-countdown">
          {watchLeftMs! > 0
            ? "Taking over: this station is watching that station's heartbeat. If it stays still, the list is taken over here in "
            : `Taking over: that station stayed still. Waiting ${seconds(marginMs)} s so it sees the take-over before its last scans are sealed; the list is yours in `}
          <strong>{seconds(leftMs!)} s</strong>; nothing else to press.
        </p>
      ) : (
        <p>
          {l.refused ?? (stale ? '' : 'Wait until that station closes the list, or ask a shift lead. ')}
          If that station has really stopped (crashed, switched off, network gone), take the list over: this
          station watches its heartbeat for {ttl} s, waits {seconds(marginMs)} s more so that station sees it,
          and then takes over, keeping every saved scan.
        </p>
      )}
      <div class="actions">
        <button
          class={stale ? 'warn big-action' : 'warn'}
          data-testid="take-over"
          disabled={watching}
          onClick={props.onTakeOver}
        >
          <kbd>F9</kbd> Take over (only if that station has stopped)
        </button>
        <button onClick={() => go('pack')}>
          <kbd>Esc</kbd> Back to the lists
        </button>
      </div>
    </section>
  );
}
