// Workers: list, add, and check a PIN before a worker starts packing at a station.
import { checkWorker, createWorker, listWorkers } from '../../app/workers.js';
import { ValidationError } from '../../domain/errors.js';
import { WorkerBody, WorkerCheckBody } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

export function workerRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/workers', async () => ({ json: { workers: await listWorkers(ctx) } }));

  router.post('/api/workers', async (req) => {
    const body = await req.json(WorkerBody);
    return { status: 201, json: await createWorker(ctx, body.name, body.pin) };
  });

  router.post('/api/workers/:id/check', async (req) => {
    const id = req.params.id!;
    if (!/^W\d{3,}$/.test(id)) throw new ValidationError(`"${id.slice(0, 20)}" is not a worker id.`);
    const body = await req.json(WorkerCheckBody);
    return { json: await checkWorker(ctx, id, body.pin) };
  });
}
