// The warehouse's workers: who packs at a station, with an optional PIN. Names are unique without
// regard to case or spaces; a PIN is only ever stored as a salted hash.
import { z } from 'zod';
import { ValidationError } from './errors.js';

export const WorkerSchema = z.object({
  id: z.string().regex(/^W\d{3,}$/),
  name: z.string().min(1).max(60),
  created_at: z.string(),
  /** scrypt hash as "salt:hash" (hex), or null when the worker has no PIN. */
  pin_hash: z.string().nullable(),
});
export type Worker = z.infer<typeof WorkerSchema>;

export const WorkersFileSchema = z.object({
  schema_version: z.literal(1),
  workers: z.array(WorkerSchema),
  last_updated: z.string(),
  updated_by: z.string(),
});
export type WorkersFile = z.infer<typeof WorkersFileSchema>;

/** A worker as the API and the CLI show it: never the PIN hash. */
export const PublicWorkerSchema = WorkerSchema.omit({ pin_hash: true }).extend({ has_pin: z.boolean() });
export type PublicWorker = z.infer<typeof PublicWorkerSchema>;

export function publicWorker(w: Worker): PublicWorker {
  return { id: w.id, name: w.name, has_pin: w.pin_hash !== null, created_at: w.created_at };
}

export function emptyWorkers(station: string, now: Date): WorkersFile {
  return { schema_version: 1, workers: [], last_updated: now.toISOString(), updated_by: station };
}

export function cleanWorkerName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0) throw new ValidationError('A worker needs a name.', { field: 'name' });
  if (name.length > 60)
    throw new ValidationError('A worker name has at most 60 characters.', { field: 'name' });
  if (/\p{Cc}/u.test(name))
    throw new ValidationError('A worker name cannot contain control characters.', { field: 'name' });
  return name;
}

/** Worker names compare without regard to case or spacing. */
export const workerNameKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** Adds a worker with the next free id (W001, W002, …); a name already taken (any case) is refused. */
export function addWorker(file: WorkersFile, name: string, pinHash: string | null, now: Date): Worker {
  const clean = cleanWorkerName(name);
  if (file.workers.some((w) => workerNameKey(w.name) === workerNameKey(clean))) {
    throw new ValidationError(`There is already a worker called ${clean}.`, { field: 'name' });
  }
  const next = file.workers.reduce((max, w) => Math.max(max, Number(w.id.slice(1))), 0) + 1;
  const worker: Worker = {
    id: `W${String(next).padStart(3, '0')}`,
    name: clean,
    created_at: now.toISOString(),
    pin_hash: pinHash,
  };
  file.workers.push(worker);
  return worker;
}
