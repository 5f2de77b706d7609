// Packing stations driven by browsers: open a list, scan (or send a command word), look, close.
import { assertClientId, assertSafeName } from '../../domain/ids.js';
import { OpenStationBody, ScanBody, StationAliveBody, StationNameSchema } from '../api-schemas.js';
import type { ServerContext } from '../context.js';
import type { Router } from '../router.js';
import { admitWorker } from '../../app/workers.js';
import { callerAddress } from '../security.js';
import { StationRegistry } from '../stations.js';
import { ValidationError } from '../../domain/errors.js';

function stationParam(value: string): string {
  const parsed = StationNameSchema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError(
      `Station name "${value.slice(0, 40)}" is not valid: ${parsed.error.issues[0]?.message ?? ''}.`,
    );
  return parsed.data;
}

export function stationRoutes(router: Router, ctx: ServerContext): void {
  const stations = new StationRegistry(ctx);

  router.get('/api/stations', async () => ({ json: { stations: stations.all() } }));

  router.post('/api/stations/:station/open', async (req) => {
    const name = stationParam(req.params.station!);
    const body = await req.json(OpenStationBody);
    // The worker named here is who every scan is journaled as: a worker with a PIN must prove it.
    await admitWorker(
      ctx,
      ctx.pins,
      body.worker,
      { pin: body.pin, pass: body.worker_pass },
      callerAddress(req.raw),
    );
    const state = await stations.open(name, {
      client: assertClientId(body.client),
      session: assertSafeName(body.session, 'Session id'),
      list: assertSafeName(body.list, 'Packing list name'),
      worker: body.worker,
      takeOver: body.take_over,
      tab: body.tab,
      reopen: body.reopen,
    });
    return { json: state };
  });

  router.get('/api/stations/:station', async (req) => {
    const name = stationParam(req.params.station!);
    return { json: stations.state(name) };
  });

  router.post('/api/stations/:station/scan', async (req) => {
    const name = stationParam(req.params.station!);
    const body = await req.json(ScanBody);
    return { json: await stations.scan(name, body.text, body.event_id, body.tab) };
  });

  router.post('/api/stations/:station/alive', async (req) => {
    const name = stationParam(req.params.station!);
    const body = await req.json(StationAliveBody);
    return { json: stations.alive(name, body.tab) };
  });

  router.post('/api/stations/:station/close', async (req) => {
    const name = stationParam(req.params.station!);
    await stations.close(name);
    return { json: { station: name, closed: true } };
  });
}
