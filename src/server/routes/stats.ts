// Packing statistics (from the immutable per-sitting records) and list reports for download.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { reportContentOffThread, reportFiles } from '../../app/reports.js';
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
    const files = reportFiles(ctx.layout, ids);
    const target = summary ? files.summary : files.xlsx;
    let data: Buffer | null = await fs.readFile(target).catch(() => null);
    if (!data) {
      // Not ended yet: built from the journal as it stands (no lease needed), in memory (a GET
      // writes nothing to the share), off the thread that answers scans.
      const built = await reportContentOffThread(ctx.layout, ids);
      data = summary ? Buffer.from(built.summary) : Buffer.from(built.xlsx);
    }
    const name = `${ids.session}_${ids.list}_${path.basename(target)}`;
    return {
      file: {
        data,
        name,
        type: summary
          ? 'application/json; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    };
  });
}
