// A small router: method + path pattern (":name" segments), each segment decoded once. A decoded
// segment is only ever handed to the id rules of domain/ids.ts (through the use cases and Layout),
// so "%2e%2e" or "%2f" in a URL gives a validation error, never a path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type {
  AnswerOf,
  ApiMethod,
  ApiRoutes,
  EVENTS,
  FILE,
  RouteName,
  RoutePattern,
} from '../contract/routes.js';
import { ValidationError } from '../domain/errors.js';
import { readBody } from './body.js';
import { HttpError } from './http-errors.js';

export const JSON_LIMIT = 256 * 1024;
export const UPLOAD_LIMIT = 25 * 1024 * 1024;

const UPLOAD_TYPES = new Set([
  'application/octet-stream',
  'text/csv',
  'application/csv',
  'text/tab-separated-values',
  'application/json',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-excel',
]);

export interface ApiRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  raw: IncomingMessage;
  res: ServerResponse;
  /** The JSON body validated with `schema`; 400 with the schema's words when it does not fit. */
  json<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
  /** The raw body of an upload (a packing list, a mapping file), at most `limit` (UPLOAD_LIMIT) bytes. */
  upload(limit?: number): Promise<Buffer>;
}

/**
 * What a route's handler gives back, by its entry in the API contract (src/contract/routes.ts): the
 * JSON its schema describes, a file, or "the handler wrote the response itself" (server-sent events).
 */
export type ApiResult<N extends RouteName = RouteName> = N extends RouteName
  ? ApiRoutes[N] extends typeof FILE
    ? { status?: number; file: { data: Buffer | Uint8Array | string; type: string; name: string } }
    : ApiRoutes[N] extends typeof EVENTS
      ? { streamed: true }
      : { status?: number; json: AnswerOf<N> }
  : never;

export type Handler<N extends RouteName = RouteName> = (req: ApiRequest) => Promise<ApiResult<N>>;

interface Route {
  name: RouteName;
  method: string;
  parts: string[];
  handler: Handler;
}

export function zodMessage(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export class Router {
  private readonly routes: Route[] = [];

  /** Registers a route of the API contract; its handler's answer is typed by the contract's schema. */
  add<M extends ApiMethod, P extends RoutePattern<M>>(
    method: M,
    pattern: P,
    handler: Handler<Extract<RouteName, `${M} ${P}`>>,
  ): this {
    const name = `${method} ${pattern}` as Extract<RouteName, `${M} ${P}`>;
    this.routes.push({ name, method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }
  get<P extends RoutePattern<'GET'>>(pattern: P, handler: Handler<Extract<RouteName, `GET ${P}`>>): this {
    return this.add('GET', pattern, handler);
  }
  post<P extends RoutePattern<'POST'>>(pattern: P, handler: Handler<Extract<RouteName, `POST ${P}`>>): this {
    return this.add('POST', pattern, handler);
  }
  put<P extends RoutePattern<'PUT'>>(pattern: P, handler: Handler<Extract<RouteName, `PUT ${P}`>>): this {
    return this.add('PUT', pattern, handler);
  }
  delete<P extends RoutePattern<'DELETE'>>(
    pattern: P,
    handler: Handler<Extract<RouteName, `DELETE ${P}`>>,
  ): this {
    return this.add('DELETE', pattern, handler);
  }

  /** The handler and decoded params for a path, or an HttpError (404 / 405). */
  match(
    method: string,
    pathname: string,
  ): { name: RouteName; handler: Handler; params: Record<string, string> } {
    const segments = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.parts.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const part = route.parts[i]!;
        const seg = segments[i]!;
        if (part.startsWith(':')) {
          let decoded: string;
          try {
            decoded = decodeURIComponent(seg);
          } catch {
            throw new ValidationError(`The address has a broken %-escape in "${seg}".`);
          }
          params[part.slice(1)] = decoded;
        } else if (part !== seg) ok = false;
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method) return { name: route.name, handler: route.handler, params };
    }
    if (pathMatched)
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}.`);
    throw new HttpError(404, 'NO_SUCH_ENDPOINT', `There is no API endpoint ${pathname}. See docs/api.md.`);
  }

  request(raw: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): ApiRequest {
    return {
      method: raw.method ?? 'GET',
      params,
      query: url.searchParams,
      raw,
      res,
      async json(schema) {
        const type = (raw.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        // Only JSON bodies: a form post from another web page cannot be made to look like one.
        if (type !== 'application/json') {
          throw new HttpError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'Send the request body as JSON (Content-Type: application/json).',
          );
        }
        const text = (await readBody(raw, JSON_LIMIT)).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text.length === 0 ? {} : JSON.parse(text);
        } catch {
          throw new ValidationError('The request body is not valid JSON.');
        }
        const result = schema.safeParse(parsed);
        if (!result.success)
          throw new ValidationError(`The request is not valid: ${zodMessage(result.error)}.`, {
            issues: result.error.issues,
          });
        return result.data;
      },
      upload(limit = UPLOAD_LIMIT) {
        const type = (raw.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        // A file's own types only: a form on another web page can send the "simple" types
        // (form posts, text/plain) without asking first, so they never reach an import.
        if (!UPLOAD_TYPES.has(type)) {
          throw new HttpError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `Upload the file itself (Content-Type application/octet-stream, text/csv, application/json or an Excel type), not "${type || 'nothing'}".`,
          );
        }
        return readBody(raw, limit);
      },
    };
  }
}
