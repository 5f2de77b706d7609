// Workers: list, add, check a PIN before a worker starts packing at a station (which gives the
// browser a pass to open lists as that worker), and clear a worker's PIN lockout.
import { checkWorker, createWorker, listWorkers, unlockWorker } from '../../app/workers.js';
import { ValidationError } from '../../domain/errors.js';
import { WorkerBody, WorkerCheckBody } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';
import { HttpError } from '../http-errors.js';
import { callerAddress, isLoopbackAddress } from '../security.js';

function workerId(value: string): string {
  if (!/^W\d{3,}$/.test(value)) throw new ValidationError(`"${value.slice(0, 20)}" is not a worker id.`);
  return value;
}

export function workerRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/workers', async () => ({ json: { workers: await listWorkers(ctx) } }));

  router.post('/api/workers', async (req) => {
    const body = await req.json(WorkerBody);
    return { status: 201, json: await createWorker(ctx, body.name, body.pin) };
  });

  router.post('/api/workers/:id/check', async (req) => {
    const id = workerId(req.params.id!);
    const body = await req.json(WorkerCheckBody);
    return { json: await checkWorker(ctx, ctx.pins, id, body.pin, callerAddress(req.raw)) };
  });

  router.post('/api/workers/:id/unlock', async (req) => {
    const id = workerId(req.params.id!);
    // At the packdesk PC itself only: a device guessing PINs over the network must not be able to
    // clear its own lockout. Elsewhere the lockout ends by itself after its time.
    if (!isLoopbackAddress(req.raw.socket.remoteAddress))
      throw new HttpError(
        403,
        'FORBIDDEN_REMOTE',
        'A worker can only be unlocked at the packdesk PC itself, or wait for the lockout to end.',
      );
    return { json: await unlockWorker(ctx, ctx.pins, id) };
  });
}
