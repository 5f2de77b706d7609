// Finding and reading config.ini: --config FILE, else PACKDESK_CONFIG, else ./config.ini (optional).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ValidationError } from '../domain/errors.js';
import { parseIniText } from '../domain/ini-text.js';
import { DEFAULT_SETTINGS, settingsFromIni, type Settings } from '../domain/settings.js';
import { errorCode } from './fs-retry.js';

export interface LoadedSettings {
  settings: Settings;
  /** The file the settings came from, or null when none was found and defaults apply. */
  file: string | null;
}

export async function loadSettings(
  explicitFile?: string,
  env = process.env,
  cwd = process.cwd(),
): Promise<LoadedSettings> {
  const chosen = explicitFile ?? env.PACKDESK_CONFIG;
  const file = path.resolve(cwd, chosen ?? 'config.ini');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT' && chosen === undefined) {
      return { settings: structuredClone(DEFAULT_SETTINGS), file: null };
    }
    throw new ValidationError(
      `Cannot read the config file ${file}: ${errorCode(err) === 'ENOENT' ? 'it does not exist' : String(err)}.`,
      {
        key: 'config',
      },
    );
  }
  const source = path.basename(file);
  return { settings: settingsFromIni(parseIniText(text, source), source), file };
}

/** --root, else PACKDESK_ROOT, else [Network] FileServerPath, else ./packdesk-data. */
export function resolveDataRoot(
  settings: Settings,
  explicitRoot?: string,
  env = process.env,
  cwd = process.cwd(),
): string {
  const chosen = explicitRoot ?? env.PACKDESK_ROOT ?? settings.network.fileServerPath ?? 'packdesk-data';
  return path.resolve(cwd, chosen);
}

/** This PC's own folder for logs and caches: never on the share. */
export function localFolder(settings: Settings, env = process.env): string {
  if (settings.network.localCachePath) return path.resolve(settings.network.localCachePath);
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'packdesk');
  return path.join(os.homedir(), '.packdesk');
}

export function stationName(settings: Settings, env = process.env): string {
  return settings.general.stationName ?? env.PACKDESK_STATION ?? os.hostname();
}
