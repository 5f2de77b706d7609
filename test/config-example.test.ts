import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/store/config-ini.js';
import { REPO } from './helpers/cli.js';

describe('config.ini.example', () => {
  it('is a valid config.ini that documents the defaults', async () => {
    const { settings } = await loadSettings(path.join(REPO, 'config.ini.example'), {}, REPO);
    expect(settings.network.fileServerPath).toBe(String.raw`\\fileserver\warehouse\packdesk`);
    expect(settings.network.connectionTimeoutMs).toBe(5_000);
    expect(settings.locking).toEqual({ heartbeatMs: 5_000, staleMs: 30_000 });
    expect(settings.server).toEqual({ host: '127.0.0.1', port: 4780 });
  });
});
