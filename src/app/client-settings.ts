// Use case: a shift lead changes some of a client's settings (from the web app). The change is applied
// to the file as it is on the share now, under the client's config lock, so two leads editing
// different settings at once both keep their change.
import type { ClientConfig } from '../domain/client-config.js';
import { assertClientId } from '../domain/ids.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { updateClientConfig } from '../store/profiles.js';

export type ClientSettingsChange = Partial<
  Pick<
    ClientConfig,
    'client_name' | 'courier_deadlines' | 'barcode_label' | 'required_columns' | 'packing_rules' | 'preparation'
  >
>;

export async function changeClientSettings(
  deps: { layout: Layout; settings: Settings; station: string },
  clientId: string,
  change: ClientSettingsChange,
): Promise<ClientConfig> {
  assertClientId(clientId);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const { heartbeatMs, staleMs } = deps.settings.locking;
  const saved = await updateClientConfig(deps.layout, clientId, (config) => ({ ...config, ...change }), {
    station: deps.station,
    lock: { heartbeatMs, staleMs, waitMs: staleMs * 2 + 10_000 },
  });
  return saved.value;
}
