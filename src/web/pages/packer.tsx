// Packer mode: scanner first, no mouse needed. Scans are taken wherever focus is (see scanner.ts),
// each is answered once it is durable, and every answer and every failure (offline, lease lost,
// server error) shows in the status band with its own colour, icon, word and sound (band.ts).
// Errors stay in the band until the next good answer, or Esc. Commands are F-keys, buttons, or
// printed command barcodes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, enc, newEventId } from '../api.js';
import { playSound } from '../audio.js';
import { bandStyle, type BandKind } from '../band.js';
import { currentWorkerPass, useIdentity } from '../identity.js';
import { onLiveEvent } from '../live.js';
import { go } from '../route.js';
import { attachScanner, type ScanInput, type ScannerHandle } from '../scanner.js';
import { keepStationAlive, tabId } from '../tab-session.js';
import { StatusBand } from '../status-band.js';
import { forgetStationRoute, rememberStationRoute, takePendingScans } from '../stray-scans.js';
import { ConfirmLine } from './confirm-line.js';
import { ListOverviewPanel } from './list-overview.js';
import { MapBarcode } from './map-barcode.js';
import { ListPicker, rememberClient } from './list-picker.js';
import { LockedScreen, type Locked } from './locked.js';
import { badgeWorker, BadgeSignIn, useWorkers, WorkerPrompt, type BadgeWorker } from './worker-badge.js';
import { isPauseWord } from '../../domain/station-keys.js';
import { CommandSheetButton, LabelsButton } from '../print-links.js';
import { commandText } from '../../contract/commands.js';
import { SessionLockedBodySchema } from '../../contract/errors.js';
import type { OpenStationRequest, ScanRequest } from '../../contract/requests.js';
import type { ScanAnswer } from '../../contract/station.js';
import type { ServerInfo, StationState } from '../types.js';

type CommandId = 'undo' | 'confirm' | 'skip' | 'force' | 'reopen' | 'end' | 'map' | 'orders';

const COMMANDS: Array<{ id: CommandId; key: string; label: string }> = [
  { id: 'undo', key: 'F2', label: 'Undo last' },
  { id: 'confirm', key: 'F3', label: 'Confirm by hand' },
  { id: 'skip', key: 'F4', label: 'Skip order' },
  { id: 'map', key: 'F5', label: 'Map barcode' },
  { id: 'force', key: 'F6', label: 'Force complete' },
  { id: 'reopen', key: 'F7', label: 'Reopen typed order' },
  { id: 'end', key: 'F8', label: 'End list' },
  { id: 'orders', key: 'F10', label: 'Orders' },
];

export function PackerPage(props: { info: ServerInfo; station: string; params: URLSearchParams }) {
  const client = props.params.get('client');
  const session = props.params.get('session');
  const list = props.params.get('list');
  const { worker } = useIdentity();
  if (!client || !session || !list) return <ListPicker />;
  if (!worker) return <WorkerPrompt />;
  return (
    <Station
      key={`${client}/${session}/${list}/${worker}/${props.params.get('reopen')}/${props.params.get('takeover')}`}
      info={props.info}
      station={props.station}
      client={client}
      session={session}
      list={list}
      worker={worker}
      takeOver={props.params.get('takeover') === '1'}
      heartbeatMs={props.info.locking.heartbeatMs}
      reopen={props.params.get('reopen') === '1'}
    />
  );
}

interface Band {
  kind: BandKind;
  message: string;
}

function Station(props: {
  info: ServerInfo;
  station: string;
  client: string;
  session: string;
  list: string;
  worker: string;
  takeOver: boolean;
  heartbeatMs: number;
  reopen: boolean;
}) {
  const base = `/api/stations/${enc(props.station)}`;
  const [state, setState] = useState<StationState | null>(null);
  const [opening, setOpening] = useState<string | null>('Opening the list…');
  const [locked, setLocked] = useState<Locked | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const [typing, setTyping] = useState('');
  const [band, setBand] = useState<Band | null>(null);
  const [pending, setPending] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [badge, setBadge] = useState<BadgeWorker | null>(null);
  const [overview, setOverview] = useState(false);
  /** The unknown barcode the packer is mapping to a line (F5 after an UNKNOWN answer). */
  const [mapping, setMapping] = useState<string | null>(null);
  const workers = useWorkers();
  const queue = useRef<Promise<void>>(Promise.resolve());
  const live = useRef(true);
  const typed = useRef('');
  const scanner = useRef<ScannerHandle | null>(null);
  const workersRef = useRef(workers);
  workersRef.current = workers;
  const stateRef = useRef(state);
  stateRef.current = state;

  const show = (kind: BandKind, message: string) => {
    setBand({ kind, message });
    playSound(bandStyle(kind).sound);
  };

  const open = async (takeOver: boolean, quiet = false) => {
    if (takeOver) {
      // The take-over watches the holder for the lease time: keep its screen, with the countdown.
      const since = performance.now();
      setOpening(null);
      setLocked(
        (l) =>
          ({
            ...(l ?? { holder: null, stale: true, message: '', seenAt: since }),
            takingOverSince: since,
            refused: undefined,
          }) satisfies Locked,
      );
    } else if (!quiet) {
      setLocked(null);
      setOpenError(null);
      setOpening('Opening the list…');
    }
    try {
      const s = await api.post<StationState>(`${base}/open`, {
        client: props.client,
        session: props.session,
        list: props.list,
        worker: props.worker,
        worker_pass: currentWorkerPass(),
        take_over: takeOver,
        tab: tabId(),
        reopen: props.reopen,
      } satisfies OpenStationRequest);
      live.current = s.lease.state === 'held';
      setLocked(null);
      setState(s);
      if (s.last) setBand({ kind: s.last.kind, message: s.last.message });
      rememberClient(props.client);
      rememberStationRoute(location.hash.replace('&takeover=1', '').replace('&reopen=1', ''));
    } catch (e) {
      const err = e as ApiError;
      // Held elsewhere: SESSION_LOCKED names the holder, and says `stale` when its heartbeat stopped.
      const held = err.code === 'SESSION_LOCKED' ? SessionLockedBodySchema.safeParse(err.body) : null;
      if (held) {
        setLocked({
          message: err.message,
          holder: held.success ? held.data.holder : null,
          stale: held.success && held.data.stale === true,
          seenAt: performance.now(),
          refused: takeOver
            ? 'That station is still answering (its heartbeat moved), so the list was not taken over. '
            : undefined,
        });
      } else if (!quiet) setOpenError(err.message);
    } finally {
      setOpening(null);
    }
  };

  useEffect(() => {
    void open(props.takeOver);
    return onLiveEvent((event) => {
      if (event.type === 'station' && event.station === props.station) {
        live.current = event.view.lease.state === 'held';
        setState(event.view);
      }
      if (event.type === 'lease' && event.station === props.station && event.lease.type === 'lost')
        lostLease(event.lease.message ?? 'Another station has this list now.');
    });
  }, []);

  const lostLease = (message: string) => {
    const wasLive = live.current;
    live.current = false;
    forgetStationRoute();
    setState((s) => (s ? { ...s, lease: { ...s.lease, state: 'lost', message } } : s));
    if (wasLive) show('lease_lost', message);
  };

  const send = (text: string) => {
    // The printed "close" code does what the Close button does.
    if (isPauseWord(text)) return void close();
    const w = badgeWorker(workersRef.current, text);
    if (w) {
      if (w.name !== props.worker) setBadge(w);
      return;
    }
    if (!live.current) {
      show(
        'lease_lost',
        `"${text}" was not saved: this station no longer holds the list. ${stateRef.current?.lease.message ?? ''}`,
      );
      return;
    }
    const eventId = newEventId();
    setPending((n) => n + 1);
    // One at a time, in the order scanned: the scanner can be faster than the answer.
    queue.current = queue.current.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await api.post<ScanAnswer>(`${base}/scan`, {
            text,
            event_id: eventId,
            tab: tabId(),
          } satisfies ScanRequest);
          live.current = r.state.lease.state === 'held';
          setState(r.state);
          if (r.outcome) show(r.outcome.kind, r.outcome.message);
          if (r.outcome?.kind === 'ended') forgetStationRoute();
          return;
        } catch (e) {
          const err = e as ApiError;
          // The same event id makes a retry safe: the station counts it once.
          if (err.code === 'OFFLINE' && attempt < 3) continue;
          // The station no longer holds the list: said on this very answer, whatever the live events do.
          if (err.code === 'LEASE_LOST') lostLease(err.message);
          else if (err.code === 'OFFLINE')
            show(
              'offline',
              `"${text}" was NOT saved: the packdesk server does not answer. Scan it again once the server is back.`,
            );
          else show('server_error', `"${text}" was NOT saved: ${err.message}`);
          return;
        }
      }
    });
    void queue.current.finally(() => setPending((n) => n - 1));
  };

  const missingLines = () => (stateRef.current?.order?.lines ?? []).filter((l) => l.packed < l.required);

  const runCommand = (id: CommandId) => {
    switch (id) {
      case 'undo':
        return send(commandText.undo());
      case 'skip':
        return send(commandText.skip());
      case 'force':
        return send(commandText.force());
      case 'end':
        return send(commandText.end());
      case 'map': {
        const last = stateRef.current?.last;
        if (last?.kind !== 'unknown_barcode' || !last.sku || !stateRef.current?.order)
          return show('refused', 'Scan the item with the unknown barcode first, then press F5 to map it.');
        return setMapping(last.sku);
      }
      case 'orders':
        // Read only: scans keep going to the station while the overview shows.
        return setOverview((shown) => !shown);
      case 'confirm': {
        const missing = missingLines();
        if (!stateRef.current?.order) return send(commandText.confirm());
        if (stateRef.current.rules.manual_confirm === 'off' || missing.length === 0)
          return send(
            commandText.confirm({ sku: stateRef.current.order.lines[0]?.sku, reason: 'UNREADABLE' }),
          );
        return setConfirming(missing[0]!.sku);
      }
      case 'reopen': {
        const order = typed.current.trim();
        // The typed text was the order number: it must not stay in front of the next scan.
        scanner.current?.clear();
        typed.current = '';
        if (!order) return show('refused', 'Type the order number first, then press F7 to reopen it.');
        return send(commandText.reopen(order));
      }
    }
  };

  const opened = state !== null;
  useEffect(() => (opened ? keepStationAlive(props.station, props.heartbeatMs) : undefined), [opened]);
  useEffect(() => {
    if (!opened) return;
    const stop = attachScanner(document, {
      onInput: (input: ScanInput) => send(input.text),
      onTyping: (text) => {
        typed.current = text;
        setTyping(text);
      },
    });
    scanner.current = stop;
    // Scans caught on another page of this tab, in the order scanned.
    for (const text of takePendingScans()) send(text);
    // Window, capture phase: before the scanner's own listener, which keeps Esc for its buffer.
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setBand((b) => (b && bandStyle(b.kind).error ? null : b));
        // In the overview's search field Esc closes the order's history first (the overview's own key).
        if ((e.target as HTMLElement | null)?.dataset?.scanThrough === undefined) setOverview(false);
        return;
      }
      const command = COMMANDS.find((c) => c.key === e.key);
      if (!command) return;
      e.preventDefault();
      runCommand(command.id);
    };
    window.addEventListener('keydown', keys, { capture: true });
    return () => {
      stop();
      scanner.current = null;
      window.removeEventListener('keydown', keys, { capture: true });
    };
  }, [opened]);

  const close = async () => {
    await api.post(`${base}/close`).catch(() => undefined);
    forgetStationRoute();
    go('sessions');
  };

  if (opening)
    return (
      <section class="panel">
        <h1 class="opening">{opening}</h1>
      </section>
    );
  if (locked)
    return (
      <LockedScreen
        locked={locked}
        staleMs={props.info.locking.staleMs}
        onRetry={() => void open(false, true)}
        onTakeOver={() => void open(true)}
      />
    );
  if (!state)
    return (
      <section class="panel error" data-testid="open-error">
        <h1>{openError ?? 'The list could not be opened.'}</h1>
        <button onClick={() => go('pack')} autoFocus>
          Back to the lists
        </button>
      </section>
    );

  const lost = state.lease.state !== 'held';
  const p = state.progress;
  const allDone = p.orders_total > 0 && p.orders_done === p.orders_total;
  const confirmLine = confirming ? state.order?.lines.find((l) => l.sku === confirming) : undefined;
  const missing = missingLines();
  const moveConfirm = (step: 1 | -1) => {
    const i = missing.findIndex((l) => l.sku === confirming);
    const next = missing[(i + step + missing.length) % missing.length];
    if (next) setConfirming(next.sku);
  };
  return (
    <section class={`packer ${lost ? 'is-lost' : ''}`} data-testid="packer">
      {state.lease.state === 'released' && (
        <div class="notice ended" data-testid="list-ended">
          {state.lease.message} <button onClick={() => go('pack')}>Choose another list</button>
        </div>
      )}
      <div class="order-head">
        <div class="order-number" data-testid="order-number">
          {state.order ? `Order ${state.order.number}` : 'Scan an order barcode'}
        </div>
        <div class="progress" data-testid="progress">
          {p.orders_done}/{p.orders_total} orders · {p.items_done}/{p.items_total} items
        </div>
      </div>
      <StatusBand
        kind={band?.kind ?? 'idle'}
        message={band?.message ?? `Ready. ${state.list} at ${state.station}, ${state.worker} packing.`}
        saving={pending > 0}
      />
      {band?.kind === 'unknown_barcode' && state.rules.map_unknown_barcodes && state.order && !mapping && (
        <div class="notice map-hint" data-testid="map-hint">
          New barcode on a product of this order? Press <kbd>F5</kbd> to map it to one of the order's lines.
        </div>
      )}
      {allDone && state.lease.state === 'held' && (
        <div class="notice all-done" data-testid="all-done">
          Every order of this list is packed. Press <kbd>F8</kbd> to end the list and write its report.
        </div>
      )}
      {!overview && !state.order && state.next_orders.length > 0 && state.lease.state === 'held' && (
        <p class="next-orders" data-testid="next-orders">
          Next orders to pack (scan the order's label, or type its number and press Enter):{' '}
          {state.next_orders.map((o, i) => (
            <>
              {i > 0 && ', '}
              <strong>{o.number}</strong>
              {o.state !== 'to_do' && <small> ({o.state})</small>}
            </>
          ))}
        </p>
      )}
      <div class="scan-line" data-testid="scan-line">
        <span class="label">Typed:</span>{' '}
        <span class="typed" data-testid="typed">
          {typing || '—'}
        </span>
        <span class="hint">Scan anywhere · type and press Enter · Esc clears</span>
      </div>
      {badge && <BadgeSignIn worker={badge} onDone={(m) => (setBadge(null), m && show('refused', m))} />}
      {mapping && state.order && (
        <MapBarcode
          code={mapping}
          lines={state.order.lines}
          typing={() => typed.current !== ''}
          onCancel={() => setMapping(null)}
          onPick={(sku) => {
            setMapping(null);
            send(commandText.map(sku));
          }}
        />
      )}
      {confirmLine && (
        <ConfirmLine
          line={confirmLine}
          others={missing.length - 1}
          onMove={moveConfirm}
          onCancel={() => setConfirming(null)}
          onPick={(reason) => {
            setConfirming(null);
            send(commandText.confirm({ sku: confirmLine.sku, count: 1, reason }));
          }}
        />
      )}
      {overview && (
        <ListOverviewPanel
          client={state.client}
          session={state.session}
          list={state.list}
          version={`${p.orders_done}/${p.items_done}/${state.order?.number ?? ''}/${state.order?.packed ?? ''}`}
          pageSize={8}
          autoFocus
          compact
          onClose={() => {
            setOverview(false);
            (document.activeElement as HTMLElement | null)?.blur();
          }}
        />
      )}
      {!overview && state.order && state.order.details.length > 0 && (
        <dl class="order-details" data-testid="order-details">
          {state.order.details.map((d) => (
            <div>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {!overview && state.order && (
        <table class="lines" data-testid="lines">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Product</th>
              <th class="num">Packed</th>
              {state.rules.manual_confirm !== 'off' && <th>By hand</th>}
            </tr>
          </thead>
          <tbody>
            {state.order.lines.map((l) => (
              <tr class={l.packed >= l.required ? 'done' : l.packed > 0 ? 'partial' : ''} data-sku={l.sku}>
                <td class="sku">{l.sku}</td>
                <td>{l.product_name}</td>
                <td class="num">
                  {l.packed}/{l.required}
                </td>
                {state.rules.manual_confirm !== 'off' && (
                  <td>
                    {l.packed < l.required && (
                      <button
                        class="small"
                        tabIndex={-1}
                        disabled={lost}
                        data-testid={`confirm-${l.sku}`}
                        onClick={() => setConfirming(l.sku)}
                      >
                        Confirm 1
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="commands">
        {COMMANDS.filter(
          (c) =>
            (c.id !== 'force' || state.rules.allow_force_complete) &&
            (c.id !== 'map' || state.rules.map_unknown_barcodes),
        ).map((c) => (
          <button
            disabled={lost && c.id !== 'orders'}
            onClick={() => runCommand(c.id)}
            tabIndex={-1}
            data-testid={`command-${c.id}`}
          >
            <kbd>{c.key}</kbd> {c.label}
          </button>
        ))}
        <button onClick={() => void close()} tabIndex={-1}>
          Close (pause list)
        </button>
        {lost && (
          <button onClick={() => go('pack')} tabIndex={-1}>
            Choose another list
          </button>
        )}
        <LabelsButton client={state.client} session={state.session} list={state.list} />
        <CommandSheetButton />
      </div>
    </section>
  );
}
