// Sessions and their packing lists: the browser's list with live states, one session, a new session
// from an uploaded packing list, and a shift lead's force release.
import path from 'node:path';
import { showClient } from '../../app/clients.js';
import { importPackingListOffThread } from '../../app/import-off-thread.js';
import { createSessionFromPrepared, listSessions, showSession, unlockList } from '../../app/sessions.js';
import { ValidationError } from '../../domain/errors.js';
import { assertClientId, assertSafeName } from '../../domain/ids.js';
import { setSessionArchived } from '../../app/session-archive.js';
import { SessionArchiveAnswer } from '../../domain/session.js';
import { ForceReleaseBody, SessionArchiveBody } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

const LIST_TYPES = ['.csv', '.xlsx', '.json', '.txt', '.tsv'];

function workerOf(value: string | null): string {
  const worker = (value ?? '').trim();
  return worker.length > 0 && worker.length <= 60 ? worker : 'unknown';
}

export function sessionRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/sessions', async (req) => {
    const client = req.query.get('client');
    return {
      json: {
        sessions: await listSessions(
          ctx,
          client === null || client === '' ? undefined : assertClientId(client),
          { archived: ['1', 'true', 'yes'].includes(req.query.get('archived') ?? '') },
        ),
      },
    };
  });

  router.post('/api/clients/:client/sessions/:session/archive', async (req) => {
    const client = assertClientId(req.params.client!);
    const session = assertSafeName(req.params.session!, 'Session id');
    const body = await req.json(SessionArchiveBody);
    const answer = SessionArchiveAnswer.parse(
      await setSessionArchived(ctx, {
        client,
        session,
        archived: body.archived,
        by: { station: ctx.station, worker: body.worker },
      }),
    );
    if (answer.changed) ctx.live.publish({ type: 'sessions_changed', client });
    return { json: answer };
  });

  router.get('/api/clients/:client/sessions/:session', async (req) => ({
    json: await showSession(
      ctx,
      assertClientId(req.params.client!),
      assertSafeName(req.params.session!, 'Session id'),
    ),
  }));

  router.post('/api/clients/:client/sessions', async (req) => {
    const client = assertClientId(req.params.client!);
    const original = path.basename(req.query.get('filename') ?? '');
    const ext = path.extname(original).toLowerCase();
    if (!LIST_TYPES.includes(ext)) {
      throw new ValidationError(
        `"${original || '(no name)'}" is not a packing list packdesk can read: upload a .csv, .xlsx or .json file.`,
      );
    }
    const data = await req.upload();
    if (data.length === 0) throw new ValidationError(`${original} is empty.`);
    // The upload is converted to packdesk's own list JSON first (with the client's column names), so
    // a CSV or workbook is checked row by row now, not when a packer opens it.
    const { config } = await showClient(ctx, client);
    // Off the thread that answers scans and keeps leases alive: a large file takes seconds to read.
    const prepared = await importPackingListOffThread(data, original, {
      columns: config.required_columns,
      now: new Date(),
    });
    const { warnings, ...list } = prepared;
    const info = await createSessionFromPrepared(
      ctx,
      client,
      // The upload itself is kept as the list's source, as it was sent and under its own name.
      [{ ...list, original: { file: original, data } }],
      { station: ctx.station, worker: workerOf(req.query.get('worker')) },
      warnings,
    );
    ctx.live.publish({ type: 'sessions_changed', client });
    return { status: 201, json: info };
  });

  router.post('/api/clients/:client/sessions/:session/lists/:list/release', async (req) => {
    const client = assertClientId(req.params.client!);
    const session = assertSafeName(req.params.session!, 'Session id');
    const list = assertSafeName(req.params.list!, 'Packing list name');
    const body = await req.json(ForceReleaseBody);
    const result = await unlockList(ctx, {
      client,
      session,
      list,
      reason: body.reason,
      force: true,
      by: { station: ctx.station, worker: workerOf(req.query.get('worker')) },
    });
    ctx.live.publish({ type: 'sessions_changed', client });
    return { json: result };
  });
}
