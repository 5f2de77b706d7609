// The browser's only way to the data: the HTTP API. Errors keep the server's code and message, which
// are written for the person at the station.
import { ErrorBodySchema, type ApiErrorCode } from '../contract/errors.js';

/**
 * The API's error codes (src/contract/errors.ts), and the page's own: OFFLINE when the server does not
 * answer, UNKNOWN_ANSWER when something between answered with no packdesk error body (a proxy page).
 */
export type PageErrorCode = ApiErrorCode | 'OFFLINE' | 'UNKNOWN_ANSWER';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: PageErrorCode,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The error a refused request answered, read as the contract's error body. */
export function errorFromAnswer(status: number, body: unknown): ApiError {
  const known = ErrorBodySchema.safeParse(body);
  if (known.success) return new ApiError(status, known.data.error, known.data.message, known.data);
  const text = typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : '';
  return new ApiError(
    status,
    'UNKNOWN_ANSWER',
    `The server answered ${status}${text ? `: ${text.slice(0, 200)}` : '.'}`,
    {},
  );
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    body = { message: text };
  }
  if (!res.ok) throw errorFromAnswer(res.status, body);
  return body as T;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'OFFLINE',
      'The packdesk server does not answer. Check that it is running and the network is up.',
      {},
    );
  }
  return parse<T>(res);
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => call<T>('PUT', path, body),
  del: <T>(path: string) => call<T>('DELETE', path),
  async upload<T>(path: string, file: File): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    let res: Response;
    try {
      res = await fetch(`${path}${sep}filename=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
      });
    } catch {
      throw new ApiError(
        0,
        'OFFLINE',
        'The packdesk server does not answer. Check that it is running and the network is up.',
        {},
      );
    }
    return parse<T>(res);
  },
  /** A file the server makes (a PDF); its errors come back like any other call's. */
  async file(path: string): Promise<Blob> {
    let res: Response;
    try {
      res = await fetch(path);
    } catch {
      throw new ApiError(
        0,
        'OFFLINE',
        'The packdesk server does not answer. Check that it is running and the network is up.',
        {},
      );
    }
    if (!res.ok) await parse<never>(res);
    return res.blob();
  },
};

export const enc = encodeURIComponent;

/** A fresh id per scan, reused if the same scan is sent again. */
export function newEventId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
