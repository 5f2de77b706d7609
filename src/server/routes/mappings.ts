// Barcode → SKU mappings of a client: list/search, set, delete, import a file, export a file.
import path from 'node:path';
import { deleteMapping, listMappings, mappingsFileContent, setMapping } from '../../app/sku-mappings.js';
import { importMappingsOffThread } from '../../app/mapping-import-off-thread.js';
import { ValidationError } from '../../domain/errors.js';
import { assertClientId } from '../../domain/ids.js';
import { normalizeCode } from '../../domain/sku-mapping.js';
import { SetMappingBody } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';

const IMPORT_TYPES = ['.csv', '.xlsx', '.txt', '.tsv'];

export function mappingRoutes(router: Router, ctx: ServerContext): void {
  router.get('/api/clients/:client/mappings', async (req) => {
    const list = await listMappings(ctx, assertClientId(req.params.client!));
    const q = (req.query.get('q') ?? '').trim();
    if (q === '') return { json: list };
    // Search ignores case and punctuation, the way scans are compared.
    const needle = normalizeCode(q);
    const mappings = Object.fromEntries(
      Object.entries(list.mappings).filter(
        ([barcode, sku]) => normalizeCode(barcode).includes(needle) || normalizeCode(sku).includes(needle),
      ),
    );
    return { json: { ...list, mappings, count: Object.keys(mappings).length, total: list.count } };
  });

  router.post('/api/clients/:client/mappings', async (req) => {
    const clientId = assertClientId(req.params.client!);
    const body = await req.json(SetMappingBody);
    const result = await setMapping(ctx, clientId, body.barcode, body.sku);
    ctx.live.publish({ type: 'mappings_changed', client: clientId, revision: result.revision });
    return { status: result.changed ? 201 : 200, json: result };
  });

  router.delete('/api/clients/:client/mappings/:barcode', async (req) => {
    const clientId = assertClientId(req.params.client!);
    const result = await deleteMapping(ctx, clientId, req.params.barcode!);
    ctx.live.publish({ type: 'mappings_changed', client: clientId, revision: result.revision });
    return { json: result };
  });

  router.post('/api/clients/:client/mappings/import', async (req) => {
    const clientId = assertClientId(req.params.client!);
    const name = path.basename(req.query.get('filename') ?? 'mappings.csv');
    const ext = path.extname(name).toLowerCase();
    if (!IMPORT_TYPES.includes(ext)) {
      throw new ValidationError(
        `${name} is not a mapping file packdesk can read: use a .csv or .xlsx file with barcode and sku columns.`,
      );
    }
    const data = await req.upload();
    // Off the thread that answers scans and keeps leases alive: a large file takes seconds to read.
    const result = await importMappingsOffThread(ctx, clientId, data, name);
    ctx.live.publish({ type: 'mappings_changed', client: clientId, revision: result.revision });
    return { json: result };
  });

  router.get('/api/clients/:client/mappings/export', async (req) => {
    const clientId = assertClientId(req.params.client!);
    const format = req.query.get('format') === 'xlsx' ? 'xlsx' : 'csv';
    const { data } = await mappingsFileContent(ctx, clientId, format);
    const type =
      format === 'xlsx'
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv; charset=utf-8';
    return { file: { data, type, name: `sku_mapping_${clientId}.${format}` } };
  });
}
