// Typed errors. Every message is written for the person at the station: it says what happened and
// what to do next. `code` is stable and machine-readable (CLI --json, HTTP API).

import type { LeaseHolder } from './lease-holder.js';

/**
 * The codes a use case may raise: the one list that the HTTP statuses (src/contract/errors.ts), the
 * CLI exit codes (src/cli/output.ts) and the worker-thread crossing (src/app/worker-errors.ts) map from.
 * A list a station cannot open because another holds it is SESSION_LOCKED, with `stale: true` when the
 * holder's heartbeat stopped: staleness is a detail of that answer, not a code of its own.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'SESSION_LOCKED',
  'LEASE_LOST',
  'STORAGE',
  'NETWORK',
  'CORRUPT',
  'LOCKED_OUT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

export class PackdeskError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}

export class ValidationError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('VALIDATION', message, details);
  }
}

export class NotFoundError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, details);
  }
}

export class AlreadyExistsError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('ALREADY_EXISTS', message, details);
  }
}

export class ConflictError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

export type { LeaseHolder };

export class SessionLockedError extends PackdeskError {
  readonly holder: LeaseHolder;
  constructor(message: string, holder: LeaseHolder, details: Record<string, unknown> = {}) {
    super('SESSION_LOCKED', message, { holder, ...details });
    this.holder = holder;
  }
}

export class LeaseLostError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('LEASE_LOST', message, details);
  }
}

export class StorageError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('STORAGE', message, details, options);
  }
}

export class NetworkError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('NETWORK', message, details, options);
  }
}

export class CorruptFileError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super('CORRUPT', message, details, options);
  }
}

/** Too many wrong PINs for a worker or from one address: no more tries until the lockout ends or a shift lead clears it. */
export class LockedOutError extends PackdeskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('LOCKED_OUT', message, details);
  }
}

const READ_CALLS = new Set(['open', 'read', 'readdir', 'stat', 'lstat', 'access', 'scandir', 'opendir']);

/** What a person can do about a file-system error code; `reading` when the failing call only read. */
export function storageHint(code: string | undefined, reading: boolean): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'The data folder is full.';
    case 'EACCES':
    case 'EPERM':
      return reading
        ? 'packdesk is not allowed to read there; check the folder permissions.'
        : 'packdesk is not allowed to write there; check the folder permissions or whether the share is read-only.';
    case 'EROFS':
      return 'The data folder is read-only; check whether the share is mounted read-only.';
    case 'ENOENT':
      return 'The folder does not exist; check the data folder path.';
    case 'EIO':
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
      return 'The shared folder is not answering; check the network connection.';
    default:
      return 'Check that the data folder is reachable and writable.';
  }
}

/**
 * A file-system error that reached an interface without being given words (Node's errors carry a
 * `syscall` and an errno `code`) becomes the storage error it is, never an internal one.
 */
export function knownError(err: unknown): unknown {
  if (err instanceof PackdeskError || !(err instanceof Error)) return err;
  const { code, syscall, path } = err as Error & { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string' || !/^E[A-Z]+$/.test(code)) return err;
  const reading = READ_CALLS.has(syscall) && !/EROFS|ENOSPC/.test(code);
  return new StorageError(
    `Could not ${reading ? 'read' : 'write'} ${typeof path === 'string' ? path : 'a file in the data folder'}: ${storageHint(code, reading)}`,
    { cause: code, ...(typeof path === 'string' ? { path } : {}) },
    { cause: err },
  );
}
