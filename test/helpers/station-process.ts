// A `packdesk pack --json` process driven line by line: what a scanner types in, what the station
// answers, and a way to kill it at any moment. Waiting is on the process's own output or exit.
import type { ChildProcess } from 'node:child_process';
import { startCli } from './cli.js';
import { PackLineSchema, type PackLine } from '../../src/contract/pack-line.js';

/** A `packdesk pack --json` line, as the API contract defines it (checked as each line is read). */
export type StationLine = PackLine;

export class StationProcess {
  readonly child: ChildProcess;
  readonly lines: StationLine[] = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffer = '';
  private wake: (() => void) | null = null;

  /** `deadlineMs`: how long `line()` waits for a line by default (longer on a slow share). */
  constructor(
    args: string[],
    private readonly deadlineMs = 30_000,
  ) {
    this.child = startCli(args);
    this.child.stdin!.on('error', () => {
      // Writing to a station that was just killed: the line was never taken, which the caller knows.
    });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.buffer += d;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const text = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (text.trim() !== '') this.lines.push(PackLineSchema.parse(JSON.parse(text)));
      }
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The `index`-th output line (0 = station_ready), or null when the process ended before printing it. */
  async line(index: number, deadlineMs = this.deadlineMs): Promise<StationLine | null> {
    const started = Date.now();
    for (;;) {
      if (this.lines.length > index) return this.lines[index]!;
      if (this.exit) return null;
      if (Date.now() - started > deadlineMs)
        throw new Error(`station printed no line ${index} within ${deadlineMs} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 1_000).unref();
      });
    }
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin!.end();
  }

  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.exit) this.child.kill('SIGKILL');
    return this.exited;
  }
}
