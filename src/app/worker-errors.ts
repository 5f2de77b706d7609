// How a typed error crosses between a worker thread and the main thread: as its code, message and
// details, made back into the same typed error on the other side (so the HTTP status is the same).
import { z } from 'zod';
import { isErrorCode, knownError, PackdeskError } from '../domain/errors.js';

export const ErrorShapeSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type ErrorShape = z.infer<typeof ErrorShapeSchema>;

export function errorShape(raw: unknown): ErrorShape {
  // A file-system error (EACCES, ENOSPC…) becomes the storage error it would be on the main thread.
  const err = knownError(raw);
  return err instanceof PackdeskError
    ? { code: err.code, message: err.message, details: err.details }
    : { code: 'INTERNAL', message: (err as Error)?.message ?? String(err), details: {} };
}

export function errorFrom(e: ErrorShape): Error {
  // Every code a PackdeskError may carry (domain ERROR_CODES) crosses back as itself; anything else
  // is an internal error.
  return isErrorCode(e.code) ? new PackdeskError(e.code, e.message, e.details) : new Error(e.message);
}
