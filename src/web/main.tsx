// The packdesk web app: packer mode, session browser, clients and mappings, workers, stats.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { onSoundState, soundEnabled, unlockSound } from './audio.js';
import { stationName, useIdentity } from './identity.js';
import { onConnection } from './live.js';
import { ClientsPage } from './pages/clients.js';
import { DashboardPage } from './pages/dashboard.js';
import { PackerPage } from './pages/packer.js';
import { ScannerCheckPage } from './pages/scanner-check.js';
import { SessionsPage } from './pages/sessions.js';
import { WorkersPage } from './pages/workers.js';
import { useRoute } from './route.js';
import type { ServerInfo } from './types.js';

const PAGES: Array<[id: string, label: string]> = [
  ['pack', 'Pack'],
  ['sessions', 'Sessions'],
  ['clients', 'Clients & mappings'],
  ['workers', 'Workers'],
  ['stats', 'Stats'],
  ['scanner', 'Scanner check'],
];

function SoundBanner() {
  const [running, setRunning] = useState(soundEnabled());
  useEffect(() => onSoundState(setRunning), []);
  if (running) return null;
  return (
    <button
      class="sound-banner"
      data-testid="sound-banner"
      onClick={() => void unlockSound().then(setRunning)}
    >
      Sound is off — click here (or scan) to enable sound
    </button>
  );
}

function App() {
  const route = useRoute();
  const { worker } = useIdentity();
  const [info, setInfo] = useState<ServerInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [online, setOnline] = useState(true);
  useEffect(() => {
    api.get<ServerInfo>('/api/info').then(setInfo, (e: Error) => setProblem(e.message));
    return onConnection(setOnline);
  }, []);
  if (problem) return <div class="fatal">{problem}</div>;
  if (!info) return <div class="loading">Connecting to packdesk…</div>;
  const station = stationName(info.station);
  return (
    <div class="app">
      <header class="topbar">
        <span class="brand">packdesk</span>
        <nav>
          {PAGES.map(([id, label]) => (
            <a href={`#/${id}`} class={route.page === id ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">
          <span class="station-name" title="this browser's station name">
            {station}
          </span>
          <a href="#/workers" class={`worker-name ${worker ? '' : 'missing'}`} data-testid="worker-name">
            {worker ?? 'Choose worker'}
          </a>
          {!online && <span class="offline">offline</span>}
        </span>
      </header>
      <SoundBanner />
      <main>
        {route.page === 'pack' && <PackerPage info={info} station={station} params={route.params} />}
        {route.page === 'sessions' && <SessionsPage info={info} station={station} />}
        {route.page === 'clients' && <ClientsPage params={route.params} />}
        {route.page === 'workers' && <WorkersPage />}
        {route.page === 'stats' && <DashboardPage />}
        {route.page === 'scanner' && <ScannerCheckPage />}
      </main>
    </div>
  );
}

// The scanner's first keystrokes (or any click) count as the user's go-ahead for sound.
for (const type of ['keydown', 'pointerdown'] as const) {
  document.addEventListener(type, () => void (soundEnabled() || unlockSound()), { capture: true });
}

render(<App />, document.getElementById('app')!);
