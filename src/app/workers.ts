// Use cases for workers: list, add (optional PIN), and check who may start packing at a station.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Settings } from '../domain/settings.js';
import { addWorker, publicWorker, workerNameKey, type PublicWorker, type Worker } from '../domain/workers.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { changeWorkers, readWorkers } from '../store/workers.js';
import type { PinAttempts } from './worker-pins.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export interface WorkerDeps {
  layout: Layout;
  settings: Settings;
  station: string;
}

async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${(await scryptAsync(pin, salt, 32)).toString('hex')}`;
}

async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [saltHex, hashHex] = stored.split(':');
  if (!saltHex || !hashHex) return false;
  const actual = await scryptAsync(pin, Buffer.from(saltHex, 'hex'), 32);
  const expected = Buffer.from(hashHex, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function listWorkers(deps: WorkerDeps): Promise<PublicWorker[]> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const file = await readWorkers(deps.layout, deps.station);
  return file.workers.map(publicWorker).sort((a, b) => a.name.localeCompare(b.name));
}

export async function createWorker(
  deps: WorkerDeps,
  name: string,
  pin: string | null,
): Promise<PublicWorker> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  if (pin !== null && !/^\d{4,8}$/.test(pin))
    throw new ValidationError('A PIN is 4 to 8 digits.', { field: 'pin' });
  const pinHash = pin === null ? null : await hashPin(pin);
  const { heartbeatMs, staleMs } = deps.settings.locking;
  const worker = await changeWorkers(
    deps.layout,
    { station: deps.station, lock: { heartbeatMs, staleMs, waitMs: staleMs * 2 + 10_000 } },
    (file) => addWorker(file, name, pinHash, new Date()),
  );
  return publicWorker(worker);
}

/** The registered worker called `name` (any case and spacing), or null. */
export async function findWorkerByName(deps: WorkerDeps, name: string): Promise<Worker | null> {
  const file = await readWorkers(deps.layout, deps.station);
  const key = workerNameKey(name);
  return file.workers.find((w) => workerNameKey(w.name) === key) ?? null;
}

/**
 * Lets `name` start packing: a registered worker with a PIN needs the PIN (or a pass from a PIN
 * check). Every place that names a worker for packing calls this first.
 */
export async function admitWorker(
  deps: WorkerDeps,
  attempts: PinAttempts,
  name: string,
  credentials: { pin?: string | null; pass?: string | null },
  address: string,
): Promise<void> {
  await attempts.admit(await findWorkerByName(deps, name), credentials, address, pinMatches);
}

/** Checks that `pin` opens worker `id`; returns the worker and a pass for opening lists as it. */
export async function checkWorker(
  deps: WorkerDeps,
  attempts: PinAttempts,
  id: string,
  pin: string | null,
  address: string,
): Promise<PublicWorker & { pass: string }> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const file = await readWorkers(deps.layout, deps.station);
  const worker = file.workers.find((w) => w.id === id);
  if (!worker) throw new NotFoundError(`There is no worker ${id}. Reload the workers page.`, { worker: id });
  await attempts.admit(worker, { pin }, address, pinMatches);
  return { ...publicWorker(worker), pass: attempts.issuePass(worker.id) };
}

/** A shift lead clears a worker's PIN lockout. */
export async function unlockWorker(
  deps: WorkerDeps,
  attempts: PinAttempts,
  id: string,
): Promise<PublicWorker> {
  const file = await readWorkers(deps.layout, deps.station);
  const worker = file.workers.find((w) => w.id === id);
  if (!worker) throw new NotFoundError(`There is no worker ${id}. Reload the workers page.`, { worker: id });
  attempts.clear(worker.id);
  return publicWorker(worker);
}
