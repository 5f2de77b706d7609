// Preparing a session in the browser: upload the day's files (as content), run the analysis off this
// thread with live progress and a cancel, then page through, edit and download the analysis. Every
// answer about an analysis comes from the worker that holds it in memory (preparation-service.ts).
import path from 'node:path';
import { preparationActivity } from '../../app/prepare-edits.js';
import { preparedDownload } from '../../app/prepared-analysis.js';
import { preparationSettings, replacePreparationSettings } from '../../app/client-settings.js';
import { readSetsFile } from '../../app/sets-file.js';
import { SetsImportAnswer } from '../../domain/sets-file.js';
import { ValidationError } from '../../domain/errors.js';
import { assertClientId, assertSafeName } from '../../domain/ids.js';
import { BULK_EDIT_MAX_ORDERS, type PreparationChange } from '../../domain/preparation-edits.js';
import {
  AnalysisBulkBody,
  AnalysisEditBody,
  AnalysisQuerySchema,
  ConditionPreviewSchema,
  PrepareFileKind,
  PrepareRunBody,
  PreparationSettingsBody,
} from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import { PreparationService } from '../preparation-service.js';
import type { ApiRequest, Router } from '../router.js';

/** Orders exports of a busy day are larger than the packing-list upload limit. */
const PREPARE_UPLOAD_LIMIT = 200 * 1024 * 1024;
const PREPARE_TYPES = ['.csv', '.txt', '.tsv', '.xlsx', '.xlsm'];

function sessionOf(req: ApiRequest): { client: string; session: string } {
  return {
    client: assertClientId(req.params.client!),
    session: assertSafeName(req.params.session!, 'Session id'),
  };
}

export function prepareRoutes(router: Router, ctx: ServerContext): void {
  const service = new PreparationService(ctx);
  ctx.onClose(async () => service.close());
  const by = (body: { worker: string; station?: string | undefined }) => ({
    station: body.station ?? ctx.station,
    worker: body.worker,
  });

  router.post('/api/clients/:client/prepare/files', async (req) => {
    const client = assertClientId(req.params.client!);
    const kind = PrepareFileKind.safeParse(req.query.get('kind'));
    if (!kind.success)
      throw new ValidationError('Say what the file is: kind=orders, kind=stock or kind=sets.', {
        field: 'kind',
      });
    const name = path.basename(req.query.get('filename') ?? '');
    if (!PREPARE_TYPES.includes(path.extname(name).toLowerCase()))
      throw new ValidationError(
        `"${name || '(no name)'}" is not a file packdesk can read: add a .csv or .xlsx file.`,
        { file: name },
      );
    const data = await req.upload(PREPARE_UPLOAD_LIMIT);
    const staged = await service.stage(client, kind.data, name, data);
    return { status: 201, json: { upload: staged.id, kind: staged.kind, ...staged.look } };
  });

  router.delete('/api/prepare/files/:upload', async (req) => {
    service.drop(req.params.upload!);
    return { json: { dropped: true } };
  });

  router.post('/api/clients/:client/prepare', async (req) => {
    const client = assertClientId(req.params.client!);
    const body = await req.json(PrepareRunBody);
    return { status: 202, json: service.run(client, body, by(body)) };
  });

  router.get('/api/prepare/jobs/:job', async (req) => ({ json: service.job(req.params.job!) }));

  router.post('/api/prepare/jobs/:job/cancel', async (req) => ({ json: service.cancel(req.params.job!) }));

  router.get('/api/clients/:client/sessions/:session/analysis', async (req) => {
    const { client, session } = sessionOf(req);
    return { json: await (await service.analysis(client, session)).summary() };
  });

  router.post('/api/clients/:client/sessions/:session/analysis/orders', async (req) => {
    const { client, session } = sessionOf(req);
    const query = await req.json(AnalysisQuerySchema);
    return { json: await (await service.analysis(client, session)).query(query) };
  });

  router.post('/api/clients/:client/sessions/:session/analysis/preview', async (req) => {
    const { client, session } = sessionOf(req);
    const preview = await req.json(ConditionPreviewSchema);
    return { json: await (await service.analysis(client, session)).preview(preview) };
  });

  router.get('/api/clients/:client/sessions/:session/analysis/orders/:order', async (req) => {
    const { client, session } = sessionOf(req);
    return { json: await (await service.analysis(client, session)).detail(req.params.order!) };
  });

  const applied = async (
    client: string,
    session: string,
    changes: PreparationChange[],
    who: { station: string; worker: string },
  ) => {
    const worker = await service.analysis(client, session);
    const outcome = await worker.edit(changes, who);
    ctx.live.publish({ type: 'analysis_changed', client, session, revision: outcome.revision });
    ctx.live.publish({ type: 'sessions_changed', client });
    return { ...outcome, summary: await worker.summary() };
  };

  router.post('/api/clients/:client/sessions/:session/analysis/edits', async (req) => {
    const { client, session } = sessionOf(req);
    const body = await req.json(AnalysisEditBody);
    return { json: await applied(client, session, [body.change], by(body)) };
  });

  router.post('/api/clients/:client/sessions/:session/analysis/bulk', async (req) => {
    const { client, session } = sessionOf(req);
    const body = await req.json(AnalysisBulkBody);
    const orders = body.orders ?? (await (await service.analysis(client, session)).matching(body.filter!));
    if (orders.length > BULK_EDIT_MAX_ORDERS)
      throw new ValidationError(
        `The filter matches ${orders.length} orders; narrow it to ${BULK_EDIT_MAX_ORDERS.toLocaleString('en-US')} or fewer.`,
      );
    if (orders.length === 0) throw new ValidationError('No order is selected.');
    // One ledger record for the whole selection: one edit, and one undo takes it all back.
    const change: PreparationChange =
      body.action === 'hold'
        ? { type: 'hold_many', orders, ...(body.reason ? { reason: body.reason } : {}) }
        : body.action === 'tag'
          ? { type: 'tag_many', orders, tag: body.tag! }
          : { type: 'release_many', orders };
    return { json: await applied(client, session, [change], by(body)) };
  });

  router.get('/api/clients/:client/sessions/:session/analysis/activity', async (req) => {
    const { client, session } = sessionOf(req);
    return { json: { activity: await preparationActivity(ctx, client, session) } };
  });

  router.get('/api/clients/:client/sessions/:session/analysis/download', async (req) => {
    const { client, session } = sessionOf(req);
    const file = await preparedDownload(ctx, client, session, req.query.get('file') ?? '');
    return { file: { data: file.data, type: file.type, name: file.name } };
  });

  router.get('/api/clients/:client/preparation', async (req) => {
    const client = assertClientId(req.params.client!);
    return { json: { preparation: await preparationSettings(ctx, client) } };
  });

  // A sets file read for the settings editor: checked, not saved (the editor saves the settings whole).
  router.post('/api/clients/:client/preparation/sets', async (req) => {
    assertClientId(req.params.client!);
    const name = path.basename(req.query.get('filename') ?? '');
    if (!PREPARE_TYPES.includes(path.extname(name).toLowerCase()))
      throw new ValidationError(
        `"${name || '(no name)'}" is not a sets file packdesk can read: choose a .csv or .xlsx file.`,
        { file: name },
      );
    const data = await req.upload();
    if (data.length === 0) throw new ValidationError(`${name} is empty.`, { file: name });
    return { json: SetsImportAnswer.parse(await readSetsFile(data, name)) };
  });

  router.put('/api/clients/:client/preparation', async (req) => {
    const client = assertClientId(req.params.client!);
    const body = await req.json(PreparationSettingsBody);
    const saved = await replacePreparationSettings(ctx, client, body.preparation);
    return { json: { preparation: saved } };
  });
}
