// Use case: a shift lead changes some of a client's settings (from the web app). The change is applied
// to the file as it is on the share now, under the client's config lock, so two leads editing
// different settings at once both keep their change.
import type { ClientConfig } from '../domain/client-config.js';
import { ValidationError } from '../domain/errors.js';
import { assertClientId } from '../domain/ids.js';
import { PreparationSettingsSchema, type PreparationSettings } from '../domain/preparation-settings.js';
import type { Settings } from '../domain/settings.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { loadClientConfig, updateClientConfig } from '../store/profiles.js';

export type ClientSettingsChange = Partial<
  Pick<
    ClientConfig,
    | 'client_name'
    | 'courier_deadlines'
    | 'barcode_label'
    | 'required_columns'
    | 'packing_rules'
    | 'preparation'
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

/** A client's preparation settings (DESIGN §7), with the defaults filled in. */
export async function preparationSettings(
  deps: { layout: Layout; settings: Settings },
  clientId: string,
): Promise<PreparationSettings> {
  assertClientId(clientId);
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  return (await loadClientConfig(deps.layout, clientId, { fresh: true })).value.preparation;
}

/**
 * Replaces a client's preparation settings with `raw` (e.g. a JSON file a shift lead edited), after
 * checking all of it: every problem is reported with the setting it is in, and nothing is saved.
 */
export async function replacePreparationSettings(
  deps: { layout: Layout; settings: Settings; station: string },
  clientId: string,
  raw: unknown,
): Promise<PreparationSettings> {
  const parsed = PreparationSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 20)
      .map((i) => ({ setting: settingPath(i.path), message: i.message }));
    throw new ValidationError(
      `The preparation settings were not saved: ${parsed.error.issues.length === 1 ? 'one problem' : `${parsed.error.issues.length} problems`}.\n${problems
        .map((p) => `  ${p.setting}: ${p.message}`)
        .join('\n')}`,
      { problems },
    );
  }
  const saved = await changeClientSettings(deps, clientId, { preparation: parsed.data });
  return saved.preparation;
}

/** `rules[0].conditions[1].value`: where a problem is, as a person finds it in the file. */
function settingPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
      '',
    ) || '(settings)'
  );
}
