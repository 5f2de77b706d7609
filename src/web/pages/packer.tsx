// Packer mode: scanner first. Scans are taken wherever focus is (see scanner.ts), each is answered
// once it is durable, with its own colour and sound. Commands are buttons and F-keys. When the
// station loses its lease the screen says so at once and scans stop being accepted.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, enc, newEventId } from '../api.js';
import { playSound } from '../audio.js';
import { setWorker, useIdentity } from '../identity.js';
import { onLive } from '../live.js';
import { outcomeStyle } from '../outcome-style.js';
import { go } from '../route.js';
import { attachScanner, type ScanInput } from '../scanner.js';
import { isPauseWord, STATION_COMMAND_KEYS } from '../../domain/station-keys.js';
import { ListScanner } from '../list-scan.js';
import { CommandSheetButton, ListSheetButton } from '../print-links.js';
import { WorkersPage } from './workers.js';
import type { ClientSummary, ServerInfo, SessionView, StationOutcomeView, StationState } from '../types.js';

// The keys and words come from the one table the printed command sheet is made from.
const COMMANDS: Array<{ key: string; label: string; text: string | ((typed: string) => string | null) }> =
  STATION_COMMAND_KEYS.flatMap((c) =>
    c.key === null
      ? []
      : [
          {
            key: c.key,
            label: c.label,
            text: c.needsOrder
              ? (typed: string) => (typed.trim() ? `${c.word} ${typed.trim()}` : null)
              : c.word,
          },
        ],
  );

interface Locked {
  message: string;
  holder: { station: string; worker: string; since: string; heartbeat_age_ms: number | null } | null;
  stale: boolean;
}

function ListPicker() {
  const [clients, setClients] = useState<ClientSummary[]>([]);
  const [client, setClient] = useState('');
  const [sessions, setSessions] = useState<SessionView[]>([]);
  useEffect(() => {
    api.get<{ clients: ClientSummary[] }>('/api/clients').then((r) => {
      setClients(r.clients);
      if (r.clients[0]) setClient(r.clients[0].client_id);
    });
  }, []);
  useEffect(() => {
    if (client)
      api
        .get<{ sessions: SessionView[] }>(`/api/sessions?client=${enc(client)}`)
        .then((r) => setSessions(r.sessions));
  }, [client]);
  return (
    <section class="panel picker">
      <h1>Choose a packing list</h1>
      <ListScanner />
      <label>
        Client{' '}
        <select value={client} onChange={(e) => setClient((e.target as HTMLSelectElement).value)}>
          {clients.map((c) => (
            <option value={c.client_id}>
              {c.client_id} — {c.client_name}
            </option>
          ))}
        </select>
      </label>{' '}
      {client && <ListSheetButton client={client} />}
      <ul class="pick-lists">
        {sessions.flatMap((s) =>
          s.lists
            .filter((l) => l.state !== 'completed')
            .map((l) => (
              <li>
                <button class="big" onClick={() => go('pack', { client, session: s.session, list: l.name })}>
                  {l.name} <small>{s.session}</small>{' '}
                  <small>
                    {l.orders_done}/{l.orders_total} orders · {l.state.replace('_', ' ')}
                  </small>
                </button>
              </li>
            )),
        )}
      </ul>
      {sessions.length === 0 && <p>No sessions for this client yet. Create one on the Sessions page.</p>}
    </section>
  );
}

function WorkerPrompt() {
  const [name, setName] = useState('');
  return (
    <section class="panel">
      <h1>Who is packing?</h1>
      <p>Type a name, or choose a worker below (a PIN is asked when the worker has one).</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) setWorker(name.trim());
        }}
      >
        <input
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
          placeholder="Worker name"
          data-testid="worker-input"
        />
        <button type="submit">Start packing</button>
      </form>
      <WorkersPage />
    </section>
  );
}

export function PackerPage(props: { info: ServerInfo; station: string; params: URLSearchParams }) {
  const client = props.params.get('client');
  const session = props.params.get('session');
  const list = props.params.get('list');
  const { worker } = useIdentity();
  if (!client || !session || !list) return <ListPicker />;
  if (!worker) return <WorkerPrompt />;
  return (
    <Station
      key={`${client}/${session}/${list}/${worker}`}
      station={props.station}
      client={client}
      session={session}
      list={list}
      worker={worker}
      takeOver={props.params.get('takeover') === '1'}
    />
  );
}

function Station(props: {
  station: string;
  client: string;
  session: string;
  list: string;
  worker: string;
  takeOver: boolean;
}) {
  const base = `/api/stations/${enc(props.station)}`;
  const [state, setState] = useState<StationState | null>(null);
  const [opening, setOpening] = useState<string | null>('Opening the list…');
  const [locked, setLocked] = useState<Locked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typing, setTyping] = useState('');
  const [last, setLast] = useState<StationOutcomeView | null>(null);
  const [pending, setPending] = useState(0);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const live = useRef(true);
  const typed = useRef('');

  const open = async (takeOver: boolean, quiet = false) => {
    if (!quiet) {
      setLocked(null);
      setError(null);
      setOpening(
        takeOver
          ? 'Making sure the other station has stopped, then taking the list over…'
          : 'Opening the list…',
      );
    }
    try {
      const s = await api.post<StationState>(`${base}/open`, {
        client: props.client,
        session: props.session,
        list: props.list,
        worker: props.worker,
        take_over: takeOver,
      });
      live.current = s.lease.state === 'held';
      setLocked(null);
      setState(s);
      setLast(s.last);
    } catch (e) {
      const err = e as ApiError;
      if (err.code === 'SESSION_LOCKED' || err.code === 'STALE_LOCK') {
        const holder = (err.body.holder as Locked['holder']) ?? null;
        setLocked({
          message: err.message,
          holder,
          stale: err.code === 'STALE_LOCK' || err.body.stale === true,
        });
      } else if (!quiet) setError(err.message);
    } finally {
      setOpening(null);
    }
  };

  // While another station holds the list, look again now and then: the heartbeat age stays current,
  // and the list opens here by itself once it is released.
  useEffect(() => {
    if (!locked) return;
    const timer = setInterval(() => void open(false, true), 3_000);
    return () => clearInterval(timer);
  }, [locked !== null]);

  useEffect(() => {
    void open(props.takeOver);
    return onLive((type, data) => {
      if (data.station !== props.station) return;
      if (type === 'station') {
        const view = data.view as StationState;
        live.current = view.lease.state === 'held';
        setState(view);
      }
      if (type === 'lease') {
        const lease = data.lease as { type: string; message?: string };
        if (lease.type === 'lost') {
          live.current = false;
          playSound('lost');
          setState((s) =>
            s
              ? {
                  ...s,
                  lease: {
                    ...s.lease,
                    state: 'lost',
                    message: lease.message ?? 'Another station has this list now.',
                  },
                }
              : s,
          );
        }
      }
    });
  }, []);

  const send = (text: string) => {
    // The printed "close" code does what the Close button does.
    if (isPauseWord(text)) return void close();
    if (!live.current) {
      // Keys still arrive here so the packer hears that nothing is being saved.
      setError('This station no longer holds the list: the scan was not saved.');
      playSound('refused');
      return;
    }
    const eventId = newEventId();
    setPending((n) => n + 1);
    // One at a time, in the order scanned: the scanner can be faster than the answer.
    queue.current = queue.current.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await api.post<{ outcome: StationOutcomeView; state: StationState }>(`${base}/scan`, {
            text,
            event_id: eventId,
          });
          live.current = r.state.lease.state === 'held';
          setState(r.state);
          setLast(r.outcome);
          playSound(outcomeStyle(r.outcome.kind).sound);
          return;
        } catch (e) {
          const err = e as ApiError;
          // The same event id makes a retry safe: the station counts it once.
          if (err.code === 'OFFLINE' && attempt < 3) continue;
          if (err.code === 'LEASE_LOST') {
            live.current = false;
            setState((s) => (s ? { ...s, lease: { ...s.lease, state: 'lost', message: err.message } } : s));
            playSound('lost');
          } else {
            setError(err.message);
            playSound('refused');
          }
          return;
        }
      }
    });
    void queue.current.finally(() => setPending((n) => n - 1));
  };

  const opened = state !== null;
  useEffect(() => {
    if (!opened) return;
    const stop = attachScanner(document, {
      onInput: (input: ScanInput) => send(input.text),
      onTyping: (text) => {
        typed.current = text;
        setTyping(text);
      },
    });
    const keys = (e: KeyboardEvent) => {
      const command = COMMANDS.find((c) => c.key === e.key);
      if (!command) return;
      e.preventDefault();
      runCommand(command.text);
    };
    document.addEventListener('keydown', keys);
    return () => {
      stop();
      document.removeEventListener('keydown', keys);
    };
  }, [opened]);

  const runCommand = (text: (typeof COMMANDS)[number]['text']) => {
    const value = typeof text === 'string' ? text : text(typed.current);
    if (value === null) {
      setError('Type the order number first, then press Reopen.');
      playSound('refused');
      return;
    }
    send(value);
  };

  const close = async () => {
    await api.post(`${base}/close`).catch(() => undefined);
    go('sessions');
  };

  if (opening)
    return (
      <section class="panel">
        <h1 class="opening">{opening}</h1>
      </section>
    );
  if (locked) {
    const h = locked.holder;
    return (
      <section class="panel locked" data-testid="locked">
        <h1>
          {locked.stale
            ? 'The station holding this list has stopped answering'
            : 'This list is open at another station'}
        </h1>
        {h && (
          <p class="holder">
            Station <strong data-testid="holder-station">{h.station}</strong>, worker{' '}
            <strong>{h.worker}</strong>, since{' '}
            {Number.isNaN(Date.parse(h.since)) ? h.since : new Date(h.since).toLocaleTimeString()}
            {h.heartbeat_age_ms !== null && (
              <> — last heartbeat {Math.round(h.heartbeat_age_ms / 1000)} s ago</>
            )}
          </p>
        )}
        <p>{locked.message}</p>
        <div class="actions">
          <button onClick={() => void open(false)}>Try again</button>
          <button
            class={locked.stale ? 'warn big-action' : 'warn'}
            data-testid="take-over"
            onClick={() => void open(true)}
          >
            Take over (only if that station has stopped)
          </button>
          <button onClick={() => go('sessions')}>Back to sessions</button>
        </div>
      </section>
    );
  }
  if (!state)
    return (
      <section class="panel error" data-testid="open-error">
        <h1>{error ?? 'The list could not be opened.'}</h1>
        <button onClick={() => go('sessions')}>Back to sessions</button>
      </section>
    );

  const lost = state.lease.state !== 'held';
  const style = last ? outcomeStyle(last.kind) : null;
  const p = state.progress;
  return (
    <section class={`packer ${lost ? 'is-lost' : ''}`} data-testid="packer">
      {state.lease.state === 'released' && (
        <div class="notice ended" data-testid="list-ended">
          {state.lease.message} <button onClick={() => go('sessions')}>Back to sessions</button>
        </div>
      )}
      {state.lease.state === 'lost' && (
        <div class="lost-banner" data-testid="lease-lost">
          <strong>Not saving: this station no longer holds the list.</strong> {state.lease.message ?? ''}{' '}
          Scans are not accepted.
          <button onClick={() => go('sessions')}>Back to sessions</button>
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
      <div class={`status tone-${style?.tone ?? 'idle'}`} data-testid="status" data-kind={last?.kind ?? ''}>
        {last ? last.message : `Ready. ${state.list} at ${state.station}.`}
        {pending > 0 && <span class="saving"> saving…</span>}
      </div>
      <div class="scan-line" data-testid="scan-line">
        <span class="label">Typed:</span>{' '}
        <span class="typed" data-testid="typed">
          {typing || '—'}
        </span>
        <span class="hint">Scan anywhere · type and press Enter · Esc clears</span>
      </div>
      {error && (
        <div class="inline-error" data-testid="error">
          {error} <button onClick={() => setError(null)}>OK</button>
        </div>
      )}
      {state.order && (
        <table class="lines" data-testid="lines">
          <thead>
            <tr>
              <th>SKU</th>
              <th>Product</th>
              <th class="num">Packed</th>
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="commands">
        {COMMANDS.map((c) => (
          <button disabled={lost} onClick={() => runCommand(c.text)} tabIndex={-1}>
            <kbd>{c.key}</kbd> {c.label}
          </button>
        ))}
        <button onClick={() => void close()} tabIndex={-1}>
          Close (pause list)
        </button>
        <CommandSheetButton />
      </div>
    </section>
  );
}
