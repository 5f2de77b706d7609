// Clients: list, create, show, change settings.
import { z } from 'zod';
import { createClient, listClients, showClient } from '../../app/clients.js';
import { assertClientId } from '../../domain/ids.js';
import { updateClientConfig } from '../../store/profiles.js';
import { ClientSettingsBody, CreateClientBody } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

export function clientRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/clients', async () => ({ json: await listClients(ctx) }));

  router.post('/api/clients', async (req) => {
    const body = await req.json(CreateClientBody);
    const config = await createClient(ctx, body.client_id, body.client_name);
    ctx.live.publish({ type: 'clients_changed' });
    return { status: 201, json: config };
  });

  router.get('/api/clients/:client', async (req) => ({
    json: await showClient(ctx, assertClientId(req.params.client!)),
  }));

  router.put('/api/clients/:client/settings', async (req) => {
    const clientId = assertClientId(req.params.client!);
    const patch: z.infer<typeof ClientSettingsBody> = await req.json(ClientSettingsBody);
    const { heartbeatMs, staleMs } = ctx.settings.locking;
    const saved = await updateClientConfig(ctx.layout, clientId, (config) => ({ ...config, ...patch }), {
      station: ctx.station,
      lock: { heartbeatMs, staleMs, waitMs: staleMs * 2 + 10_000 },
    });
    ctx.live.publish({ type: 'clients_changed' });
    return { json: saved.value };
  });
}
