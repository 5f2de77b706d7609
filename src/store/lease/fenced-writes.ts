// Fenced writes (DESIGN §4.6). Every state write goes to a name that carries the writer's epoch:
// journal segments `segment.<epoch>.jsonl` (append-only, one writer) and snapshots
// `snapshot.<epoch>.<seq>.<name>.json` (new name per write). A new holder first seals every earlier
// epoch: `seal.<epoch>.json` records how many bytes and which snapshots of that epoch were there.
// Readers accept an epoch's writes only up to its seal, so a holder that was frozen, lost its lease
// and woke up can write, but nothing it writes is ever taken as current. A force release or take-over
// seals only after the clients' name-cache margin (sealMarginMs), because until then the old holder
// may still be told "no newer epoch" and acknowledge lines; the seal must count every one of them.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AlreadyExistsError,
  CorruptFileError,
  LeaseLostError,
  ValidationError,
} from '../../domain/errors.js';
import { Seal, type JournalPosition } from '../../domain/journal-files.js';
import { createFileExclusive, storageErrorFor, writeNewFile } from '../atomic-file.js';
import { errorCode } from '../fs-retry.js';
import { parseJsonText } from '../json-file.js';
import { monoNowMs, wallNowIso } from './clock.js';
import { listOrEmpty, readIfExists } from './fs-util.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const segmentName = (epoch: number) => `segment.${pad(epoch, 8)}.jsonl`;
export const sealName = (epoch: number) => `seal.${pad(epoch, 8)}.json`;
// The widths are padding, not limits: an epoch or snapshot number past them is still read, in number order.
const SEGMENT = /^segment\.(\d{8,15})\.jsonl$/;
const SEAL = /^seal\.(\d{8,15})\.json$/;
const SNAPSHOT = /^snapshot\.(\d{8,15})\.(\d{6,15})\.([A-Za-z0-9_-]+)\.json$/;

/** Snapshot names in write order (epoch, then sequence), which is not name order once a number outgrows its padding. */
export function compareSnapshotNames(a: string, b: string): number {
  const x = SNAPSHOT.exec(a);
  const y = SNAPSHOT.exec(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  return (
    Number(x[1]) - Number(y[1]) || Number(x[2]) - Number(y[2]) || (x[3]! < y[3]! ? -1 : x[3]! > y[3]! ? 1 : 0)
  );
}

/** The highest epoch that left anything in a journal folder (segment, seal or snapshot), 0 for none. */
export function highestJournalEpoch(names: string[]): number {
  let max = 0;
  for (const n of names) {
    const m = SEGMENT.exec(n) ?? SEAL.exec(n) ?? SNAPSHOT.exec(n);
    if (m && Number(m[1]) > max) max = Number(m[1]);
  }
  return max;
}

/** What a fenced writer needs from the lease: may it write now, and is it still the newest epoch. */
export interface LeaseGuard {
  readonly epoch: number;
  mayWrite(): boolean;
  checkNotSuperseded(): Promise<boolean>;
  lostError(): LeaseLostError;
  /**
   * How long a write that found a newer epoch waits for its own epoch's seal (default 5 s). Must be
   * longer than the releaser's margin before sealing (holderSealWaitMs), or a holder would answer
   * "not saved" for a line that the seal, written later, counts.
   */
  readonly sealWaitMs?: number;
}

export class FencedWriter {
  private handle: FileHandle | null = null;
  private position = 0;
  /** Bytes past `position` from an append that failed part-way; cut off before the next write. */
  private dirtyTail = false;
  private snapshotSeq = 0;
  /** This epoch's snapshots written and confirmed (not superseded): what a holder's own seal lists. */
  private readonly confirmedSnapshots: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly journalDir: string,
    private readonly guard: LeaseGuard,
  ) {}

  /**
   * Seals every earlier epoch that has no seal yet. A new holder calls this before its first write;
   * after a take-over with `marginMs`, as the old holder may still be writing (see SealOptions).
   */
  sealPrevious(options: SealOptions = {}): Promise<Seal[]> {
    return sealEpochsBefore(this.journalDir, this.guard.epoch, options);
  }

  /**
   * Appends one line to this epoch's segment and fsyncs it. Refuses (LeaseLostError) before writing
   * when the lease is lost or unconfirmed for TTL/2, and after writing when a newer epoch appeared
   * meanwhile: a line is acknowledged only when it is certain to be read as accepted.
   */
  appendFenced(line: string): Promise<void> {
    if (line.includes('\n')) throw new ValidationError('A journal line must not contain a line break.');
    const run = this.queue.then(() => this.appendNow(line));
    this.queue = run.catch(() => {});
    return run;
  }

  private async appendNow(line: string): Promise<void> {
    if (!this.guard.mayWrite()) throw this.guard.lostError();
    const data = Buffer.from(`${line}\n`, 'utf8');
    const file = path.join(this.journalDir, segmentName(this.guard.epoch));
    try {
      const handle = await this.segment();
      await this.cutBackIfNeeded(handle);
      // A write may take fewer bytes than asked (a nearly full disk does exactly that, then fails the
      // rest with ENOSPC): keep writing until the whole line is there, or fail without moving on.
      let written = 0;
      try {
        while (written < data.length) {
          const { bytesWritten } = await handle.write(
            data,
            written,
            data.length - written,
            this.position + written,
          );
          if (bytesWritten <= 0) throw Object.assign(new Error('the write took no bytes'), { code: 'EIO' });
          written += bytesWritten;
        }
        await handle.datasync();
      } catch (err) {
        // Not confirmed, so never acknowledged: the partial line is cut off again (or overwritten by
        // the next append, which starts at the same place), so no hole and no half line stays behind.
        this.dirtyTail = written > 0 || this.dirtyTail;
        await this.cutBackIfNeeded(handle).catch(() => {});
        throw err;
      }
      this.position += data.length;
    } catch (err) {
      throw storageErrorFor(err, 'save the packing progress', file);
    }
    // No newer epoch after the line is on disk: whoever takes over seals this epoch later, from what
    // is on disk then, so the line counts and is acknowledged. With a newer epoch, its seal decides.
    if (await this.guard.checkNotSuperseded()) return;
    if (!(await this.sealCovers(this.position, this.position - data.length))) throw this.guard.lostError();
  }

  /**
   * Whether this epoch's seal counts the bytes up to `end`. The seal is written one margin after the
   * newer epoch is made (by the shift lead's release or the new holder), so it is waited for, longer
   * than that margin. If it does not come (the releaser stopped before sealing), the holder seals its
   * own epoch at `acknowledged`, the end of the lines it has answered as saved, so the line it is about
   * to answer "not saved" never counts: a later sealer finds the seal and keeps it.
   */
  private async sealCovers(end: number, acknowledged: number): Promise<boolean> {
    const deadline = monoNowMs() + (this.guard.sealWaitMs ?? 5_000);
    for (;;) {
      const seal = await readSeal(this.journalDir, this.guard.epoch).catch(() => null);
      if (seal) return seal.bytes >= end;
      if (monoNowMs() > deadline) return (await this.sealOwnEpoch(acknowledged)).bytes >= end;
      await delay(20);
    }
  }

  /**
   * The superseded holder's own seal at `bytes`, created only if no seal exists (a sealer that came
   * late wins, and its seal is the one answered by). Throws when neither can be written or read: the
   * line is then not acknowledged either way, and the station stops on the storage error.
   */
  private async sealOwnEpoch(bytes: number): Promise<Seal> {
    const file = path.join(this.journalDir, sealName(this.guard.epoch));
    const seal: Seal = {
      epoch: this.guard.epoch,
      bytes,
      lines: await linesUpTo(path.join(this.journalDir, segmentName(this.guard.epoch)), bytes),
      snapshots: [...this.confirmedSnapshots],
      // The newer epoch is at least this one; its exact number is not needed to decide what counts.
      sealed_by_epoch: this.guard.epoch + 1,
      sealed_at: wallNowIso(),
      by_holder: true,
    };
    try {
      // Exclusive: a late releaser's seal, if it got there first, is never replaced.
      await createFileExclusive(file, `${JSON.stringify(seal)}\n`);
      return seal;
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw storageErrorFor(err, 'seal its own journal', file);
      const existing = await readSeal(this.journalDir, this.guard.epoch);
      if (!existing) throw storageErrorFor(err, 'seal its own journal', file);
      return existing;
    }
  }

  /** After a failed append: the bytes past the confirmed position are removed before anything else is written. */
  private async cutBackIfNeeded(handle: FileHandle): Promise<void> {
    if (!this.dirtyTail) return;
    await handle.truncate(this.position);
    await handle.datasync();
    this.dirtyTail = false;
  }

  get epoch(): number {
    return this.guard.epoch;
  }

  /** Bytes of this epoch's segment that are written and confirmed: where a snapshot taken now leaves off. */
  get segmentBytes(): number {
    return this.position;
  }

  /** Writes a snapshot under a new name carrying this epoch; returns the file name. */
  /** `sync: false` skips the flush for snapshots that only shorten recovery (a torn one is skipped on reading). */
  async writeSnapshotFenced(name: string, data: string, options: { sync?: boolean } = {}): Promise<string> {
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      throw new ValidationError(`Snapshot name "${name}" may only hold letters, digits, "-" and "_".`);
    if (!this.guard.mayWrite()) throw this.guard.lostError();
    await fs.mkdir(this.journalDir, { recursive: true });
    const file = `snapshot.${pad(this.guard.epoch, 8)}.${pad(++this.snapshotSeq, 6)}.${name}.json`;
    try {
      await writeNewFile(path.join(this.journalDir, file), data, options);
    } catch (err) {
      throw storageErrorFor(err, 'save a snapshot', path.join(this.journalDir, file));
    }
    if (!(await this.guard.checkNotSuperseded()) || !this.guard.mayWrite()) throw this.guard.lostError();
    this.confirmedSnapshots.push(file);
    return file;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle?.close().catch(() => {});
    this.handle = null;
  }

  private async segment(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await fs.mkdir(this.journalDir, { recursive: true });
    const file = path.join(this.journalDir, segmentName(this.guard.epoch));
    // Positional writes on a handle we own: the FUSE SMB client fails O_APPEND opens with EIO.
    try {
      this.handle = await fs.open(file, 'wx');
      this.position = 0;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      this.handle = await fs.open(file, 'r+');
      const size = (await this.handle.stat()).size;
      const text = await this.handle.readFile();
      // Continue after the last complete line; a torn tail from a crash is overwritten.
      this.position = Math.min(size, text.lastIndexOf(0x0a) + 1);
    }
    return this.handle;
  }
}

export interface SealOptions {
  /**
   * Wait this long after epoch `epoch` was made before reading the earlier epochs' lengths: for a
   * force release or take-over, whose old holder may still be writing and, told "no newer epoch" by its
   * name cache, acknowledging. Lines it writes meanwhile fall inside the seal and count. 0 (the
   * default) when the old holder has stopped: it released the list, or its process is gone.
   */
  marginMs?: number;
  /** Told before the wait, so whoever waits can say why. */
  onWait?: (ms: number) => void;
}

/** Epochs before `epoch` that left something and have no seal, and always epoch - 1. */
function unsealedBefore(names: string[], epoch: number): number[] {
  const sealed = new Set(names.flatMap((n) => (SEAL.exec(n) ? [Number(SEAL.exec(n)![1])] : [])));
  const epochs = new Set<number>();
  for (const n of names) {
    const m = SEGMENT.exec(n) ?? SNAPSHOT.exec(n);
    if (m) epochs.add(Number(m[1]));
  }
  if (epoch > 1) epochs.add(epoch - 1);
  return [...epochs].filter((e) => e < epoch && !sealed.has(e)).sort((a, b) => a - b);
}

/**
 * Seals every epoch before `epoch` that left something and has no seal yet, and always epoch - 1 (so
 * a late first write from it counts for nothing). Called by a new holder before its first write, and
 * by a shift lead's force release after it made the new epoch, so the released holder learns which of
 * its last writes count. With `marginMs` the lengths are read only after that wait (see SealOptions).
 */
export async function sealEpochsBefore(
  journalDir: string,
  epoch: number,
  options: SealOptions = {},
): Promise<Seal[]> {
  await fs.mkdir(journalDir, { recursive: true });
  let names = await listOrEmpty(journalDir);
  const waitedMs = unsealedBefore(names, epoch).length > 0 ? Math.round(options.marginMs ?? 0) : 0;
  if (waitedMs > 0) {
    options.onWait?.(waitedMs);
    await delay(waitedMs);
    // Read again: the old holder may have written lines and snapshots meanwhile, all acknowledged.
    names = await listOrEmpty(journalDir);
  }
  const seals: Seal[] = [];
  for (const e of unsealedBefore(names, epoch)) {
    const { bytes, lines } = await completeLines(path.join(journalDir, segmentName(e)));
    const seal: Seal = {
      epoch: e,
      bytes,
      lines,
      snapshots: names.filter((n) => snapshotEpoch(n) === e).sort(compareSnapshotNames),
      sealed_by_epoch: epoch,
      sealed_at: wallNowIso(),
      waited_ms: waitedMs,
    };
    try {
      await writeNewFile(path.join(journalDir, sealName(e)), `${JSON.stringify(seal)}\n`);
    } catch (err) {
      throw storageErrorFor(err, 'seal the earlier journal', path.join(journalDir, sealName(e)));
    }
    seals.push(seal);
  }
  return seals;
}

/**
 * Bytes up to the last line end of a segment, and how many lines that is, read in pieces: a day's
 * segment can be tens of megabytes and a station opening a list should not hold it all at once.
 */
async function completeLines(file: string): Promise<{ bytes: number; lines: number }> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { bytes: 0, lines: 0 };
    throw err;
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    let position = 0;
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      const piece = chunk.subarray(0, bytesRead);
      const last = piece.lastIndexOf(0x0a);
      if (last !== -1) {
        lines += countLines(piece);
        bytes = position + last + 1;
      }
      position += bytesRead;
    }
    return { bytes, lines };
  } finally {
    await handle.close();
  }
}

/** How many lines the first `bytes` bytes of a segment hold (`bytes` ends at a line end). */
async function linesUpTo(file: string, bytes: number): Promise<number> {
  if (bytes === 0) return 0;
  const handle = await fs.open(file, 'r');
  try {
    const data = Buffer.alloc(bytes);
    let read = 0;
    while (read < bytes) {
      const { bytesRead } = await handle.read(data, read, bytes - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return countLines(data.subarray(0, read));
  } finally {
    await handle.close();
  }
}

function countLines(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(0x0a); i !== -1; i = data.indexOf(0x0a, i + 1)) n++;
  return n;
}

export interface AcceptedJournal {
  /** Accepted lines, oldest epoch first, each epoch in write order. */
  entries: { epoch: number; line: string }[];
  /** Lines found past a seal (a superseded holder's late writes), per epoch; never applied. */
  ignored: { epoch: number; lines: number }[];
  /** Accepted snapshot file names, oldest first. */
  snapshots: string[];
}

export const snapshotEpoch = (name: string): number | null => {
  const m = SNAPSHOT.exec(name);
  return m ? Number(m[1]) : null;
};

async function readSeal(journalDir: string, epoch: number): Promise<Seal | null> {
  const text = await readIfExists(path.join(journalDir, sealName(epoch)));
  if (text === null) return null;
  const parsed = parseJsonText(text, Seal);
  if (!parsed.ok)
    throw new CorruptFileError(
      `The journal seal ${sealName(epoch)} is damaged (${parsed.problem}); ask an admin to check the list's journal folder.`,
      { path: path.join(journalDir, sealName(epoch)) },
    );
  return parsed.value;
}

/** Whether a snapshot counts: written by the newest epoch, or listed in its epoch's seal. */
export async function snapshotAccepted(journalDir: string, name: string): Promise<boolean> {
  const epoch = snapshotEpoch(name);
  if (epoch === null) return false;
  const seal = await readSeal(journalDir, epoch);
  return !seal || seal.snapshots.includes(name);
}

/** The names in a list's journal folder: one listing, no file opened. */
export async function journalNames(journalDir: string): Promise<string[]> {
  return listOrEmpty(journalDir);
}

/** A segment's size and its bytes from `offset` on; null when the segment does not exist. */
async function readFrom(file: string, offset: number): Promise<{ size: number; data: Buffer } | null> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  try {
    const size = (await handle.stat()).size;
    const data = Buffer.alloc(Math.max(0, size - offset));
    let read = 0;
    while (read < data.length) {
      const { bytesRead } = await handle.read(data, read, data.length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { size, data: data.subarray(0, read) };
  } finally {
    await handle.close();
  }
}

/**
 * The reader side of fencing: every epoch's writes up to its seal, the newest unsealed epoch whole
 * (minus a torn tail). With `from`, epochs before it are not read at all and its own segment only
 * from the offset on, so opening a list costs what happened since its last snapshot, not its history.
 */
export async function readAccepted(
  journalDir: string,
  from?: JournalPosition,
  names?: string[],
): Promise<AcceptedJournal> {
  names ??= await listOrEmpty(journalDir);
  const firstEpoch = from?.epoch ?? 0;
  const seals = new Map<number, Seal>();
  const epochs = new Set<number>();
  for (const n of names) {
    const m = SEGMENT.exec(n) ?? SNAPSHOT.exec(n) ?? SEAL.exec(n);
    if (m && Number(m[1]) >= firstEpoch) epochs.add(Number(m[1]));
  }
  for (const epoch of epochs) {
    const seal = await readSeal(journalDir, epoch);
    if (seal) seals.set(epoch, seal);
  }
  const result: AcceptedJournal = { entries: [], ignored: [], snapshots: [] };
  // Every epoch known to have written: its segment, or a seal or the snapshot's position saying so.
  const written = new Set(
    names
      .flatMap((n) => (SEGMENT.exec(n) ? [Number(SEGMENT.exec(n)![1])] : []))
      .filter((e) => e >= firstEpoch),
  );
  for (const [epoch, seal] of seals) if (seal.bytes > 0) written.add(epoch);
  if (from && from.offset > 0) written.add(from.epoch);
  const segments = [...written].sort((a, b) => a - b);
  for (const epoch of segments) {
    const offset = from && epoch === from.epoch ? from.offset : 0;
    const file = path.join(journalDir, segmentName(epoch));
    const seal = seals.get(epoch);
    const segment = await readFrom(file, offset);
    const data = segment?.data ?? Buffer.alloc(0);
    const complete = data.lastIndexOf(0x0a) + 1;
    // Shorter than what is known to have been written (its seal, or the snapshot that read it): the
    // missing part held acknowledged scans, so this is damage, never a quiet shorter history.
    const known = Math.max(seal?.bytes ?? 0, offset);
    const have = segment === null ? 0 : segment.size < offset ? segment.size : offset + complete;
    if (have < known) {
      const by =
        seal && seal.bytes === known
          ? `its seal says ${seal.bytes} bytes (${seal.lines} records) were written`
          : `a snapshot had already read ${offset} bytes of it`;
      throw new CorruptFileError(
        `The packing journal file ${segmentName(epoch)} ${segment === null ? 'is missing' : `has only ${have} bytes`}, but ${by}: acknowledged scans are missing. ` +
          "Restore the list's journal folder from a backup, or ask a shift lead to check the list before packing continues.",
        { journal: journalDir, segment: segmentName(epoch), have_bytes: have, known_bytes: known },
      );
    }
    const accepted = seal ? Math.max(0, Math.min(seal.bytes - offset, complete)) : complete;
    const text = data.subarray(0, accepted).toString('utf8');
    for (const line of text.split('\n')) if (line.length > 0) result.entries.push({ epoch, line });
    const late = countLines(data.subarray(accepted, complete));
    if (late > 0) result.ignored.push({ epoch, lines: late });
  }
  result.snapshots = names
    .filter((n) => {
      const epoch = snapshotEpoch(n);
      if (epoch === null || epoch < firstEpoch) return false;
      const seal = seals.get(epoch);
      return !seal || seal.snapshots.includes(n);
    })
    .sort(compareSnapshotNames);
  return result;
}
