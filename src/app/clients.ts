// Use cases for client profiles: create, list, show.
import type { ClientConfig, ClientSummary } from '../domain/client-config.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { createClientProfile, listClientIds, loadClientConfig } from '../store/profiles.js';
import { loadMappings } from '../store/sku-mappings.js';

export interface ClientDeps {
  layout: Layout;
  settings: Settings;
  station: string;
}

export type { ClientSummary };

export async function createClient(
  deps: ClientDeps,
  clientId: string,
  clientName: string,
): Promise<ClientConfig> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  return createClientProfile(deps.layout, { clientId, clientName, station: deps.station });
}

export async function listClients(
  deps: ClientDeps,
): Promise<{ clients: ClientSummary[]; warnings: string[] }> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const clients: ClientSummary[] = [];
  const warnings: string[] = [];
  for (const id of await listClientIds(deps.layout)) {
    // One damaged client must not hide the others from the list.
    try {
      const { value, warning } = await loadClientConfig(deps.layout, id);
      if (warning) warnings.push(warning);
      clients.push({ client_id: id, client_name: value.client_name, created_at: value.created_at });
    } catch (err) {
      warnings.push(`Client ${id}: ${(err as Error).message}`);
    }
  }
  return { clients, warnings };
}

export interface ClientDetails {
  config: ClientConfig;
  mappings: { count: number; revision: number; last_updated: string | null; updated_by: string };
  warnings: string[];
}

export async function showClient(deps: ClientDeps, clientId: string): Promise<ClientDetails> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const config = await loadClientConfig(deps.layout, clientId, { fresh: true });
  const mappings = await loadMappings(deps.layout, clientId, { fresh: true });
  const warnings = [config.warning, mappings.warning].filter((w): w is string => w !== undefined);
  const m = mappings.value;
  return {
    config: config.value,
    mappings: {
      count: Object.keys(m.mappings).length,
      revision: m.revision,
      last_updated: m.last_updated,
      updated_by: m.updated_by,
    },
    warnings,
  };
}
