// @vitest-environment happy-dom
// The keyboard-wedge handler: a scanner's burst is decoded from physical keys, so a French, UK or
// Russian keyboard layout cannot change the code; slow typing is taken as typed; focus does not matter.
import { describe, expect, it } from 'vitest';
import {
  attachScanner,
  decodeUs,
  WedgeBuffer,
  type KeyboardEventLike,
  type KeyLike,
  type ScanInput,
  type ScannerTarget,
} from '../src/web/scanner.js';

type Layout = Record<string, [string, string]>;
// What each layout's OS turns a physical key into (unshifted, shifted), for the keys a barcode uses.
const AZERTY: Layout = {
  Digit1: ['&', '1'],
  Digit2: ['é', '2'],
  Digit3: ['"', '3'],
  Digit4: ["'", '4'],
  Digit5: ['(', '5'],
  Digit6: ['-', '6'],
  Digit7: ['è', '7'],
  Digit8: ['_', '8'],
  Digit9: ['ç', '9'],
  Digit0: ['à', '0'],
  KeyQ: ['a', 'A'],
  KeyA: ['q', 'Q'],
  KeyW: ['z', 'Z'],
  KeyZ: ['w', 'W'],
  KeyM: [',', '?'],
  Semicolon: ['m', 'M'],
  Minus: [')', '°'],
};
const RUSSIAN: Layout = {
  KeyS: ['ы', 'Ы'],
  KeyK: ['л', 'Л'],
  KeyU: ['г', 'Г'],
  Minus: ['-', '_'],
  Digit1: ['1', '!'],
  Digit2: ['2', '"'],
};

/** The physical key and Shift a US-configured scanner presses for one character. */
function usKey(ch: string): { code: string; shift: boolean } {
  if (/[a-z]/.test(ch)) return { code: `Key${ch.toUpperCase()}`, shift: false };
  if (/[A-Z]/.test(ch)) return { code: `Key${ch}`, shift: true };
  if (/\d/.test(ch)) return { code: `Digit${ch}`, shift: false };
  const punct: Record<string, { code: string; shift: boolean }> = {
    '-': { code: 'Minus', shift: false },
    _: { code: 'Minus', shift: true },
    '#': { code: 'Digit3', shift: true },
    '!': { code: 'Digit1', shift: true },
    '.': { code: 'Period', shift: false },
    '/': { code: 'Slash', shift: false },
  };
  return punct[ch]!;
}

function keystrokes(text: string, layout: Layout | null, start: number, gapMs: number): KeyLike[] {
  return [...text].map((ch, i) => {
    const { code, shift } = usKey(ch);
    const mapped = layout?.[code];
    const key = mapped ? mapped[shift ? 1 : 0] : ch;
    return {
      key,
      code,
      shiftKey: shift,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      timeStamp: start + i * gapMs,
    };
  });
}

const enter = (at: number): KeyLike => ({
  key: 'Enter',
  code: 'Enter',
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  timeStamp: at,
});

function feed(buffer: WedgeBuffer, strokes: KeyLike[], endAt: number): ScanInput | null {
  for (const s of strokes) buffer.key(s);
  const v = buffer.key(enter(endAt));
  return v.kind === 'input' ? v.input : null;
}

describe('keyboard-wedge decoding', () => {
  const codes = ['4006381333931', 'MUG-RED', 'SKU-42_b', '#1001'];
  for (const [name, layout] of [
    ['US', null],
    ['French AZERTY', AZERTY],
    ['Russian', RUSSIAN],
  ] as const) {
    it(`reads scanner bursts exactly under a ${name} layout`, () => {
      for (const code of codes) {
        if (layout === RUSSIAN && /[^A-Za-z\d\-_!#]/.test(code)) continue;
        const buffer = new WedgeBuffer();
        const strokes = keystrokes(code, layout, 1000, 4);
        expect(feed(buffer, strokes, 1000 + strokes.length * 4 + 3)).toEqual({
          text: code,
          source: 'scanner',
        });
      }
    });
  }

  it('shows the mangling it prevents: the same keys read by their characters are wrong on AZERTY', () => {
    const strokes = keystrokes('4006381333931', AZERTY, 0, 4);
    expect(strokes.map((s) => s.key).join('')).not.toBe('4006381333931');
  });

  it('takes slow typing as the characters the person typed, on their own layout', () => {
    const buffer = new WedgeBuffer();
    // A person on AZERTY types "1001" with Shift (that is how AZERTY gives digits), 150 ms apart.
    const strokes = [...'1001'].map((ch, i) => ({
      key: ch,
      code: `Digit${ch}`,
      shiftKey: true,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      timeStamp: i * 150,
    }));
    expect(feed(buffer, strokes, 800)).toEqual({ text: '1001', source: 'keyboard' });
  });

  it('ends a burst on Tab but ignores a person pressing Tab mid-typing', () => {
    const buffer = new WedgeBuffer();
    for (const s of keystrokes('ABC123', null, 0, 5)) buffer.key(s);
    expect(buffer.key({ ...enter(32), key: 'Tab', code: 'Tab' })).toEqual({
      kind: 'input',
      input: { text: 'ABC123', source: 'scanner' },
    });
    const slow = new WedgeBuffer();
    for (const s of keystrokes('abc', null, 0, 200)) slow.key(s);
    expect(slow.key({ ...enter(700), key: 'Tab', code: 'Tab' }).kind).toBe('ignored');
    expect(slow.text).toBe('abc');
  });

  it('edits with Backspace and clears with Escape', () => {
    const buffer = new WedgeBuffer();
    for (const s of keystrokes('10021', null, 0, 200)) buffer.key(s);
    buffer.key({ ...enter(1100), key: 'Backspace', code: 'Backspace' });
    expect(feed(buffer, [], 1300)).toEqual({ text: '1002', source: 'keyboard' });
    for (const s of keystrokes('xyz', null, 2000, 200)) buffer.key(s);
    buffer.key({ ...enter(2700), key: 'Escape', code: 'Escape' });
    expect(buffer.text).toBe('');
  });

  it('treats a key whose character is the US shifted one as shifted (Caps Lock, synthetic events)', () => {
    expect(decodeUs({ code: 'Digit3', key: '#', shiftKey: false })).toBe('#');
    expect(decodeUs({ code: 'KeyM', key: 'M', shiftKey: false })).toBe('M');
    expect(decodeUs({ code: 'Digit3', key: '"', shiftKey: false })).toBe('3');
  });
});

// happy-dom's browser globals, typed just enough (the Node type check has no DOM library).
interface FakeElement {
  tagName: string;
  focus(): void;
  click(): void;
  append(child: FakeElement): void;
  addEventListener(type: string, listener: (e: { key: string }) => void): void;
  dispatchEvent(event: unknown): boolean;
}
const dom = globalThis as unknown as {
  document: { body: FakeElement; createElement(tag: string): FakeElement };
  KeyboardEvent: new (type: string, init: Record<string, unknown>) => unknown;
};
const KeyboardEvent = dom.KeyboardEvent;

describe('attached to the document', () => {
  it('takes a scan whatever has focus, and keeps its Enter from clicking the focused button', () => {
    const doc = dom.document;
    const button = doc.createElement('button');
    let clicks = 0;
    button.addEventListener('click', () => clicks++);
    button.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') button.click();
    });
    doc.body.append(button);
    button.focus();
    const inputs: ScanInput[] = [];
    const stop = attachScanner(doc as unknown as ScannerTarget, { onInput: (i) => inputs.push(i) });
    const t0 = performance.now();
    for (const s of keystrokes('MUG-RED', AZERTY, t0, 0)) {
      button.dispatchEvent(
        new KeyboardEvent('keydown', {
          key: s.key,
          code: s.code,
          shiftKey: s.shiftKey,
          bubbles: true,
          cancelable: true,
        }),
      );
    }
    button.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }),
    );
    stop();
    expect(inputs).toEqual([{ text: 'MUG-RED', source: 'scanner' }]);
    expect(clicks).toBe(0);
  });

  it('leaves other text fields alone', () => {
    const doc = dom.document;
    const field = doc.createElement('input');
    doc.body.append(field);
    const inputs: ScanInput[] = [];
    const stop = attachScanner(doc as unknown as ScannerTarget, { onInput: (i) => inputs.push(i) });
    for (const ch of 'abc')
      field.dispatchEvent(
        new KeyboardEvent('keydown', { key: ch, code: `Key${ch.toUpperCase()}`, bubbles: true }),
      );
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
    stop();
    expect(inputs).toEqual([]);
  });
});

describe('a scan-through field (the list overview search)', () => {
  /** A fake document: keys go to `target`; a key not prevented types its character into a field. */
  function harness() {
    let listener: ((e: KeyboardEventLike) => void) | null = null;
    const doc: ScannerTarget = {
      addEventListener: (_type, l) => void (listener = l),
      removeEventListener: () => void (listener = null),
    };
    const field = {
      tagName: 'INPUT',
      dataset: { scanThrough: '' },
      value: '',
      inputs: 0,
      dispatchEvent: () => !!field.inputs++,
    };
    const body = { tagName: 'BODY' };
    const inputs: ScanInput[] = [];
    attachScanner(doc, { onInput: (i) => inputs.push(i) });
    const press = (target: unknown, key: string, at: number) => {
      let prevented = false;
      listener!({
        key,
        code: /^\d$/.test(key) ? `Digit${key}` : key.length === 1 ? `Key${key.toUpperCase()}` : key,
        shiftKey: false,
        ctrlKey: false,
        altKey: false,
        metaKey: false,
        timeStamp: at,
        target,
        preventDefault: () => void (prevented = true),
        stopPropagation: () => {},
      });
      if (!prevented && target === field && key.length === 1) field.value += key;
    };
    const type = (target: unknown, text: string, from: number, gap: number) =>
      [...text].forEach((ch, i) => press(target, ch, from + i * gap));
    return { field, body, inputs, press, type };
  }

  it("keeps a person's typing in the field and sends a scanner's burst to the station, out of the field", () => {
    const h = harness();
    h.type(h.field, 'tea', 0, 200);
    expect(h.field.value).toBe('tea');
    h.type(h.field, '4005', 1000, 5);
    h.press(h.field, 'Enter', 1020);
    expect(h.inputs).toEqual([{ text: '4005', source: 'scanner' }]);
    expect(h.field.value).toBe('tea');
    // A slow Enter in the field is the field's own (a search), not a scan.
    h.press(h.field, 'Enter', 2000);
    expect(h.inputs).toHaveLength(1);
  });

  it('never puts what was typed in the field in front of the next scan elsewhere', () => {
    const h = harness();
    h.type(h.field, 'mug', 0, 200);
    h.type(h.body, '1002', 3000, 5);
    h.press(h.body, 'Enter', 3025);
    expect(h.inputs).toEqual([{ text: '1002', source: 'scanner' }]);
  });
});
