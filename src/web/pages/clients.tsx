// Clients and their barcode mappings: create a client, edit its settings, search/add/delete mappings,
// import and export a mapping file. A mapping saved here reaches every station's open list.
import { useEffect, useState } from 'preact/hooks';
import { api, enc } from '../api.js';
import { onLive } from '../live.js';
import { go } from '../route.js';
import type { ClientConfig, ClientSummary } from '../types.js';
import { PreparationSettingsEditor } from './preparation-settings.js';
import type { ApiAnswer } from '../../contract/index.js';

type MappingList = ApiAnswer<'GET /api/clients/:client/mappings'>;

function CreateClient(props: { onCreated: (id: string) => void }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      class="panel create-client"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await api.post('/api/clients', { client_id: id.trim().toUpperCase(), client_name: name });
          setProblem(null);
          props.onCreated(id.trim().toUpperCase());
          setId('');
          setName('');
        } catch (err) {
          setProblem((err as Error).message);
        }
      }}
    >
      <h2>New client</h2>
      <input
        placeholder="ID (A-Z, 0-9, _)"
        value={id}
        maxLength={10}
        onInput={(e) => setId((e.target as HTMLInputElement).value)}
        data-testid="new-client-id"
      />
      <input
        placeholder="Name"
        value={name}
        onInput={(e) => setName((e.target as HTMLInputElement).value)}
        data-testid="new-client-name"
      />
      <button type="submit">Create</button>
      {problem && <p class="problem">{problem}</p>}
    </form>
  );
}

function Settings(props: { client: string }) {
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [name, setName] = useState('');
  const [deadlines, setDeadlines] = useState('');
  const [force, setForce] = useState(false);
  const [mapAtStation, setMapAtStation] = useState(false);
  const [manual, setManual] = useState<ClientConfig['packing_rules']['manual_confirm']>('one_unit');
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    api.get<{ config: ClientConfig }>(`/api/clients/${enc(props.client)}`).then(({ config }) => {
      setConfig(config);
      setName(config.client_name);
      setDeadlines(
        Object.entries(config.courier_deadlines)
          .map(([c, t]) => `${c}=${t}`)
          .join('\n'),
      );
      setForce(config.packing_rules.allow_force_complete);
      setMapAtStation(config.packing_rules.map_unknown_barcodes);
      setManual(config.packing_rules.manual_confirm);
    });
  }, [props.client]);
  if (!config) return <p>Loading settings…</p>;
  const save = async () => {
    const courier_deadlines: Record<string, string> = {};
    for (const line of deadlines
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)) {
      const [courier, time] = line.split('=').map((x) => x.trim());
      if (!courier || !time) return setNote(`"${line}" is not "Courier=HH:MM".`);
      courier_deadlines[courier] = time;
    }
    try {
      await api.put(`/api/clients/${enc(props.client)}/settings`, {
        client_name: name,
        courier_deadlines,
        packing_rules: {
          ...config.packing_rules,
          allow_force_complete: force,
          manual_confirm: manual,
          map_unknown_barcodes: mapAtStation,
        },
      });
      setNote('Saved.');
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  return (
    <div class="panel settings">
      <h2>Settings of {props.client}</h2>
      <label>
        Name <input value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Courier deadlines (one per line, Courier=HH:MM)
        <textarea
          rows={4}
          value={deadlines}
          onInput={(e) => setDeadlines((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={force}
          onChange={(e) => setForce((e.target as HTMLInputElement).checked)}
        />{' '}
        packers may force-complete an order
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={mapAtStation}
          data-testid="map-at-station"
          onChange={(e) => setMapAtStation((e.target as HTMLInputElement).checked)}
        />{' '}
        packers may map an unknown barcode to a line of the open order (saved for every station, with the
        packer's name)
      </label>
      <label>
        Confirming items by hand (instead of scanning them){' '}
        <select
          value={manual}
          data-testid="manual-confirm"
          onChange={(e) =>
            setManual(
              (e.target as HTMLSelectElement).value as ClientConfig['packing_rules']['manual_confirm'],
            )
          }
        >
          <option value="off">not allowed</option>
          <option value="one_unit">one unit at a time, with a reason</option>
          <option value="any_count">whole lines at once, with a reason</option>
        </select>
      </label>
      <button onClick={() => void save()}>Save settings</button>
      {note && <p class="note">{note}</p>}
    </div>
  );
}

function Mappings(props: { client: string }) {
  const [query, setQuery] = useState('');
  const [data, setData] = useState<MappingList | null>(null);
  const [barcode, setBarcode] = useState('');
  const [sku, setSku] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const base = `/api/clients/${enc(props.client)}/mappings`;
  const load = () =>
    api.get<MappingList>(`${base}?q=${enc(query)}`).then(setData, (e: Error) => setNote(e.message));
  useEffect(() => {
    void load();
  }, [props.client, query]);
  useEffect(
    () =>
      onLive((type, d) => {
        if (type === 'mappings_changed' && d.client === props.client) void load();
      }),
    [props.client, query],
  );
  const add = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post(base, { barcode, sku });
      setNote(`Saved: ${barcode} → ${sku}`);
      setBarcode('');
      setSku('');
      await load();
    } catch (err) {
      setNote((err as Error).message);
    }
  };
  return (
    <div class="panel mappings">
      <h2>
        Barcode mappings of {props.client}{' '}
        {data && (
          <small>
            {data.total ?? data.count} in all · revision {data.revision}
          </small>
        )}
      </h2>
      <form class="row" onSubmit={add}>
        <input
          placeholder="Barcode"
          value={barcode}
          onInput={(e) => setBarcode((e.target as HTMLInputElement).value)}
          data-testid="map-barcode"
        />
        <input
          placeholder="SKU"
          value={sku}
          onInput={(e) => setSku((e.target as HTMLInputElement).value)}
          data-testid="map-sku"
        />
        <button type="submit" data-testid="map-add">
          Add / change
        </button>
      </form>
      <div class="row">
        <input
          placeholder="Search barcode or SKU"
          value={query}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
        />
        <label class="button">
          Import file…
          <input
            type="file"
            accept=".csv,.xlsx"
            hidden
            onChange={async (e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              (e.target as HTMLInputElement).value = '';
              if (!f) return;
              try {
                const r = await api.upload<{ added: number; updated: number; unchanged: number }>(
                  `${base}/import`,
                  f,
                );
                setNote(`${f.name}: ${r.added} added, ${r.updated} changed, ${r.unchanged} unchanged.`);
                await load();
              } catch (err) {
                setNote((err as Error).message);
              }
            }}
          />
        </label>
        <a class="button" href={`${base}/export?format=csv`} download>
          Export CSV
        </a>
        <a class="button" href={`${base}/export?format=xlsx`} download>
          Export Excel
        </a>
      </div>
      {note && (
        <p class="note" data-testid="map-note">
          {note}
        </p>
      )}
      <table class="grid">
        <thead>
          <tr>
            <th>Barcode</th>
            <th>SKU</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data &&
            Object.entries(data.mappings)
              .slice(0, 500)
              .map(([b, s]) => (
                <tr>
                  <td class="mono">{b}</td>
                  <td>{s}</td>
                  <td>
                    <button
                      class="danger small"
                      onClick={async () => {
                        if (!confirm(`Delete the mapping ${b} → ${s}?`)) return;
                        await api.del(`${base}/${enc(b)}`).catch((err: Error) => setNote(err.message));
                        await load();
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
        </tbody>
      </table>
      {data && data.count > 500 && <p>Showing 500 of {data.count}; search to narrow down.</p>}
    </div>
  );
}

export function ClientsPage(props: { params: URLSearchParams }) {
  const [clients, setClients] = useState<ClientSummary[]>([]);
  const selected = props.params.get('client') ?? clients[0]?.client_id ?? null;
  const load = () => api.get<{ clients: ClientSummary[] }>('/api/clients').then((r) => setClients(r.clients));
  useEffect(() => {
    void load();
    return onLive((type) => type === 'clients_changed' && void load());
  }, []);
  return (
    <section class="clients" data-testid="clients">
      <aside>
        <ul class="client-list">
          {clients.map((c) => (
            <li>
              <a
                href={`#/clients?client=${enc(c.client_id)}`}
                class={c.client_id === selected ? 'active' : ''}
              >
                <strong>{c.client_id}</strong> {c.client_name}
              </a>
            </li>
          ))}
        </ul>
        <CreateClient onCreated={(id) => void load().then(() => go('clients', { client: id }))} />
      </aside>
      <div class="client-detail">
        {selected ? (
          <>
            <Mappings client={selected} />
            <Settings client={selected} key={selected} />
            <PreparationSettingsEditor client={selected} key={`prep-${selected}`} />
          </>
        ) : (
          <p>No clients yet: create one.</p>
        )}
      </div>
    </section>
  );
}
