import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

interface ProbeReport {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string }[];
  latency_ms: { p50: number; p95: number };
  clock_difference_ms: number;
}

describe('packdesk init and doctor on a local folder', () => {
  it('init creates the seed layout and is safe to repeat', async () => {
    const root = path.join(dir, 'data');
    expect(await runCliJson(['init', '--root', root])).toEqual({
      root,
      created: ['CLIENTS', 'SESSIONS', 'STATS'],
    });
    expect(await runCliJson(['init', '--root', root])).toEqual({ root, created: [] });
    expect((await fs.readdir(root)).sort()).toEqual(['CLIENTS', 'SESSIONS', 'STATS']);
  });

  it('doctor checks every step and reports latency and clock difference', async () => {
    const root = path.join(dir, 'data');
    await runCliJson(['init', '--root', root]);
    const report = await runCliJson<ProbeReport>(['doctor', '--root', root]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'reachable',
      'layout',
      'write',
      'exclusive create',
      'rename',
      'latency',
      'clock',
    ]);
    expect(report.latency_ms.p95).toBeGreaterThanOrEqual(report.latency_ms.p50);
    expect(Math.abs(report.clock_difference_ms)).toBeLessThan(2_000);
    // The doctor cleans up after itself.
    expect((await fs.readdir(root)).sort()).toEqual(['CLIENTS', 'SESSIONS', 'STATS']);
  });

  it('doctor on a folder that does not exist fails with a clear message', async () => {
    const result = await runCli(['doctor', '--root', path.join(dir, 'nowhere'), '--json']);
    expect(result.code).not.toBe(0);
    expect(JSON.parse(result.stderr).message).toMatch(/failed the "reachable" check/);
  });

  it('doctor on a folder that is not set up tells the user to run init', async () => {
    const result = await runCli(['doctor', '--root', dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/run "packdesk init"/);
  });

  it('init on a read-only share says it may not write there', async () => {
    const root = path.join(dir, 'readonly');
    await fs.mkdir(root);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', root]);
    else await fs.chmod(root, 0o555);
    try {
      const result = await runCli(['init', '--root', root, '--json']);
      expect(result.code).toBe(7);
      expect(JSON.parse(result.stderr)).toMatchObject({
        error: 'STORAGE',
        message: expect.stringMatching(/may not write/),
      });
      const doctor = await runCli(['doctor', '--root', root]);
      expect(doctor.code).not.toBe(0);
    } finally {
      if (asRoot) execFileSync('umount', [root]);
    }
  });
});
