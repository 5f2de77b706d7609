// `packdesk pack`: a terminal packing station. One scan or command word per line on stdin (a USB
// scanner typing into the terminal works); each outcome is printed once its event is on the share.
import os from 'node:os';
import readline from 'node:readline';
import type { Command } from 'commander';
import type { StationOutcome } from '../../app/packing-station.js';
import type { LeaseEvent } from '../../app/open-list.js';
import { packLine } from '../../contract/pack-line.js';
import { StorageError } from '../../domain/errors.js';
import { action, withCommonOptions } from '../output.js';

function outcomeLine(o: StationOutcome, json: boolean): string {
  if (json) {
    const { kind, order, sku, packed, required, message } = o;
    return packLine(kind, message, {
      order,
      sku,
      packed,
      required,
      order_packed: o.order_packed,
      order_required: o.order_required,
    });
  }
  const counts = o.packed !== null && o.required !== null ? ` [${o.packed}/${o.required}]` : '';
  return `${o.kind.toUpperCase().padEnd(20)} ${o.message}${counts}`;
}

function notSavedLine(err: StorageError, json: boolean): string {
  const message = `Not saved, scan it again: ${err.message}`;
  if (!json) return `${'NOT_SAVED'.padEnd(20)} ${message}`;
  return packLine('not_saved', message);
}

export function registerPackCommands(program: Command): void {
  withCommonOptions(
    program
      .command('pack')
      .description(
        'pack a list at this terminal: one scan or command word per line (see docs/packing-station.md)',
      )
      .argument('<client>', 'client id')
      .argument('<session>', 'session id')
      .option('--list <name>', 'packing list (needed when the session has several)')
      .option(
        '--worker <name>',
        'who is packing (default: config.ini [UI] DefaultWorker, else the login name)',
      )
      .option(
        '--station <name>',
        "this station's name (default: config.ini [General] StationName, else the host name)",
      )
      .option('--pin <digits>', "the worker's PIN, when the worker has one (else PACKDESK_PIN)")
      .option('--take-over', 'take the list over from a station that stopped (only when its lease is stale)'),
  ).action(
    action<[string, string]>('pack', async (ctx, [client, session], options) => {
      // Loaded here: other commands do not pay for the station, the workers and their PINs at start-up.
      const [{ PackingStation }, { PinAttempts }, { admitWorker }, { isPauseWord }] = await Promise.all([
        import('../../app/packing-station.js'),
        import('../../app/worker-pins.js'),
        import('../../app/workers.js'),
        import('../../domain/station-keys.js'),
      ]);
      const station = (options.station as string | undefined) ?? ctx.station;
      const worker =
        (options.worker as string | undefined) ?? ctx.settings.ui.defaultWorker ?? os.userInfo().username;
      // Text lines carry product and worker names from the share: control characters (a terminal
      // escape sequence in a product name) are shown as "?" instead of acting on the terminal.
      const print = (line: string) =>
        process.stdout.write(`${ctx.json ? line : line.replace(/[\p{Cc}]/gu, '?')}\n`);
      let lost = false;
      // The lease event and the next scan's answer both say the list is lost: print it once.
      const onLease = (e: LeaseEvent) => {
        // A take-over waits some seconds before it seals the old holder's journal: say why, on
        // stderr, so stdout keeps one line per answer.
        if (e.event === 'sealing' && !ctx.json) process.stderr.write(`${e.message}\n`);
        if (e.event === 'lost' && !lost) {
          lost = true;
          print(ctx.json ? packLine('lease_lost', e.message) : `LEASE_LOST           ${e.message}`);
        }
      };
      // The scans are journaled as this worker: one with a PIN must give it here too.
      await admitWorker(
        { layout: ctx.layout, settings: ctx.settings, station },
        new PinAttempts(),
        worker,
        { pin: (options.pin as string | undefined) ?? process.env.PACKDESK_PIN ?? null },
        'terminal',
      );
      const packing = await PackingStation.open(
        { layout: ctx.layout, settings: ctx.settings, logger: ctx.logger },
        {
          client,
          session,
          list: options.list as string | undefined,
          station,
          worker,
          takeOver: options.takeOver === true,
          // Naming the list at this command is deliberate enough to open it again after it was ended.
          reopen: true,
        },
        onLease,
      );
      const view = packing.view();
      const ready = `Packing list ${view.list} open at station ${station} for ${worker}: ${view.progress.orders_done} of ${view.progress.orders_total} orders done.`;
      print(
        ctx.json
          ? packLine('station_ready', ready, {
              packed: view.progress.orders_done,
              required: view.progress.orders_total,
              epoch: packing.epoch,
            })
          : ready,
      );

      const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
      let ended = false;
      const stop = async () => {
        input.close();
        if (!ended) await packing.close();
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      for await (const line of input) {
        // The printed "close" code pauses the list here as it does in the web station.
        if (isPauseWord(line)) break;
        let answer: StationOutcome | null;
        try {
          answer = await packing.handle(line);
        } catch (err) {
          // A scan the share could not take (full, read-only, not answering) was not saved and is not
          // counted; the station keeps going so the packer can scan it again once the share is back.
          if (!(err instanceof StorageError)) throw err;
          print(notSavedLine(err, ctx.json));
          continue;
        }
        if (!answer) continue;
        if (answer.kind === 'lease_lost') {
          if (!lost) print(outcomeLine(answer, ctx.json));
          lost = true;
          break;
        }
        print(outcomeLine(answer, ctx.json));
        if (answer.kind === 'ended') ended = true;
        if (ended || lost) break;
      }
      if (lost) {
        process.exitCode = 9;
        return;
      }
      if (!ended) {
        await packing.close();
        print(
          ctx.json
            ? packLine('paused', `Packing list ${view.list} paused; open it again to continue.`)
            : `Packing list ${view.list} paused.`,
        );
      }
    }),
  );
}
