// The one place where typed errors become HTTP statuses. The body is the error's own JSON (code,
// message for the packer, details), the same document the CLI prints with --json.
import { knownError, PackdeskError, type ErrorCode } from '../domain/errors.js';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  SESSION_LOCKED: 423,
  STALE_LOCK: 423,
  LEASE_LOST: 409,
  STORAGE: 503,
  NETWORK: 503,
  CORRUPT: 500,
  LOCKED_OUT: 429,
};

/** Problems of the request itself (size, type, method, access) that no use case raises. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(raw: unknown): { status: number; body: Record<string, unknown> } {
  const err = knownError(raw);
  if (err instanceof HttpError)
    return { status: err.status, body: { error: err.code, message: err.message } };
  if (err instanceof PackdeskError) return { status: STATUS[err.code], body: err.toJSON() };
  return {
    status: 500,
    body: {
      error: 'INTERNAL',
      message: `Unexpected error: ${(err as Error)?.message ?? String(err)}. The station log has the details.`,
    },
  };
}
