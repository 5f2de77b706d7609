// `packdesk session create|list|show|archive|unarchive|orders|open|unlock`. The JSON of list/show is documented in
// docs/sessions-and-leases.md; other tools read it.
import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import type { ListView, SessionView } from '../../domain/session.js';
import type { LeaseEvent } from '../../app/open-list.js';
import { action, withCommonOptions } from '../output.js';
import { collect, identity } from '../identity.js';

function seconds(ms: number | null): string {
  return ms === null ? '?' : `${(ms / 1000).toFixed(1)} s`;
}

function listLine(l: ListView): string {
  const holder = l.holder
    ? ` at ${l.holder.station} (${l.holder.worker}), since ${l.holder.since}, heartbeat ${seconds(l.holder.heartbeat_age_ms)} ago`
    : '';
  const line = `  ${l.name.padEnd(20)} ${l.state.padEnd(11)} orders ${l.orders_done}/${l.orders_total}, items ${l.items_done}/${l.items_total}${holder}`;
  return l.damage ? `${line}\n    DAMAGED: ${l.damage.message}` : line;
}

function sessionText(s: SessionView): string {
  const marks = [`created ${s.created_at}`, ...(s.archived ? ['archived'] : [])].join(', ');
  const head = `${s.client}  ${s.session}  (${marks})`;
  const summary = s.summary
    ? [
        `  prepared: ${s.summary.orders_total} orders, ${s.summary.fulfillable} fulfillable, ${s.summary.held} held, ${s.summary.not_fulfillable} not fulfillable${s.lists.length === 0 ? '; no packing list (no order can ship)' : ''}`,
      ]
    : s.prepared && s.lists.length === 0
      ? ['  prepared: no packing list (no order can ship)']
      : [];
  return [head, ...summary, ...s.lists.map(listLine)].join('\n');
}

export function registerSessionCommands(program: Command): void {
  const session = program.command('session').description('packing sessions and who holds their lists');

  withCommonOptions(
    session
      .command('create')
      .description('create a session for a client from one or more packing list files')
      .argument('<client>', 'client ID')
      .requiredOption('--list <file>', 'a packing list file (repeat for several lists)', collect)
      .option(
        '--station <name>',
        'station creating the session (else config.ini StationName, else PACKDESK_STATION, else host name)',
      )
      .option('--worker <name>', 'worker creating the session'),
  ).action(
    action<[string]>('session create', async (ctx, [client], options) => {
      const { createSession } = await import('../../app/sessions.js');
      const files = options.list as string[];
      const info = await createSession(
        ctx,
        client,
        files.map((file) => ({ file })),
        identity(ctx, options),
      );
      ctx.logger.info({ client_id: client, session_id: info.session_id }, 'session created');
      return {
        json: info,
        text: [
          `Session ${info.session_id} created for client ${client} with ${info.lists.length} packing list(s): ${info.lists
            .map((l) => `${l.name} (${l.orders_total} orders, ${l.items_total} items)`)
            .join(', ')}.`,
          ...info.warnings.map((w) => `Note: ${w}`),
        ].join('\n'),
      };
    }),
  );

  withCommonOptions(
    session
      .command('list')
      .description('sessions of one client (or all clients), newest first, with the state of every list')
      .argument('[client]', 'client ID')
      .option('--archived', 'include archived sessions (marked "archived")'),
  ).action(
    action<string[]>('session list', async (ctx, [client], options) => {
      const { listSessions } = await import('../../app/session-views.js');
      const sessions = await listSessions(ctx, client, { archived: options.archived === true });
      return {
        json: sessions,
        text: sessions.length === 0 ? 'No sessions.' : sessions.map(sessionText).join('\n'),
      };
    }),
  );

  withCommonOptions(
    session
      .command('show')
      .description('one session with the live state of every list')
      .argument('<client>', 'client ID')
      .argument('<session>', 'session id'),
  ).action(
    action<[string, string]>('session show', async (ctx, [client, id]) => {
      const { showSession } = await import('../../app/session-views.js');
      const view = await showSession(ctx, client, id);
      return { json: view, text: sessionText(view) };
    }),
  );

  for (const [word, archived] of [
    ['archive', true],
    ['unarchive', false],
  ] as const) {
    withCommonOptions(
      session
        .command(word)
        .description(
          archived
            ? 'hide a session from the session browser and `session list` (nothing is deleted; refused while a station packs one of its lists)'
            : 'bring an archived session back into the session browser and `session list`',
        )
        .argument('<client>', 'client ID')
        .argument('<session>', 'session id')
        .option('--station <name>', 'the station doing it')
        .option('--worker <name>', 'the shift lead'),
    ).action(
      action<[string, string]>(`session ${word}`, async (ctx, [client, id], options) => {
        const { setSessionArchived } = await import('../../app/session-archive.js');
        const answer = await setSessionArchived(ctx, {
          client,
          session: id,
          archived,
          by: identity(ctx, options),
        });
        ctx.logger.info({ archive: answer }, `session ${word}`);
        const state = archived ? 'archived' : 'not archived';
        return {
          json: answer,
          text: answer.changed
            ? `Session ${id} ${archived ? 'archived: `session list --archived` still shows it' : 'is back in the session list'}.`
            : `Session ${id} was already ${state}; nothing changed.`,
        };
      }),
    );
  }

  withCommonOptions(
    session
      .command('orders')
      .description(
        "a list's orders with their state, lines and who packed them (read without taking the list); --order for one order's scan history",
      )
      .argument('<client>', 'client ID')
      .argument('<session>', 'session id')
      .option('--list <name>', 'packing list (needed when the session has several)')
      .option('--search <text>', 'only orders whose number, SKU or product name contains this')
      .option(
        '--state <state>',
        'only orders in this state: to_do, open, paused, skipped, done, done_manual, forced, or left (not done)',
      )
      .option('--offset <n>', 'skip this many matching orders (paging)')
      .option('--limit <n>', 'at most this many orders (1–500, default 50)')
      .option('--order <number>', 'one order: its lines, who packed each unit when, and its scan history'),
  ).action(
    action<[string, string]>('session orders', async (ctx, [client, id], options) => {
      const [{ showListOverview, showOrderHistory }, { OverviewQuerySchema }, text] = await Promise.all([
        import('../../app/list-overview.js'),
        import('../../domain/list-overview.js'),
        import('../overview-text.js'),
      ]);
      const req = { client, session: id, list: options.list as string | undefined };
      if (typeof options.order === 'string') {
        const history = await showOrderHistory(ctx.layout, { ...req, order: options.order });
        return { json: history, text: text.historyText(history) };
      }
      const parsed = OverviewQuerySchema.safeParse({
        q: options.search,
        state: options.state,
        offset: options.offset,
        limit: options.limit,
      });
      if (!parsed.success)
        throw new ValidationError(
          `Bad option: ${parsed.error.issues.map((i) => `--${i.path.join('.') === 'q' ? 'search' : i.path.join('.')}: ${i.message}`).join('; ')}.`,
        );
      const overview = await showListOverview(ctx.layout, req, parsed.data);
      return { json: overview, text: text.overviewText(overview) };
    }),
  );

  withCommonOptions(
    session
      .command('open')
      .description(
        'hold a packing list for this station until stdin closes or SIGINT/SIGTERM; prints one JSON line per lease event',
      )
      .argument('<client>', 'client ID')
      .argument('<session>', 'session id')
      .option('--list <name>', 'packing list (needed when the session has several)')
      .option(
        '--take-over',
        'take over the list if its holder has stopped (watches its heartbeat for the stale time first)',
      )
      .option(
        '--station <name>',
        'this station (else config.ini StationName, else PACKDESK_STATION, else host name)',
      )
      .option('--worker <name>', 'the worker at this station'),
  ).action(
    action<[string, string]>('session open', async (ctx, [client, id], options) => {
      const { openList } = await import('../../app/open-list.js');
      const who = identity(ctx, options);
      const print = (e: LeaseEvent) => {
        process.stdout.write(`${JSON.stringify(e)}\n`);
        ctx.logger.info({ lease_event: e }, `lease ${e.event}`);
      };
      const lease = await openList(
        ctx,
        {
          client,
          session: id,
          list: options.list as string | undefined,
          takeOver: options.takeOver === true,
          ...who,
        },
        print,
      );
      const ended = await new Promise<'done' | 'lost'>((resolve) => {
        lease.on('event', (e) => e.event === 'lost' && resolve('lost'));
        process.stdin.on('end', () => resolve('done'));
        process.stdin.on('close', () => resolve('done'));
        process.stdin.on('error', () => resolve('done'));
        process.stdin.resume();
        process.once('SIGINT', () => resolve('done'));
        process.once('SIGTERM', () => resolve('done'));
      });
      if (ended === 'lost') throw lease.lostError();
      await lease.release();
    }),
  );

  withCommonOptions(
    session
      .command('unlock')
      .description(
        'shift lead: release a list held by a station (audited; the station stops saving at its next heartbeat; waits a few seconds before sealing its journal)',
      )
      .argument('<client>', 'client ID')
      .argument('<session>', 'session id')
      .option('--list <name>', 'packing list (needed when the session has several)')
      .requiredOption('--reason <text>', 'why, for the audit record')
      .option('--force', 'release even though the holder still sends heartbeats')
      .option('--yes', 'confirm the release')
      .option('--station <name>', 'the station doing the release')
      .option('--worker <name>', 'the shift lead'),
  ).action(
    action<[string, string]>('session unlock', async (ctx, [client, id], options) => {
      const { unlockList } = await import('../../app/sessions.js');
      if (options.yes !== true)
        throw new ValidationError(
          'Releasing a list stops the station holding it from saving. Confirm with --yes.',
        );
      const result = await unlockList(ctx, {
        client,
        session: id,
        list: options.list as string | undefined,
        reason: String(options.reason),
        force: options.force === true,
        by: identity(ctx, options),
        // The wait is seconds long: say why, on stderr so stdout stays the one result.
        onWait: (_ms, message) => {
          if (!ctx.json) process.stderr.write(`${message}\n`);
        },
      });
      ctx.logger.warn({ unlock: result }, 'packing list force-released');
      return {
        json: result,
        text: `Packing list ${result.list} released from station ${result.released_holder.station ?? 'unknown'} (worker ${result.released_holder.worker ?? 'unknown'}).`,
      };
    }),
  );
}
