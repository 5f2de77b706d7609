// What the API tells a browser about a packing station it drives: the lease, the open order with its
// lines, progress, and the last outcome. One shape for the GET, the open and scan answers and the
// live `station` event.
import { z } from 'zod';
import { STATION_OUTCOME_KINDS } from '../domain/scan-outcomes.js';
import {
  StationLeaseSchema,
  StationLineSchema,
  StationOutcomeViewSchema,
  StationStateSchema,
  type StationLine,
  type StationOutcomeView,
  type StationState,
} from '../domain/station-view.js';

// The station view is built by the domain's stationView, so its schema lives there too; here it is part of the contract.
export {
  STATION_OUTCOME_KINDS,
  StationLeaseSchema,
  StationLineSchema,
  StationOutcomeViewSchema,
  StationStateSchema,
};
export type { StationLine, StationOutcomeView, StationState };

/** POST /api/stations/:station/scan: the outcome (null for a blank line) once it is durable, and the state after it. */
export const ScanAnswerSchema = z.object({
  outcome: StationOutcomeViewSchema.nullable(),
  state: StationStateSchema,
});
export type ScanAnswer = z.infer<typeof ScanAnswerSchema>;

export const StationListSchema = z.object({ stations: z.array(StationStateSchema) });
export const StationClosedSchema = z.object({ station: z.string(), closed: z.literal(true) });
