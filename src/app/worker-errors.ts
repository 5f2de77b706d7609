// How a typed error crosses between a worker thread and the main thread: as its code, message and
// details, made back into the same typed error on the other side (so the HTTP status is the same).
import { PackdeskError, type ErrorCode } from '../domain/errors.js';

export interface ErrorShape {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const CODES = new Set<string>([
  'VALIDATION',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'SESSION_LOCKED',
  'STORAGE',
  'NETWORK',
  'CORRUPT',
]);

export function errorShape(err: unknown): ErrorShape {
  return err instanceof PackdeskError
    ? { code: err.code, message: err.message, details: err.details }
    : { code: 'INTERNAL', message: (err as Error)?.message ?? String(err), details: {} };
}

export function errorFrom(e: ErrorShape): Error {
  return CODES.has(e.code)
    ? new PackdeskError(e.code as ErrorCode, e.message, e.details)
    : new Error(e.message);
}
