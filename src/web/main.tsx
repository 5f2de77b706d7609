// The packdesk web app: packer mode, preparing the day, session browser, clients and mappings, workers, stats.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { onSoundState, playSound, soundEnabled, unlockSound } from './audio.js';
import { setStationName, stationName, useIdentity } from './identity.js';
import { catchStrayScans, stationRoute } from './stray-scans.js';
import { THEMES, useTheme, type ThemeId } from './theme.js';
import { onConnection } from './live.js';
import { ClientsPage } from './pages/clients.js';
import { DashboardPage } from './pages/dashboard.js';
import { PackerPage } from './pages/packer.js';
import { PreparePage } from './pages/prepare.js';
import { ScannerCheckPage } from './pages/scanner-check.js';
import { SessionsPage } from './pages/sessions.js';
import { WorkersPage } from './pages/workers.js';
import { useRoute } from './route.js';
import type { ServerInfo } from './types.js';

const PAGES: Array<[id: string, label: string]> = [
  ['pack', 'Pack'],
  ['prepare', 'Prepare'],
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

/** The station's name, shown in every holder message: click (or Enter on it) to rename it. */
function StationName(props: { name: string }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.name);
  const [problem, setProblem] = useState<string | null>(null);
  if (!editing)
    return (
      <button
        class="station-name"
        data-testid="station-name"
        title="This browser's station name, shown to other stations: click to rename"
        onClick={() => (setText(props.name), setEditing(true))}
      >
        {props.name}
      </button>
    );
  return (
    <form
      class="station-rename"
      onSubmit={(e) => {
        e.preventDefault();
        const name = text.trim();
        if (stationRoute())
          return setProblem(
            'Close the packing list first (Close on the Pack page), then rename the station.',
          );
        if (!STATION_NAME.test(name))
          return setProblem('1–40 letters, digits, "-", "_" or ".", starting with a letter or digit.');
        setStationName(name);
        setEditing(false);
        setProblem(null);
      }}
    >
      <input
        value={text}
        autoFocus
        data-testid="station-name-input"
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
      />
      <button type="submit">Rename</button>
      {problem && <span class="problem">{problem}</span>}
    </form>
  );
}

// The server's rule for station names (api-schemas.ts StationNameSchema), checked before asking it.
const STATION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** A scan on a page that is not packing and no list open in this tab: said out loud, never dropped silently. */
function StrayScan(props: { text: string; onClose(): void }) {
  return (
    <div class="stray-scan" data-testid="stray-scan" role="alert">
      <strong>Scan not used: "{props.text}".</strong> No packing list is open in this tab. Go to Pack, choose
      a list, and scan again. <button onClick={props.onClose}>OK</button>
    </div>
  );
}

function App() {
  const route = useRoute();
  const { worker } = useIdentity();
  const [info, setInfo] = useState<ServerInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [online, setOnline] = useState(true);
  const [stray, setStray] = useState<string | null>(null);
  const [theme, setTheme] = useTheme();
  useEffect(() => {
    api.get<ServerInfo>('/api/info').then(setInfo, (e: Error) => setProblem(e.message));
    return onConnection(setOnline);
  }, []);
  // Packer mode and the scanner check take scans themselves.
  const packing = route.page === 'pack' || route.page === 'scanner';
  useEffect(() => {
    if (packing) return;
    return catchStrayScans((text) => {
      setStray(text);
      playSound('refused');
    });
  }, [packing]);
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
          <StationName name={station} />
          <select
            class="theme"
            data-testid="theme"
            title="How this station's screen looks"
            value={theme}
            onChange={(e) => setTheme((e.target as HTMLSelectElement).value as ThemeId)}
          >
            {THEMES.map((t) => (
              <option value={t.id}>{t.label}</option>
            ))}
          </select>
          <a href="#/workers" class={`worker-name ${worker ? '' : 'missing'}`} data-testid="worker-name">
            {worker ?? 'Choose worker'}
          </a>
          {!online && <span class="offline">offline</span>}
        </span>
      </header>
      <SoundBanner />
      {stray !== null && !packing && <StrayScan text={stray} onClose={() => setStray(null)} />}
      <main>
        {route.page === 'pack' && <PackerPage info={info} station={station} params={route.params} />}
        {route.page === 'prepare' && <PreparePage params={route.params} station={station} />}
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
