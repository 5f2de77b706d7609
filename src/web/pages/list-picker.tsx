// Choosing a packing list in packer mode, by keyboard as well as by pointer: the station's last
// client comes first, the first list has the focus (Enter opens it, Tab moves on), and lists that
// were ended are offered for reopening, which takes a second press.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { go } from '../route.js';
import { ListScanner } from '../list-scan.js';
import { CommandSheetButton, LabelsButton, ListSheetButton } from '../print-links.js';
import type { ClientSummary, SessionView } from '../types.js';

const LAST_CLIENT_KEY = 'packdesk.lastClient';

export function rememberClient(client: string): void {
  localStorage.setItem(LAST_CLIENT_KEY, client);
}

export function ListPicker() {
  const [clients, setClients] = useState<ClientSummary[] | null>(null);
  const [client, setClient] = useState('');
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [arming, setArming] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    api.get<{ clients: ClientSummary[] }>('/api/clients').then((r) => {
      setClients(r.clients);
      const last = localStorage.getItem(LAST_CLIENT_KEY);
      const chosen = r.clients.find((c) => c.client_id === last) ?? r.clients[0];
      if (chosen) setClient(chosen.client_id);
    });
  }, []);
  useEffect(() => {
    if (!client) return;
    setSessions(null);
    api
      .get<{ sessions: SessionView[] }>(`/api/sessions?client=${enc(client)}`)
      .then((r) => setSessions(r.sessions));
  }, [client]);
  // The first list takes the focus once the lists are there: Enter opens it.
  useEffect(() => first.current?.focus(), [sessions]);

  const lists = (sessions ?? []).flatMap((s) => s.lists.map((l) => ({ session: s.session, list: l })));
  const open = lists.filter((x) => x.list.state !== 'completed');
  const ended = lists.filter((x) => x.list.state === 'completed');
  const pick = (session: string, list: string, reopen = false) => {
    rememberClient(client);
    go('pack', { client, session, list, ...(reopen ? { reopen: '1' } : {}) });
  };
  return (
    <section class="panel picker" data-testid="picker">
      <h1>Choose a packing list</h1>
      <ListScanner />
      <label>
        Client{' '}
        <select
          value={client}
          data-testid="picker-client"
          onChange={(e) => {
            const id = (e.target as HTMLSelectElement).value;
            setClient(id);
            rememberClient(id);
          }}
        >
          {(clients ?? []).map((c) => (
            <option value={c.client_id}>
              {c.client_id} — {c.client_name}
            </option>
          ))}
        </select>
      </label>{' '}
      {client && <ListSheetButton client={client} />} <CommandSheetButton />
      {open.length > 0 && (
        <p class="muted picker-help" data-testid="picker-help">
          Press Enter to open the first list, or scan a list's code from the list sheet. At the station you
          scan each order's label (print them with Labels), then its items; the command sheet has the
          station's commands as barcodes.
        </p>
      )}
      <ul class="pick-lists">
        {open.map(({ session, list: l }, i) => (
          <li>
            <button class="big" ref={i === 0 ? first : undefined} onClick={() => pick(session, l.name)}>
              {l.name} <small>{session}</small>{' '}
              <small>
                {l.orders_done}/{l.orders_total} orders · {l.state.replace('_', ' ')}
              </small>
            </button>{' '}
            <LabelsButton client={client} session={session} list={l.name} />
          </li>
        ))}
      </ul>
      {clients !== null && clients.length === 0 && (
        <p data-testid="picker-empty">No clients yet. A shift lead creates them on the Clients page.</p>
      )}
      {sessions !== null && open.length === 0 && (
        <p data-testid="picker-empty">
          {ended.length > 0
            ? 'Every packing list of this client is ended. Reopen one below to pack more, or choose another client.'
            : 'No packing lists for this client yet. A shift lead creates them on the Sessions page.'}
        </p>
      )}
      {ended.length > 0 && (
        <>
          <h2>Ended lists</h2>
          <ul class="pick-lists ended-lists">
            {ended.map(({ session, list: l }) => {
              const key = `${session}/${l.name}`;
              return (
                <li>
                  <button
                    class={arming === key ? 'warn' : ''}
                    data-testid={`reopen-${l.name}`}
                    onClick={() => (arming === key ? pick(session, l.name, true) : setArming(key))}
                    onBlur={() => setArming((k) => (k === key ? null : k))}
                  >
                    {arming === key
                      ? `Press again to reopen ${l.name} (${l.orders_done} of ${l.orders_total} orders done)`
                      : `Reopen ${l.name}`}{' '}
                    <small>{session}</small>
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
