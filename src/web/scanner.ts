// Keyboard-wedge scanner input. A scanner "types" a barcode as fast keystrokes ending in Enter or
// Tab; a person types slowly. Every keystroke of the page goes into one buffer; at Enter we decide:
// a fast burst is decoded from the physical keys (`code`) with a US key map, because scanners type
// US key positions and a French, UK or Cyrillic OS layout would turn them into other characters
// (`key`); slow typing is taken as the person's own characters (`key`), so manual entry works on any
// layout. Written against a minimal key-event shape so it runs in tests without a browser.

export interface KeyLike {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** Milliseconds, monotonic (event.timeStamp). */
  timeStamp: number;
}

export interface ScanInput {
  text: string;
  source: 'scanner' | 'keyboard';
}

export interface WedgeOptions {
  /** Largest gap between two keystrokes of one scan. */
  maxGapMs: number;
  /** Shortest burst taken as a scan. */
  minLength: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 50, minLength: 3 };

const SHIFTED_DIGITS = ')!@#$%^&*(';
const US_PUNCTUATION: Record<string, [string, string]> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Backquote: ['`', '~'],
  Space: [' ', ' '],
  NumpadSubtract: ['-', '-'],
  NumpadAdd: ['+', '+'],
  NumpadDecimal: ['.', '.'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};

/** The character a US keyboard gives for a physical key, or null for keys outside the map. */
export function usCharacter(code: string, shift: boolean): string | null {
  let m = /^Key([A-Z])$/.exec(code);
  if (m) return shift ? m[1]! : m[1]!.toLowerCase();
  m = /^Digit(\d)$/.exec(code);
  if (m) return shift ? SHIFTED_DIGITS[Number(m[1])]! : m[1]!;
  m = /^Numpad(\d)$/.exec(code);
  if (m) return m[1]!;
  const pair = US_PUNCTUATION[code];
  return pair ? pair[shift ? 1 : 0] : null;
}

/**
 * The US character for a keystroke. The Shift flag picks the variant; a key event whose character is
 * exactly the US shifted one (Caps Lock, or a synthetic event without the flag) counts as shifted.
 */
export function decodeUs(e: Pick<KeyLike, 'code' | 'key' | 'shiftKey'>): string | null {
  const plain = usCharacter(e.code, false);
  if (plain === null) return null;
  const shifted = usCharacter(e.code, true)!;
  if (e.shiftKey) return shifted;
  return e.key === shifted ? shifted : plain;
}

interface Stroke {
  us: string;
  typed: string;
  at: number;
}

export type KeyVerdict =
  | { kind: 'ignored' }
  /** A character went into the buffer (the page should not also act on the key). */
  | { kind: 'buffered'; text: string }
  | { kind: 'edited'; text: string }
  | { kind: 'input'; input: ScanInput };

/** The buffer and its rules, without any DOM. */
export class WedgeBuffer {
  private strokes: Stroke[] = [];
  /** True while every gap so far was short enough for a scanner. */
  private burst = true;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  get text(): string {
    return this.strokes.map((s) => s.typed).join('');
  }

  clear(): void {
    this.strokes = [];
    this.burst = true;
  }

  key(e: KeyLike): KeyVerdict {
    if (e.ctrlKey || e.altKey || e.metaKey) return { kind: 'ignored' };
    const last = this.strokes[this.strokes.length - 1];
    const gap = last ? e.timeStamp - last.at : 0;
    if (e.key === 'Enter' || e.key === 'Tab') {
      if (this.strokes.length === 0)
        return e.key === 'Enter' ? { kind: 'edited', text: '' } : { kind: 'ignored' };
      const fast =
        this.burst && gap <= this.options.maxGapMs && this.strokes.length >= this.options.minLength;
      // Tab only ends a scanner's burst; a person's Tab should not send half-typed text.
      if (!fast && e.key === 'Tab') return { kind: 'ignored' };
      const input: ScanInput = fast
        ? { text: this.strokes.map((s) => s.us).join(''), source: 'scanner' }
        : { text: this.text, source: 'keyboard' };
      this.clear();
      input.text = input.text.trim();
      return input.text === '' ? { kind: 'edited', text: '' } : { kind: 'input', input };
    }
    if (e.key === 'Backspace') {
      this.strokes.pop();
      this.burst = false;
      return { kind: 'edited', text: this.text };
    }
    if (e.key === 'Escape') {
      this.clear();
      return { kind: 'edited', text: '' };
    }
    const decoded = decodeUs(e);
    if (e.key.length !== 1 && decoded === null) return { kind: 'ignored' };
    if (last && gap > this.options.maxGapMs) this.burst = false;
    const us = decoded ?? e.key;
    const typed = e.key.length === 1 ? e.key : us;
    this.strokes.push({ us, typed, at: e.timeStamp });
    return { kind: 'buffered', text: this.text };
  }
}

export interface ScannerTarget {
  addEventListener(
    type: 'keydown',
    listener: (e: KeyboardEventLike) => void,
    options: { capture: boolean },
  ): void;
  removeEventListener(
    type: 'keydown',
    listener: (e: KeyboardEventLike) => void,
    options: { capture: boolean },
  ): void;
}

export interface KeyboardEventLike extends KeyLike {
  target: unknown;
  preventDefault(): void;
  stopPropagation(): void;
}

/** Elements where the person is typing something else (a dialog's field): the scanner leaves them alone. */
function isOtherTextField(target: unknown): boolean {
  const el = target as {
    tagName?: string;
    dataset?: Record<string, string | undefined>;
    isContentEditable?: boolean;
  } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.dataset?.scanTarget !== undefined) return false;
  return (
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    el.isContentEditable === true
  );
}

/**
 * A search field that a scanner still scans through (`data-scan-through`, the list overview's search):
 * the person's typing stays in the field, a scanner's burst goes to the station and out of the field.
 */
function scanThroughField(target: unknown): { value: string; dispatchEvent?(e: Event): boolean } | null {
  const el = target as { dataset?: Record<string, string | undefined>; value?: unknown } | null;
  if (!el || el.dataset?.scanThrough === undefined || typeof el.value !== 'string') return null;
  return el as { value: string; dispatchEvent?(e: Event): boolean };
}

export interface ScannerHandle {
  /** Stops listening. */
  (): void;
  /** Empties the buffer: a command that used the typed text must not leave it for the next scan. */
  clear(): void;
}

/**
 * Listens on the whole document (capture phase), so a scan arrives wherever focus is: on a button, on
 * the page, nowhere. Keys that went into the buffer are kept from the page (an Enter never clicks the
 * focused button). `passive` (pages other than packing): keys still reach the page, and only a
 * scanner's burst (or typing while no control has the focus) is taken, its closing Enter kept from
 * the page.
 */
export function attachScanner(
  target: ScannerTarget,
  handlers: { onInput(input: ScanInput): void; onTyping?(text: string): void },
  options: WedgeOptions & { passive?: boolean } = DEFAULT_WEDGE,
): ScannerHandle {
  const buffer = new WedgeBuffer(options);
  let lastKeyAt = -Infinity;
  /** The buffer holds keys typed into a scan-through field: they are the field's, never a scan's start. */
  let fieldKeys = false;
  const listener = (e: KeyboardEventLike) => {
    const field = scanThroughField(e.target);
    if (!field && fieldKeys) {
      buffer.clear();
      fieldKeys = false;
    }
    if (field) {
      fieldKeys = true;
      // What was typed slowly is in the field, not for the station: each pause starts a new burst.
      if (e.timeStamp - lastKeyAt > options.maxGapMs) buffer.clear();
      lastKeyAt = e.timeStamp;
      const burst = buffer.text.length;
      const verdict = buffer.key(e);
      if (verdict.kind === 'input' && verdict.input.source === 'scanner') {
        e.preventDefault();
        e.stopPropagation();
        if (field.value.length >= burst) {
          field.value = field.value.slice(0, field.value.length - burst);
          field.dispatchEvent?.(new Event('input', { bubbles: true }));
        }
        handlers.onInput(verdict.input);
      }
      return;
    }
    if (isOtherTextField(e.target)) return;
    const verdict = buffer.key(e);
    if (options.passive) {
      // A scanner's burst always; typing too when no control has the focus (nothing else wants the Enter).
      const unfocused = (e.target as { tagName?: string } | null)?.tagName === 'BODY';
      if (verdict.kind === 'input' && (verdict.input.source === 'scanner' || unfocused)) {
        e.preventDefault();
        e.stopPropagation();
        handlers.onInput(verdict.input);
      }
      return;
    }
    if (verdict.kind === 'ignored') {
      if (e.key === 'Tab') e.preventDefault();
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (verdict.kind === 'input') {
      handlers.onTyping?.('');
      handlers.onInput(verdict.input);
    } else handlers.onTyping?.(verdict.text);
  };
  target.addEventListener('keydown', listener, { capture: true });
  const stop = (() => target.removeEventListener('keydown', listener, { capture: true })) as ScannerHandle;
  stop.clear = () => {
    buffer.clear();
    handlers.onTyping?.('');
  };
  return stop;
}
