// Route groups beyond clients and mappings, in one list so `serve` and the tests start the same server.
import type { ServerContext } from './context.js';
import type { Router } from './router.js';
import { labelRoutes } from './routes/labels.js';
import { listOverviewRoutes } from './routes/list-overview.js';
import { prepareRoutes } from './routes/prepare.js';
import { sessionRoutes } from './routes/sessions.js';
import { stationRoutes } from './routes/stations.js';
import { statsRoutes } from './routes/stats.js';
import { workerRoutes } from './routes/workers.js';

export function serverRouteGroups(): Array<(router: Router, ctx: ServerContext) => void> {
  return [
    sessionRoutes,
    stationRoutes,
    statsRoutes,
    workerRoutes,
    labelRoutes,
    listOverviewRoutes,
    prepareRoutes,
  ];
}
