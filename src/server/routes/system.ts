// Who this server is, and the live event stream.
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

export function systemRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/info', async () => ({
    json: {
      station: ctx.station,
      root: ctx.layout.root,
      default_worker: ctx.settings.ui.defaultWorker,
      locking: ctx.settings.locking,
    },
  }));

  router.get('/api/events', async (req) => {
    ctx.live.attach(req.res, []);
    return { streamed: true };
  });
}
