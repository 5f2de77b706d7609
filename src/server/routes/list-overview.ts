// A list's overview (every order with its state, searchable, a page at a time) and one order's scan
// history, for the session browser and the packer's overview; read without taking the list's lease.
import { showListOverview, showOrderHistory } from '../../app/list-overview.js';
import { ValidationError } from '../../domain/errors.js';
import { assertClientId, assertSafeName } from '../../domain/ids.js';
import { OverviewQuerySchema } from '../../domain/list-overview.js';
import type { ServerContext } from '../context.js';
import { zodMessage, type Router } from '../router.js';
import { heldListState } from '../stations.js';

function listParams(params: Record<string, string>) {
  return {
    client: assertClientId(params.client!),
    session: assertSafeName(params.session!, 'Session id'),
    list: assertSafeName(params.list!, 'Packing list name'),
  };
}

export function listOverviewRoutes(router: Router, ctx: ServerContext): void {
  const live = (ids: { client: string; session: string; list: string }) => heldListState(ctx, ids);

  router.get('/api/clients/:client/sessions/:session/lists/:list/orders', async (req) => {
    const parsed = OverviewQuerySchema.safeParse(Object.fromEntries(req.query));
    if (!parsed.success)
      throw new ValidationError(`The search is not valid: ${zodMessage(parsed.error)}.`, {
        issues: parsed.error.issues,
      });
    return { json: await showListOverview(ctx.layout, listParams(req.params), parsed.data, live) };
  });

  router.get('/api/clients/:client/sessions/:session/lists/:list/orders/:order', async (req) => ({
    json: await showOrderHistory(ctx.layout, { ...listParams(req.params), order: req.params.order! }, live),
  }));
}
