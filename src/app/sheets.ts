// The printable A4 sheets of a packing desk: the station's command codes, and a client's open lists.
import { listBarcodeText } from '../domain/order-barcode.js';
import type { Settings } from '../domain/settings.js';
import { STATION_COMMAND_KEYS } from '../domain/station-keys.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { loadClientConfig } from '../store/profiles.js';
import { commandSheetPdf, listSheetPdf, type SheetList } from './print/sheet-pdf.js';
import { listSessions } from './sessions.js';

export function commandSheet(): Promise<Buffer> {
  return commandSheetPdf(STATION_COMMAND_KEYS);
}

export interface ListSheet {
  pdf: Buffer;
  lists: SheetList[];
}

/** Every list of the client that is not completed, newest session first. */
export async function listSheet(
  deps: { layout: Layout; settings: Settings },
  client: string,
): Promise<ListSheet> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const [config, sessions] = await Promise.all([
    loadClientConfig(deps.layout, client),
    listSessions(deps, client),
  ]);
  const lists: SheetList[] = sessions.flatMap((s) =>
    s.lists
      .filter((l) => l.state !== 'completed')
      .map((l) => ({
        code: listBarcodeText({ client, session: s.session, list: l.name }),
        list: l.name,
        session: s.session,
        progress: `${l.orders_done}/${l.orders_total} orders · ${l.state.replace('_', ' ')}`,
      })),
  );
  const pdf = await listSheetPdf({ id: client, name: config.value.client_name }, lists);
  return { pdf, lists };
}
