// The station's settings from config.ini. Every key listed here is used by packdesk; any other key
// is refused by name, so a typo never silently falls back to a default.
import { ValidationError } from './errors.js';

export interface Settings {
  network: { fileServerPath: string | null; connectionTimeoutMs: number; localCachePath: string | null };
  logging: { level: 'debug' | 'info' | 'warn' | 'error'; retentionDays: number; maxSizeMB: number };
  general: { stationName: string | null };
  ui: { defaultWorker: string | null };
  locking: { heartbeatMs: number; staleMs: number };
  server: { host: string; port: number };
}

export const DEFAULT_SETTINGS: Settings = {
  network: { fileServerPath: null, connectionTimeoutMs: 5_000, localCachePath: null },
  logging: { level: 'info', retentionDays: 30, maxSizeMB: 10 },
  general: { stationName: null },
  ui: { defaultWorker: null },
  locking: { heartbeatMs: 5_000, staleMs: 30_000 },
  server: { host: '127.0.0.1', port: 4780 },
};

type RawIni = Record<string, unknown>;

interface KeySpec {
  apply(settings: Settings, value: string, where: string): void;
}

function positiveSeconds(where: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n < min || n > max) {
    throw new ValidationError(
      `${where} must be a number of seconds between ${min} and ${max}, not "${value}".`,
      {
        key: where,
      },
    );
  }
  return Math.round(n * 1000);
}

function wholeNumber(where: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new ValidationError(`${where} must be a whole number between ${min} and ${max}, not "${value}".`, {
      key: where,
    });
  }
  return n;
}

function text(value: string): string | null {
  const t = value.trim();
  return t.length === 0 ? null : t;
}

const SPEC: Record<string, Record<string, KeySpec>> = {
  Network: {
    FileServerPath: { apply: (s, v) => (s.network.fileServerPath = text(v)) },
    ConnectionTimeout: {
      apply: (s, v, w) => (s.network.connectionTimeoutMs = positiveSeconds(w, v, 0.1, 600)),
    },
    LocalCachePath: { apply: (s, v) => (s.network.localCachePath = text(v)) },
  },
  Logging: {
    LogLevel: {
      apply: (s, v, w) => {
        const level = v.trim().toLowerCase();
        if (!['debug', 'info', 'warn', 'warning', 'error'].includes(level))
          throw new ValidationError(`${w} must be one of DEBUG, INFO, WARNING, ERROR, not "${v}".`, {
            key: w,
          });
        s.logging.level = (level === 'warning' ? 'warn' : level) as Settings['logging']['level'];
      },
    },
    LogRetentionDays: { apply: (s, v, w) => (s.logging.retentionDays = wholeNumber(w, v, 1, 3650)) },
    MaxLogSizeMB: { apply: (s, v, w) => (s.logging.maxSizeMB = wholeNumber(w, v, 1, 10_000)) },
  },
  General: {
    StationName: { apply: (s, v) => (s.general.stationName = text(v)) },
  },
  UI: {
    DefaultWorker: { apply: (s, v) => (s.ui.defaultWorker = text(v)) },
  },
  Locking: {
    HeartbeatSeconds: { apply: (s, v, w) => (s.locking.heartbeatMs = positiveSeconds(w, v, 0.01, 3600)) },
    StaleSeconds: { apply: (s, v, w) => (s.locking.staleMs = positiveSeconds(w, v, 0.05, 36_000)) },
  },
  Server: {
    Host: {
      apply: (s, v, w) => {
        const host = v.trim();
        if (!/^[A-Za-z0-9.:[\]-]+$/.test(host))
          throw new ValidationError(`${w} is not a host name or address: "${v}".`, { key: w });
        s.server.host = host;
      },
    },
    Port: { apply: (s, v, w) => (s.server.port = wholeNumber(w, v, 0, 65535)) },
  },
};

/** Turns the sections of a parsed config.ini into Settings, refusing unknown sections, keys and bad values. */
export function settingsFromIni(raw: RawIni, source: string): Settings {
  const settings: Settings = structuredClone(DEFAULT_SETTINGS);
  for (const [section, body] of Object.entries(raw)) {
    const keys = SPEC[section];
    if (!keys || typeof body !== 'object' || body === null) {
      throw new ValidationError(
        `${source}: unknown section [${section}]. Known sections: ${Object.keys(SPEC)
          .map((s) => `[${s}]`)
          .join(', ')}.`,
        { key: section },
      );
    }
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      const spec = keys[key];
      const where = `${source} [${section}] ${key}`;
      if (!spec) {
        throw new ValidationError(
          `${source}: unknown key "${key}" in [${section}]. Known keys there: ${Object.keys(keys).join(', ')}.`,
          { key: `${section}.${key}` },
        );
      }
      spec.apply(settings, String(value), where);
    }
  }
  if (settings.locking.heartbeatMs * 2 > settings.locking.staleMs) {
    throw new ValidationError(
      `${source} [Locking] HeartbeatSeconds must be at most half of StaleSeconds, so a station can miss a beat without losing its list.`,
      { key: 'Locking.HeartbeatSeconds' },
    );
  }
  return settings;
}
