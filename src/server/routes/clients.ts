// Clients: list, create, show, change settings.
import { z } from 'zod';
import { createClient, listClients, showClient } from '../../app/clients.js';
import { assertClientId } from '../../domain/ids.js';
import { changeClientSettings } from '../../app/client-settings.js';
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
    const saved = await changeClientSettings(ctx, clientId, patch);
    ctx.live.publish({ type: 'clients_changed' });
    return { json: saved };
  });
}
