// Who is packing where. Each browser is its own station (hub mode: DESIGN §1.3), named once and kept
// in this browser; the worker is chosen on the Workers page and always shown in the header.
import { useEffect, useState } from 'preact/hooks';

const STATION_KEY = 'packdesk.station';
const WORKER_KEY = 'packdesk.worker';
/** The server's pass for the chosen worker after its PIN was checked; sent when a list is opened. */
const WORKER_PASS_KEY = 'packdesk.worker-pass';
const listeners = new Set<() => void>();

function randomSuffix(): string {
  const bytes = new Uint8Array(2);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

export function stationName(serverStation: string): string {
  let name = localStorage.getItem(STATION_KEY);
  if (!name) {
    const base =
      serverStation
        .replace(/[^A-Za-z0-9_.-]+/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 30) || 'station';
    name = `${base}-${randomSuffix()}`;
    localStorage.setItem(STATION_KEY, name);
  }
  return name;
}

export function setStationName(name: string): void {
  localStorage.setItem(STATION_KEY, name);
  listeners.forEach((l) => l());
}

export function currentWorker(): string | null {
  return localStorage.getItem(WORKER_KEY);
}

export function currentWorkerPass(): string | null {
  return localStorage.getItem(WORKER_PASS_KEY);
}

export function setWorker(name: string | null, pass: string | null = null): void {
  if (name) localStorage.setItem(WORKER_KEY, name);
  else localStorage.removeItem(WORKER_KEY);
  if (name && pass) localStorage.setItem(WORKER_PASS_KEY, pass);
  else localStorage.removeItem(WORKER_PASS_KEY);
  listeners.forEach((l) => l());
}

/** Re-renders the caller when the station or worker changes. */
export function useIdentity(): { worker: string | null } {
  const [, bump] = useState(0);
  useEffect(() => {
    const l = () => bump((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return { worker: currentWorker() };
}
