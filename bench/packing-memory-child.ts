// Run by bench/packing.ts in a fresh process: opens a packing list the way a station resumes one
// (read, validate, index, restore the snapshot) and reports the memory that takes.
import { promises as fs } from 'node:fs';
import { buildPackingListIndex, PackingListSchema } from '../src/domain/packing-list.js';
import { restoreScanState, ScanSnapshotSchema } from '../src/domain/scan-state.js';

const [listFile, snapshotFile] = process.argv.slice(2) as [string, string];
const index = buildPackingListIndex(PackingListSchema.parse(JSON.parse(await fs.readFile(listFile, 'utf8'))));
const state = restoreScanState(
  index,
  ScanSnapshotSchema.parse(JSON.parse(await fs.readFile(snapshotFile, 'utf8'))),
);
(globalThis as { gc?: () => void }).gc?.();
const { rss, heapUsed } = process.memoryUsage();
process.stdout.write(JSON.stringify({ rss, heapUsed, completed: state.completed_orders }));
