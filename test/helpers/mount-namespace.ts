// Mounts that exist only for a test: a process in a private mount namespace (`unshare -m`, needs
// root on Linux) runs the given mount commands and then waits; every path seen through
// /proc/<pid>/root is in that namespace. Ending the process tears the mounts down with it.
import { spawn } from 'node:child_process';
import { waitFor } from './wait.js';

export const canMount = process.platform === 'linux' && process.getuid?.() === 0;

export interface PrivateMounts {
  /** Prefix that makes an absolute path resolve inside the namespace. */
  prefix: string;
  close(): Promise<void>;
}

/** `commands` is a shell script; "$1", "$2", … are `args`. */
export async function privateMounts(commands: string, args: string[]): Promise<PrivateMounts> {
  const holder = spawn(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      `set -e; ${commands}; echo mounted; exec cat`,
      'sh',
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let out = '';
  holder.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  holder.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = new Promise<void>((resolve) => holder.on('close', () => resolve()));
  await waitFor(() => out.includes('mounted') || holder.exitCode !== null, 'the private mounts', 10_000);
  if (!out.includes('mounted')) throw new Error(`could not mount: ${out}`);
  return {
    prefix: `/proc/${holder.pid}/root`,
    close: async () => {
      holder.stdin.end();
      await closed;
    },
  };
}
