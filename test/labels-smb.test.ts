// Labels over the SMB rig: one PC prints a list, the other reprints from its own mount and gets the
// numbers already on the boxes; both printing at once agree on the numbers. The PDFs read back from
// the other PC's mount decode as printed.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { printOrderLabels } from '../src/app/labels.js';
import { createSession } from '../src/app/sessions.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { initDataRoot } from '../src/store/data-root.js';
import { Layout } from '../src/store/layout.js';
import { decodePages, pdfToolsMissing } from './helpers/pdf-tools.js';
import { makeList } from './helpers/packing-lists.js';
import { ordersSpec } from './helpers/packing-session.js';
import { smbRig } from './helpers/smb-rig.js';

const rig = smbRig();

describe.skipIf(!rig || pdfToolsMissing())('labels over SMB', () => {
  it('keeps the numbering across two PCs and their PDFs decode from the other mount', async () => {
    const sub = `labels-smb-${process.pid}-${Date.now()}`;
    const pc1 = { layout: new Layout(path.join(rig!.pc1, sub, 'root')), settings: DEFAULT_SETTINGS };
    const pc2 = { layout: new Layout(path.join(rig!.pc2, sub, 'root')), settings: DEFAULT_SETTINGS };
    // The share folder exists; packdesk makes only the data folder in it.
    await mkdir(path.join(rig!.pc1, sub));
    await initDataRoot(pc1.layout, 10_000);
    await createClient({ ...pc1, station: 'PC1' }, 'M', 'M Ltd');
    const file = path.join(rig!.pc1, sub, 'DHL.json');
    await writeFile(file, JSON.stringify(makeList(ordersSpec(20), 'DHL')));
    const one = await createSession(pc1, 'M', [{ file }], { station: 'PC1', worker: 'w' });
    const two = await createSession(pc1, 'M', [{ file }], { station: 'PC1', worker: 'w' });

    // Printed at PC1, reprinted at PC2.
    const first = await printOrderLabels(pc1, { client: 'M', session: one.session_id });
    const again = await printOrderLabels(pc2, { client: 'M', session: one.session_id, from: 5, to: 6 });
    expect(again.labels.map((l) => [l.order, l.number])).toEqual([
      ['#1005', 5],
      ['#1006', 6],
    ]);
    expect(first.labels).toHaveLength(20);
    const fromOtherPc = path.join(rig!.pc1, sub, 'root', path.relative(pc2.layout.root, again.file));
    expect(await decodePages(fromOtherPc, 203)).toEqual([['1005'], ['1006']]);

    // Both PCs print the other session at the same moment.
    const [a, b] = await Promise.all([
      printOrderLabels(pc1, { client: 'M', session: two.session_id }),
      printOrderLabels(pc2, { client: 'M', session: two.session_id }),
    ]);
    expect(a.labels.map((l) => l.number)).toEqual(b.labels.map((l) => l.number));
    // The FUSE client has no exclusive create and shows new files late, so both PCs may each write
    // a record; they agree, and a later print from either PC gives the same numbers.
    const records = await readdir(pc1.layout.listNumberingDir('M', two.session_id, 'DHL'));
    expect(records.filter((r) => /^numbering-\d+\.json$/.test(r)).length).toBeGreaterThanOrEqual(1);
    const later = await printOrderLabels(pc2, { client: 'M', session: two.session_id });
    expect(later.labels.map((l) => [l.order, l.number])).toEqual(a.labels.map((l) => [l.order, l.number]));
  });
});
