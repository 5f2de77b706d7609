// Packing statistics (from the immutable per-sitting records) and list reports for download.
import { listReport } from '../../app/reports.js';
import { packingStats } from '../../app/stats.js';
import { statsDay } from '../../domain/stats.js';
import { assertClientId, assertSafeName } from '../../domain/ids.js';
import { sittingRecords } from '../../app/sitting-records.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

export function statsRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/stats', async (req) => {
    const client = req.query.get('client');
    const query = {
      client: client ? assertClientId(client) : undefined,
      worker: req.query.get('worker') || undefined,
      from: statsDay(req.query.get('from'), 'from'),
      to: statsDay(req.query.get('to'), 'to'),
    };
    const report = await packingStats(ctx, query);
    // The dashboard's hourly chart needs the sittings themselves, filtered the same way.
    const { records } = await sittingRecords(ctx, query);
    return { json: { report, records, damaged: report.damaged_records } };
  });

  router.get('/api/clients/:client/sessions/:session/lists/:list/report', async (req) => {
    const ids = {
      client: assertClientId(req.params.client!),
      session: assertSafeName(req.params.session!, 'Session id'),
      list: assertSafeName(req.params.list!, 'Packing list name'),
    };
    const summary = req.query.get('file') === 'summary';
    const report = await listReport(ctx.layout, ids, summary ? 'summary' : 'xlsx');
    return {
      file: {
        data: report.data,
        name: report.fileName,
        type: summary
          ? 'application/json; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    };
  });
}
