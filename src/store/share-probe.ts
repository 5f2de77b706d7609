// `packdesk doctor`: measures what the shared folder really does on this PC, step by step, each
// step bounded by ConnectionTimeout so a hung share is reported instead of freezing the check.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PackdeskError } from '../domain/errors.js';
import { replaceFileAtomic } from './atomic-file.js';
import { rootProblem } from './data-root.js';
import { errorCode } from './fs-retry.js';
import { TOP_LEVEL_DIRS, type Layout } from './layout.js';
import { withTimeout } from './timeout.js';

export interface ProbeCheck {
  name: string;
  ok: boolean;
  /** Something works but deserves attention (e.g. O_EXCL not exclusive, clock far off). */
  warning?: string;
  detail: string;
  ms: number;
}

export interface ProbeReport {
  root: string;
  ok: boolean;
  checks: ProbeCheck[];
  latency_ms?: { p50: number; p95: number; samples: number };
  clock_difference_ms?: number;
}

type StepResult = { detail: string; warning?: string };

export async function probeShare(
  layout: Layout,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<ProbeReport> {
  const report: ProbeReport = { root: layout.root, ok: true, checks: [] };
  const scratch = path.join(layout.root, `.doctor-${process.pid}-${randomBytes(3).toString('hex')}`);

  let hung = false;
  const step = async (name: string, run: () => Promise<StepResult>): Promise<boolean> => {
    if (hung) return false;
    const started = performance.now();
    try {
      const result = await withTimeout(run(), timeoutMs, `check "${name}"`);
      report.checks.push({ name, ok: true, ms: round(performance.now() - started), ...result });
      return true;
    } catch (err) {
      // Node's own messages already start with the code ("ENOENT: no such file…"): not twice.
      const message = (err as Error)?.message ?? String(err);
      const code = errorCode(err);
      const detail =
        err instanceof PackdeskError || !code || message.startsWith(code) ? message : `${code}: ${message}`;
      report.checks.push({ name, ok: false, detail, ms: round(performance.now() - started) });
      report.ok = false;
      // After one timeout the share is hung: further steps would only each wait out the deadline too.
      if (err instanceof PackdeskError && err.code === 'NETWORK') hung = true;
      return false;
    }
  };

  const reachable = await step('reachable', async () => {
    const stat = await fs.stat(layout.root).catch((err: unknown) => {
      throw rootProblem(err, layout.root);
    });
    if (!stat.isDirectory()) throw new Error(`${layout.root} is not a folder`);
    return { detail: `${layout.root} answers` };
  });
  if (!reachable) return report;

  await step('layout', async () => {
    const missing: string[] = [];
    for (const dir of TOP_LEVEL_DIRS)
      if (!(await fs.stat(path.join(layout.root, dir)).catch(() => null))) missing.push(dir);
    if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run "packdesk init"`);
    return { detail: TOP_LEVEL_DIRS.join(', ') + ' present' };
  });

  const writable = await step('write', async () => {
    await fs.mkdir(scratch);
    const file = path.join(scratch, 'write-test.txt');
    await fs.writeFile(file, 'packdesk');
    if ((await fs.readFile(file, 'utf8')) !== 'packdesk') throw new Error('read back different content');
    return { detail: 'create, write and read back work' };
  });
  if (!writable) return report;

  try {
    await step('exclusive create', async () => {
      const dir = path.join(scratch, 'mkdir-test');
      await fs.mkdir(dir);
      const second = await fs.mkdir(dir).then(
        () => 'created twice',
        (e) => errorCode(e),
      );
      if (second !== 'EEXIST') throw new Error(`a second mkdir of the same name gave ${second}, not EEXIST`);
      const file = path.join(scratch, 'wx-test');
      await fs.writeFile(file, 'a', { flag: 'wx' });
      const again = await fs.writeFile(file, 'b', { flag: 'wx' }).then(
        () => 'created twice',
        (e) => errorCode(e),
      );
      return again === 'EEXIST'
        ? { detail: 'mkdir and O_EXCL refuse an existing name' }
        : {
            detail: 'mkdir refuses an existing name',
            warning: `O_EXCL create gave ${again}: packdesk locks use mkdir`,
          };
    });

    await step('rename', async () => {
      const file = path.join(scratch, 'replace-test.json');
      await replaceFileAtomic(file, 'old');
      await replaceFileAtomic(file, 'new content');
      const text = await fs.readFile(file, 'utf8');
      if (text !== 'new content') throw new Error(`after replace the file reads "${text}"`);
      return { detail: 'atomic replace (temp file + rename) works' };
    });

    await step('latency', async () => {
      const samples: number[] = [];
      // Journals are appended by writing at a known offset: the O_APPEND flag makes some SMB clients fail with EIO.
      const handle = await fs.open(path.join(scratch, 'latency.bin'), 'wx');
      try {
        for (let i = 0, offset = 0; i < 20; i++) {
          const started = performance.now();
          const line = Buffer.from(`scan ${i}\n`);
          await handle.write(line, 0, line.length, offset);
          offset += line.length;
          await handle.datasync();
          samples.push(performance.now() - started);
        }
      } finally {
        await handle.close();
      }
      samples.sort((a, b) => a - b);
      report.latency_ms = { p50: round(samples[9]!), p95: round(samples[18]!), samples: samples.length };
      const warning =
        report.latency_ms.p95 > 50 ? 'the share is slow: scans will take longer to confirm' : undefined;
      return {
        detail: `append + sync: p50 ${report.latency_ms.p50} ms, p95 ${report.latency_ms.p95} ms`,
        ...(warning && { warning }),
      };
    });

    await step('clock', async () => {
      const file = path.join(scratch, 'clock-test');
      const before = now();
      await fs.writeFile(file, 'x');
      const after = now();
      const mtime = (await fs.stat(file)).mtimeMs;
      // The share stamps the file with the server's clock; compare it with this PC's.
      const difference = Math.round(mtime - (before + after) / 2);
      report.clock_difference_ms = difference;
      const detail = `file times on the share differ from this PC's clock by ${difference} ms`;
      return Math.abs(difference) > 2_000
        ? {
            detail,
            warning: 'clocks differ: packdesk leases do not depend on it, but report times may look shifted',
          }
        : { detail };
    });
  } finally {
    if (!hung)
      await withTimeout(fs.rm(scratch, { recursive: true, force: true }), timeoutMs, 'clean up').catch(
        () => {},
      );
  }
  return report;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
