// Every error body the API sends, and the one list of error codes the server, the CLI and the browser
// use. The codes a use case raises are the domain's (ERROR_CODES); the HTTP layer adds the codes of
// problems with the request itself, and INTERNAL for a fault nobody gave words to.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../domain/errors.js';
import { LeaseHolderSchema } from '../domain/lease-holder.js';

/** Problems of the request itself (size, type, method, access) that no use case raises. */
export const HTTP_ERROR_CODES = [
  'NO_SUCH_ENDPOINT',
  'METHOD_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'STATION_KEY_REQUIRED',
  'FORBIDDEN_ORIGIN',
  'FORBIDDEN_HOST',
  'FORBIDDEN_REMOTE',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export const ApiErrorCodeSchema = z.enum([...ERROR_CODES, ...HTTP_ERROR_CODES, 'INTERNAL']);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** The HTTP status of each use-case error code (docs/api.md, "Errors"). */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  SESSION_LOCKED: 423,
  LEASE_LOST: 409,
  STORAGE: 503,
  NETWORK: 503,
  CORRUPT: 500,
  LOCKED_OUT: 429,
};

/**
 * Every error body: the code, a message written for the person at the station, and the error's
 * details beside them (which field, which holder, which station…).
 */
export const ErrorBodySchema = z.looseObject({ error: ApiErrorCodeSchema, message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * A list another station holds: who, and `stale` when its heartbeat stopped for a lease time, so the
 * page offers to take it over. There is no separate code for a stale holder.
 */
export const SessionLockedBodySchema = ErrorBodySchema.extend({
  error: z.literal('SESSION_LOCKED'),
  holder: LeaseHolderSchema,
  stale: z.boolean().optional(),
  epoch: z.number().int().optional(),
});
export type SessionLockedBody = z.infer<typeof SessionLockedBodySchema>;

/** A station that lost its list answers a scan with this (the live event `lease` says the same). */
export const LeaseLostBodySchema = ErrorBodySchema.extend({
  error: z.literal('LEASE_LOST'),
  station: z.string(),
  lease: z.literal('lost'),
});
export type LeaseLostBody = z.infer<typeof LeaseLostBodySchema>;
