// Worker badges: a barcode of the worker's id (W001) or name, optionally as "!WORKER <id or name>".
// Scanning one switches who is packing at this station; a worker with a PIN is asked for it, and the
// PIN is checked by the server like any other sign-in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { playSound } from '../audio.js';
import { setWorker } from '../identity.js';
import { attachScanner } from '../scanner.js';
import type { ApiAnswer } from '../../contract/index.js';

export type BadgeWorker = ApiAnswer<'GET /api/workers'>['workers'][number];

const key = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** The worker a scanned text names, or null when it is no badge. */
export function badgeWorker(workers: readonly BadgeWorker[], text: string): BadgeWorker | null {
  const m = /^!WORKER\s+(.+)$/i.exec(text.trim());
  const wanted = key(m ? m[1]! : text);
  return workers.find((w) => key(w.id) === wanted || key(w.name) === wanted) ?? null;
}

export function useWorkers(): BadgeWorker[] {
  const [workers, setWorkers] = useState<BadgeWorker[]>([]);
  useEffect(() => {
    api.get<{ workers: BadgeWorker[] }>('/api/workers').then(
      (r) => setWorkers(r.workers),
      () => undefined,
    );
  }, []);
  return workers;
}

/** Asks a badge's PIN (when the worker has one) and signs the worker in. */
export function BadgeSignIn(props: { worker: BadgeWorker; onDone(message: string | null): void }) {
  const [pin, setPin] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const check = async (pinText: string | null) => {
    try {
      // The check's pass goes with the name: opening a list as a PIN-protected worker needs it.
      const checked = await api.post<{ pass?: string }>(`/api/workers/${enc(props.worker.id)}/check`, {
        pin: pinText,
      });
      setWorker(props.worker.name, checked.pass ?? null);
      props.onDone(null);
    } catch (e) {
      setNote((e as Error).message);
      playSound('refused');
      setPin('');
      field.current?.focus();
    }
  };
  useEffect(() => {
    if (!props.worker.has_pin) void check(null);
    else field.current?.focus();
  }, [props.worker.id]);
  if (!props.worker.has_pin) return null;
  return (
    <form
      class="dialog badge-pin"
      data-testid="badge-pin"
      onSubmit={(e) => {
        e.preventDefault();
        void check(pin);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onDone('Worker not changed.');
      }}
    >
      <h2>PIN for {props.worker.name}</h2>
      <input
        ref={field}
        type="password"
        inputMode="numeric"
        value={pin}
        data-testid="badge-pin-input"
        onInput={(e) => setPin((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Start</button> <span class="muted">Enter to start · Esc to cancel</span>
      {note && <p class="problem">{note}</p>}
    </form>
  );
}

/** The "who is packing?" prompt: scan a badge, or type a name. */
export function WorkerPrompt() {
  const workers = useWorkers();
  const [name, setName] = useState('');
  const [badge, setBadge] = useState<BadgeWorker | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (badge) return;
    return attachScanner(document, {
      onInput: (input) => {
        const w = badgeWorker(workers, input.text);
        if (w) return setBadge(w);
        playSound('refused');
        setNote(`"${input.text}" is no worker badge. Scan your badge, or type your name below.`);
      },
    });
  }, [workers, badge]);
  return (
    <section class="panel" data-testid="worker-prompt">
      <h1>Who is packing?</h1>
      <p>Scan your worker badge, or type a name and press Enter.</p>
      {note && (
        <p class="problem" data-testid="worker-note">
          {note}
        </p>
      )}
      {badge && (
        <BadgeSignIn
          worker={badge}
          onDone={(message) => {
            setBadge(null);
            setNote(message);
          }}
        />
      )}
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
      <ul class="worker-list">
        {workers.map((w) => (
          <li>
            <button onClick={() => setBadge(w)} data-testid={`worker-${w.name}`}>
              {w.name} <small>{w.id}</small> {w.has_pin && <small>PIN</small>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
