// Who this server is, and the live event stream.
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';
import { currentStationViews } from '../stations.js';

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
    // A browser that reconnects missed what happened meanwhile: it gets every station's view now.
    ctx.live.attach(
      req.res,
      currentStationViews(ctx).map((view) => ({ type: 'station', station: view.station, view })),
    );
    return { streamed: true };
  });
}
