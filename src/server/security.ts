// Who may talk to the server. On 127.0.0.1 only this PC can reach it. Bound to any other address it
// serves the warehouse network, so every request from another machine must carry the station key,
// and browsers may only call it from the app's own pages (Origin check), which stops another web
// page in the packer's browser from scanning or releasing lists behind their back. In every mode the
// Host header must name this PC (an IP address, localhost, its own name): a page under a hostile name
// that its DNS points at this PC (DNS rebinding) sends that name as Host, and is refused before any
// key question is asked, because the browser on this PC is a loopback caller that needs no key.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import os from 'node:os';
import { HttpError } from './http-errors.js';

export const KEY_HEADER = 'x-packdesk-key';
export const KEY_COOKIE = 'packdesk_key';

/** Where a request comes from, for counting wrong PINs per device. */
export function callerAddress(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function newStationKey(): string {
  return randomBytes(18).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A cookie's value; null when absent or not decodable (a malformed cookie is no key, not a server error). */
export function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface AccessPolicy {
  /** Required from every caller that is not on this PC; null when the server is bound to loopback. */
  stationKey: string | null;
  /** Host names (lower case) this server answers to besides IP addresses; see hostNamesFor. */
  hostNames: ReadonlySet<string>;
}

/**
 * The names a server bound to `bindHost` answers as: localhost, this PC's name (with and without
 * its domain, and as NAME.local), the bound name itself, and any the admin lists.
 */
export function hostNamesFor(bindHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set(['localhost']);
  if (!isLoopbackHost(bindHost)) {
    const own = os.hostname().toLowerCase();
    const short = own.split('.')[0]!;
    for (const n of [own, short, `${short}.local`]) names.add(n);
    if (isIP(bindHost) === 0 && bindHost !== '') names.add(bindHost.toLowerCase());
  }
  for (const n of extra) names.add(n.trim().toLowerCase());
  return names;
}

/** The host part of a Host header value ("[::1]:4780" -> "::1", "PC-2:80" -> "pc-2"). */
function hostPart(host: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  return (m ? m[1]! : host.replace(/:\d+$/, '')).toLowerCase();
}

/** The key a request carries, from the header (scripts) or the cookie the login link set (browsers). */
export function presentedKey(req: IncomingMessage): string | null {
  const header = req.headers[KEY_HEADER];
  if (typeof header === 'string' && header.length > 0) return header;
  return cookieValue(req, KEY_COOKIE);
}

export function keyMatches(policy: AccessPolicy, key: string | null): boolean {
  return policy.stationKey !== null && key !== null && sameSecret(key, policy.stationKey);
}

/**
 * Throws unless the request may go on. Loopback callers need no key; everyone else does. A request
 * that says it comes from a web page must come from one of ours (same host and port), and on a
 * loopback server the Host header must name this PC, so a rebinding DNS name cannot reach it.
 */
export function checkAccess(req: IncomingMessage, policy: AccessPolicy): void {
  const host = (req.headers.host ?? '').toLowerCase();
  const hostname = hostPart(host);
  const known =
    policy.stationKey === null
      ? isLoopbackHost(hostname) || hostname === '::1'
      : isIP(hostname) !== 0 || policy.hostNames.has(hostname);
  if (!known || hostname === '') {
    throw new HttpError(
      403,
      'FORBIDDEN_HOST',
      policy.stationKey === null
        ? `This station only answers as localhost, not as "${hostname}".`
        : `This packdesk server does not answer as "${hostname}"; open it by this PC's address or name.`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let from: URL;
    try {
      from = new URL(origin);
    } catch {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', 'The request came from a page packdesk does not know.');
    }
    // Scheme included: packdesk serves plain http, so an https or file page is never one of ours.
    if (from.protocol !== 'http:' || from.host.toLowerCase() !== host) {
      throw new HttpError(
        403,
        'FORBIDDEN_ORIGIN',
        `Requests from ${origin} are not allowed; open packdesk at http://${host}/ instead.`,
      );
    }
  } else if (origin === 'null') {
    throw new HttpError(
      403,
      'FORBIDDEN_ORIGIN',
      'Requests from sandboxed or local-file pages are not allowed.',
    );
  }
  if (isLoopbackAddress(req.socket.remoteAddress)) return;
  if (!keyMatches(policy, presentedKey(req))) {
    throw new HttpError(
      401,
      'STATION_KEY_REQUIRED',
      'This packdesk server needs its station key. Open the address with ?key=… that the server printed when it started.',
    );
  }
}
