// Rules for ids that become folder names on the share. They are checked before any path is built,
// so nothing a user types can escape the data root or collide with a Windows device name.
import { ValidationError } from './errors.js';

const WINDOWS_RESERVED = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...Array.from({ length: 9 }, (_, i) => `COM${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `LPT${i + 1}`),
]);

export const CLIENT_ID_MAX = 10;

/** Returns a message explaining why `id` is not a valid client id, or null when it is valid. */
export function clientIdProblem(id: string): string | null {
  if (id.length === 0) return 'Client ID cannot be empty.';
  if (id.length > CLIENT_ID_MAX) return `Client ID "${id}" is too long: at most ${CLIENT_ID_MAX} characters.`;
  if (id.startsWith('CLIENT_'))
    return `Client ID "${id}" must not start with "CLIENT_": packdesk adds that prefix itself.`;
  if (!/^[A-Z0-9_]+$/.test(id))
    return `Client ID "${id}" may only contain capital letters A-Z, digits 0-9 and underscore.`;
  if (WINDOWS_RESERVED.has(id)) return `Client ID "${id}" is a reserved Windows device name; choose another.`;
  return null;
}

export function assertClientId(id: string): string {
  const problem = clientIdProblem(id);
  if (problem) throw new ValidationError(problem, { field: 'client_id', value: id });
  return id;
}

/**
 * Names of things we create inside a client's folder (session ids, packing-list names): a single path
 * segment of safe characters, never "." or "..", no trailing dot or space (Windows drops them).
 */
export function safeNameProblem(name: string, what: string): string | null {
  if (name.length === 0) return `${what} cannot be empty.`;
  if (name.length > 80) return `${what} "${name.slice(0, 20)}…" is too long: at most 80 characters.`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || name.includes('..'))
    return `${what} "${name}" may only contain letters, digits, "-", "_" and "." and must start with a letter or digit.`;
  if (/[. ]$/.test(name)) return `${what} "${name}" must not end with a dot.`;
  if (WINDOWS_RESERVED.has(name.split('.')[0]!.toUpperCase()))
    return `${what} "${name}" is a reserved Windows device name; choose another.`;
  return null;
}

export function assertSafeName(name: string, what: string): string {
  const problem = safeNameProblem(name, what);
  if (problem) throw new ValidationError(problem, { field: what, value: name });
  return name;
}
