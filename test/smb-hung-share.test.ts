// A file server that stops answering (smbd frozen with SIGSTOP) must give an error within
// ConnectionTimeout instead of a station that hangs. Runs on its own rig (SMB_HANG_RIG_*), because
// freezing the server would stall every other test using the shared rig.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli, tempDir } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

const pc1 = process.env.SMB_HANG_RIG_PC1;
const rigDir = process.env.SMB_HANG_RIG_DIR;
if (!pc1 && process.env.CI === 'true')
  throw new Error('CI runs without the second SMB rig: .ci/run must start it.');

function smbdPids(): string[] {
  const out = execFileSync('pgrep', ['-f', `${rigDir}/.smbrig/srv/smb.conf`], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe.skipIf(!pc1)('a hung file server', () => {
  let frozen: string[] = [];
  afterAll(() => {
    if (frozen.length > 0) execFileSync('kill', ['-CONT', ...frozen]);
  });

  it('gives a network error within ConnectionTimeout', async () => {
    const { dir, cleanup } = await tempDir();
    const config = path.join(dir, 'config.ini');
    await writeFile(config, '[Network]\nConnectionTimeout = 1\n');
    const root = path.join(pc1!, `hung-${process.pid}`);
    const init = startCli(['init', '--root', root, '--config', config]);
    await new Promise((resolve) => init.on('close', resolve));

    frozen = smbdPids();
    execFileSync('kill', ['-STOP', ...frozen]);
    const started = Date.now();
    const child = startCli(['doctor', '--root', root, '--config', config, '--json']);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const answered = await waitFor(() => stderr.includes('\n') && Date.now() - started, 'the error', 15_000);
    // 1 s of ConnectionTimeout plus the start of a Node process.
    expect(answered).toBeLessThan(3_000);
    expect(JSON.parse(stderr)).toMatchObject({
      error: 'NETWORK',
      message: expect.stringMatching(/did not answer within 1\.0 s/),
    });

    execFileSync('kill', ['-CONT', ...frozen]);
    frozen = [];
    // The FUSE client keeps the process until the server answers its stuck call; wait for it to go.
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('close', resolve)));
    await cleanup();
  }, 90_000);
});
