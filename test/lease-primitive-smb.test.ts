// The proof that lease acquisition rests on: mkdir of one name from both SMB clients at the same
// moment has exactly one winner. (open(..., 'wx') through the FUSE client does not: it gave two
// winners in most rounds when measured, which is why leases never use it.)
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { smbRig } from './helpers/smb-rig.js';

const rig = smbRig();

describe.skipIf(!rig)('mkdir on the SMB rig', () => {
  it('has exactly one winner in each of 200 simultaneous rounds from two clients', async () => {
    const sub = `mkdir-proof-${process.pid}-${Date.now()}`;
    await mkdir(path.join(rig!.pc1, sub));
    const tries = (dir: string) =>
      mkdir(dir).then(
        () => 'won',
        (err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? 'lost' : `error ${err.code}`),
      );
    const outcomes: string[][] = [];
    for (let round = 0; round < 200; round++) {
      const name = `e${String(round).padStart(8, '0')}`;
      outcomes.push(
        await Promise.all([tries(path.join(rig!.pc1, sub, name)), tries(path.join(rig!.pc2, sub, name))]),
      );
    }
    const bad = outcomes
      .map((o, round) => ({ round, o }))
      .filter(({ o }) => o.filter((x) => x === 'won').length !== 1);
    expect(bad).toEqual([]);
  });
});
