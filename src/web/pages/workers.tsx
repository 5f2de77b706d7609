// Workers: who is packing at this station (optional PIN), adding workers, and stats per worker.
import { useEffect, useState } from 'preact/hooks';
import { api, enc, type ApiError } from '../api.js';
import { setWorker, useIdentity } from '../identity.js';
import type { ApiAnswer } from '../../contract/index.js';
import type { StatsReport } from '../types.js';

type Worker = ApiAnswer<'GET /api/workers'>['workers'][number];

export function WorkersPage() {
  const { worker } = useIdentity();
  const [workers, setWorkers] = useState<Worker[]>([]);
  const [stats, setStats] = useState<StatsReport | null>(null);
  const [choosing, setChoosing] = useState<Worker | null>(null);
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [newPin, setNewPin] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [lockedOut, setLockedOut] = useState<Worker | null>(null);
  const load = () =>
    api.get<{ workers: Worker[] }>('/api/workers').then(
      (r) => setWorkers(r.workers),
      (e: Error) => setNote(e.message),
    );
  useEffect(() => {
    void load();
    api.get<{ report: StatsReport }>('/api/stats').then(
      (r) => setStats(r.report),
      () => undefined,
    );
  }, []);

  const choose = async (w: Worker, pinText: string | null) => {
    try {
      const checked = await api.post<{ pass: string }>(`/api/workers/${enc(w.id)}/check`, { pin: pinText });
      setWorker(w.name, checked.pass);
      setChoosing(null);
      setPin('');
      setNote(`${w.name} is now packing at this station.`);
    } catch (e) {
      setNote((e as Error).message);
      if ((e as ApiError).code === 'LOCKED_OUT') setLockedOut(w);
    }
  };

  // Only at the packdesk PC itself: a device guessing PINs over the network cannot unlock itself.
  const unlock = async (w: Worker) => {
    try {
      await api.post(`/api/workers/${enc(w.id)}/unlock`);
      setLockedOut(null);
      setNote(`${w.name} is unlocked.`);
    } catch (e) {
      setNote((e as Error).message);
    }
  };

  return (
    <section class="workers" data-testid="workers">
      <h1>Workers</h1>
      <p class="current">
        Packing at this station: <strong>{worker ?? 'nobody chosen'}</strong>{' '}
        {worker && <button onClick={() => setWorker(null)}>Sign out</button>}
      </p>
      {note && (
        <div class="notice">
          {note} <button onClick={() => setNote(null)}>OK</button>{' '}
          {lockedOut && (
            <button onClick={() => void unlock(lockedOut)} data-testid="unlock-worker">
              Unlock {lockedOut.name} (shift lead)
            </button>
          )}
        </div>
      )}
      <div class="worker-cards">
        {workers.map((w) => {
          const s = stats?.by_worker[w.name];
          return (
            <button
              class={`worker-card ${worker === w.name ? 'active' : ''}`}
              onClick={() => (w.has_pin ? setChoosing(w) : void choose(w, null))}
              data-testid={`worker-${w.name}`}
            >
              <strong>{w.name}</strong>
              <span>{w.has_pin ? 'PIN required' : 'no PIN'}</span>
              <span>
                {s
                  ? `${s.orders_completed} orders · ${s.items_packed} items · ${s.overscans} over-scans`
                  : 'no packing yet'}
              </span>
            </button>
          );
        })}
      </div>
      {choosing && (
        <form
          class="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void choose(choosing, pin);
          }}
        >
          <h2>PIN for {choosing.name}</h2>
          <input
            type="password"
            inputMode="numeric"
            value={pin}
            onInput={(e) => setPin((e.target as HTMLInputElement).value)}
            autoFocus
          />
          <button type="submit">Start</button>{' '}
          <button type="button" onClick={() => setChoosing(null)}>
            Cancel
          </button>
        </form>
      )}
      <form
        class="panel row"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api.post('/api/workers', { name, pin: newPin.trim() === '' ? null : newPin.trim() });
            setName('');
            setNewPin('');
            await load();
          } catch (err) {
            setNote((err as Error).message);
          }
        }}
      >
        <h2>Add a worker</h2>
        <input
          placeholder="Name"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <input
          placeholder="PIN (optional, 4–8 digits)"
          value={newPin}
          inputMode="numeric"
          onInput={(e) => setNewPin((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Add</button>
      </form>
    </section>
  );
}
