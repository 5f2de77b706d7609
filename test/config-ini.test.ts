import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, resolveDataRoot } from '../src/store/config-ini.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { runCli, tempDir } from './helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function ini(text: string, name = 'config.ini'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('config.ini', () => {
  it('uses the defaults when there is no config.ini in the working directory', async () => {
    const loaded = await loadSettings(undefined, {}, dir);
    expect(loaded.file).toBeNull();
    expect(loaded.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('reads every documented key, fractions of a second included', async () => {
    const file = await ini(`\uFEFF[Network]
FileServerPath = //server/share/packdesk
ConnectionTimeout = 2.5
LocalCachePath = ${dir}/local
[Logging]
LogLevel = WARNING
LogRetentionDays = 7
MaxLogSizeMB = 3
[General]
StationName = PACK-3
[UI]
DefaultWorker = Anna
[Locking]
HeartbeatSeconds = 0.1
StaleSeconds = 0.6
[Server]
Host = 0.0.0.0
Port = 8123
`);
    const { settings } = await loadSettings(file, {}, dir);
    expect(settings.network).toEqual({
      fileServerPath: '//server/share/packdesk',
      connectionTimeoutMs: 2500,
      localCachePath: `${dir}/local`,
    });
    expect(settings.logging).toEqual({ level: 'warn', retentionDays: 7, maxSizeMB: 3 });
    expect(settings.general.stationName).toBe('PACK-3');
    expect(settings.ui.defaultWorker).toBe('Anna');
    expect(settings.locking).toEqual({ heartbeatMs: 100, staleMs: 600 });
    expect(settings.server).toEqual({ host: '0.0.0.0', port: 8123 });
  });

  it.each([
    ['[Network]\nConectionTimeout = 5\n', /unknown key "ConectionTimeout" in \[Network\]/],
    ['[Netwrk]\nFileServerPath = x\n', /unknown section \[Netwrk\]/],
    ['[Network]\nConnectionTimeout = soon\n', /\[Network\] ConnectionTimeout must be a number of seconds/],
    ['[Logging]\nLogLevel = LOUD\n', /\[Logging\] LogLevel must be one of/],
    ['[Logging]\nMaxLogSizeMB = 0\n', /\[Logging\] MaxLogSizeMB must be a whole number/],
    ['[Server]\nPort = 70000\n', /\[Server\] Port must be a whole number/],
    [
      '[Locking]\nHeartbeatSeconds = 20\nStaleSeconds = 30\n',
      /HeartbeatSeconds must be at most half of StaleSeconds/,
    ],
  ])('refuses %j with a message naming the key', async (text, message) => {
    const file = await ini(text);
    await expect(loadSettings(file, {}, dir)).rejects.toThrow(message);
  });

  it('is found through --config, else PACKDESK_CONFIG, else the working directory', async () => {
    await ini('[General]\nStationName = FROM_CWD\n');
    const viaEnv = await ini('[General]\nStationName = FROM_ENV\n', 'env.ini');
    const viaFlag = await ini('[General]\nStationName = FROM_FLAG\n', 'flag.ini');
    expect((await loadSettings(undefined, {}, dir)).settings.general.stationName).toBe('FROM_CWD');
    expect(
      (await loadSettings(undefined, { PACKDESK_CONFIG: viaEnv }, dir)).settings.general.stationName,
    ).toBe('FROM_ENV');
    expect((await loadSettings(viaFlag, { PACKDESK_CONFIG: viaEnv }, dir)).settings.general.stationName).toBe(
      'FROM_FLAG',
    );
    await expect(loadSettings(path.join(dir, 'missing.ini'), {}, dir)).rejects.toThrow(/does not exist/);
  });

  it('takes the data root from --root, else PACKDESK_ROOT, else FileServerPath, else ./packdesk-data', () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    expect(resolveDataRoot(settings, undefined, {}, dir)).toBe(path.join(dir, 'packdesk-data'));
    settings.network.fileServerPath = '/srv/share';
    expect(resolveDataRoot(settings, undefined, {}, dir)).toBe('/srv/share');
    expect(resolveDataRoot(settings, undefined, { PACKDESK_ROOT: '/env/root' }, dir)).toBe('/env/root');
    expect(resolveDataRoot(settings, '/flag/root', { PACKDESK_ROOT: '/env/root' }, dir)).toBe('/flag/root');
  });

  it('stops the command with a clear message and exit code when config.ini is wrong', async () => {
    const file = await ini('[Locking]\nStaleSeconds = forever\n');
    const result = await runCli(['init', '--root', path.join(dir, 'data'), '--config', file, '--json']);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stderr);
    expect(error).toMatchObject({ error: 'VALIDATION', key: expect.stringContaining('StaleSeconds') });
  });

  it('writes the logs to LocalCachePath on this PC, never into the data folder', async () => {
    const local = path.join(dir, 'local');
    const file = await ini(`[Network]\nLocalCachePath = ${local}\n[Logging]\nLogLevel = DEBUG\n`);
    const root = path.join(dir, 'data');
    expect((await runCli(['init', '--root', root, '--config', file])).code).toBe(0);
    const failed = await runCli(['doctor', '--root', path.join(dir, 'nowhere'), '--config', file]);
    expect(failed.code).not.toBe(0);
    const { readdir, readFile } = await import('node:fs/promises');
    const logs = await readdir(path.join(local, 'logs'));
    expect(logs.length).toBeGreaterThan(0);
    const text = (await Promise.all(logs.map((l) => readFile(path.join(local, 'logs', l), 'utf8')))).join('');
    expect(text).toMatch(/"command":"doctor"/);
    expect(await readdir(root)).toEqual(['CLIENTS', 'SESSIONS', 'STATS']);
  });
});

describe('config.ini text', () => {
  it('keeps Windows share paths literally and reports malformed lines with their line number', async () => {
    const file = await ini('[Network]\r\nFileServerPath = \\\\fs01\\warehouse\\packdesk\r\n');
    expect((await loadSettings(file, {}, dir)).settings.network.fileServerPath).toBe(
      '\\\\fs01\\warehouse\\packdesk',
    );
    await expect(loadSettings(await ini('[Network]\nFileServerPath\n'), {}, dir)).rejects.toThrow(
      /line 2: expected "Key = value"/,
    );
    await expect(loadSettings(await ini('FileServerPath = x\n'), {}, dir)).rejects.toThrow(
      /outside any \[Section\]/,
    );
    await expect(
      loadSettings(await ini('[UI]\nDefaultWorker = a\nDefaultWorker = b\n'), {}, dir),
    ).rejects.toThrow(/appears twice/);
  });
});
