// A plain reader for config.ini. General INI libraries treat backslashes as escapes, which turns a
// UNC share path like \\server\share into \server\share; station configs are written by hand on
// Windows, so values are taken literally: everything after the first "=", trimmed.
import { ValidationError } from './errors.js';

export type IniSections = Record<string, Record<string, string>>;

export function parseIniText(text: string, source: string): IniSections {
  const sections: IniSections = {};
  let current: Record<string, string> | null = null;
  let currentName = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const where = `${source} line ${index + 1}`;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      currentName = section[1]!.trim();
      if (sections[currentName])
        throw new ValidationError(`${where}: section [${currentName}] appears twice.`, { key: currentName });
      current = sections[currentName] = {};
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0)
      throw new ValidationError(`${where}: expected "Key = value" or "[Section]", found "${line}".`, {
        line: index + 1,
      });
    if (!current)
      throw new ValidationError(`${where}: "${line}" is outside any [Section].`, { line: index + 1 });
    const key = line.slice(0, eq).trim();
    if (key in current)
      throw new ValidationError(`${where}: key "${key}" appears twice in [${currentName}].`, {
        key: `${currentName}.${key}`,
      });
    current[key] = line.slice(eq + 1).trim();
  });
  return sections;
}
