// Setting up a data folder and checking a station's view of it.
import type { Settings } from '../domain/settings.js';
import { initDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { probeShare, type ProbeReport } from '../store/share-probe.js';

export async function initialiseDataFolder(
  layout: Layout,
  settings: Settings,
): Promise<{ root: string; created: string[] }> {
  const { created } = await initDataRoot(layout, settings.network.connectionTimeoutMs);
  return { root: layout.root, created };
}

export function checkDataFolder(layout: Layout, settings: Settings): Promise<ProbeReport> {
  return probeShare(layout, settings.network.connectionTimeoutMs);
}
