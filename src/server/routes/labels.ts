// Labels and desk sheets as PDF downloads: a list's order labels (written under the session's
// barcodes/ folder as `packdesk labels` does), the station command sheet, and a client's list sheet.
// The PDF code is loaded on the first request, not when the server starts.
import { ValidationError } from '../../domain/errors.js';
import { assertClientId, assertSafeName } from '../../domain/ids.js';
import { parseSequenceRange } from '../../domain/label-numbering.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

const PDF = 'application/pdf';

export function labelRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/clients/:client/sessions/:session/lists/:list/labels', async (req) => {
    const client = assertClientId(req.params.client!);
    const session = assertSafeName(req.params.session!, 'Session id');
    const list = assertSafeName(req.params.list!, 'Packing list name');
    const ordersText = req.query.get('orders');
    const orders = ordersText
      ? ordersText
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o.length > 0)
      : undefined;
    const seqText = req.query.get('seq');
    const range = seqText ? parseSequenceRange(seqText) : undefined;
    if (range === null)
      throw new ValidationError(`Say which labels by number, like 7 or 5-10, not "${seqText}".`, {
        field: 'seq',
      });
    const { printOrderLabels } = await import('../../app/labels.js');
    const result = await printOrderLabels(ctx, { client, session, list, orders, ...range });
    return { file: { data: result.pdf, type: PDF, name: `${session}_${list}_labels.pdf` } };
  });

  router.get('/api/sheets/commands', async () => {
    const { commandSheet } = await import('../../app/sheets.js');
    return { file: { data: await commandSheet(), type: PDF, name: 'packdesk_command_sheet.pdf' } };
  });

  router.get('/api/clients/:client/list-sheet', async (req) => {
    const client = assertClientId(req.params.client!);
    const { listSheet } = await import('../../app/sheets.js');
    const { pdf } = await listSheet(ctx, client);
    return { file: { data: pdf, type: PDF, name: `${client}_packing_lists.pdf` } };
  });
}
