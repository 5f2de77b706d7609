// The one place where typed errors become HTTP statuses. The body is the error's own JSON (code,
// message for the packer, details), the same document the CLI prints with --json. The codes and their
// statuses are the API contract's (src/contract/errors.ts).
import { ERROR_STATUS, type ErrorBody, type HttpErrorCode } from '../contract/errors.js';
import { knownError, PackdeskError } from '../domain/errors.js';

/** Problems of the request itself (size, type, method, access) that no use case raises. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorResponse(raw: unknown): { status: number; body: ErrorBody } {
  const err = knownError(raw);
  if (err instanceof HttpError)
    return { status: err.status, body: { error: err.code, message: err.message } };
  if (err instanceof PackdeskError)
    return {
      status: ERROR_STATUS[err.code],
      body: { ...err.details, error: err.code, message: err.message },
    };
  return {
    status: 500,
    body: {
      error: 'INTERNAL',
      message: `Unexpected error: ${(err as Error)?.message ?? String(err)}. The station log has the details.`,
    },
  };
}
