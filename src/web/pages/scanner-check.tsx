// Scanner set-up check: scan the test code and see whether the scanner is fast enough to be told
// from typing, which key ends its scans, and whether this PC's keyboard layout changes characters.
import { useEffect, useState } from 'preact/hooks';
import { decodeUs, DEFAULT_WEDGE } from '../scanner.js';

export const TEST_CODE = 'PD-Test-1234_5';

interface Result {
  us: string;
  typed: string;
  maxGap: number;
  suffix: string;
}

export function ScannerCheckPage() {
  const [result, setResult] = useState<Result | null>(null);
  useEffect(() => {
    let keys: KeyboardEvent[] = [];
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        if (keys.length === 0) return;
        const gaps = keys.slice(1).map((k, i) => k.timeStamp - keys[i]!.timeStamp);
        setResult({
          us: keys.map((k) => decodeUs(k) ?? k.key).join(''),
          typed: keys.map((k) => k.key).join(''),
          maxGap: Math.round(Math.max(0, ...gaps)),
          suffix: e.key,
        });
        keys = [];
        return;
      }
      if (e.key.length === 1) keys.push(e);
    };
    document.addEventListener('keydown', onKey, { capture: true });
    return () => document.removeEventListener('keydown', onKey, { capture: true });
  }, []);
  const fast = result !== null && result.maxGap <= DEFAULT_WEDGE.maxGapMs;
  return (
    <section class="panel scanner-check" data-testid="scanner-check">
      <h1>Check the scanner</h1>
      <p>
        Print <strong class="mono">{TEST_CODE}</strong> as a Code 128 barcode (the label printer's software or
        any barcode generator makes one) and scan it here: its letters, digits, "-" and "_" test the keys
        barcodes use.
      </p>
      {result === null ? (
        <p class="big-hint">Waiting for a scan…</p>
      ) : (
        <ul class="checks" data-testid="scanner-result">
          <li class={result.us === TEST_CODE ? 'ok' : 'bad'}>
            Read as <span class="mono">{result.us}</span>:{' '}
            {result.us === TEST_CODE
              ? 'correct'
              : 'wrong — check the scanner is set to a US keyboard and Code 128'}
          </li>
          <li class={fast ? 'ok' : 'bad'}>
            Slowest gap between keys {result.maxGap} ms:{' '}
            {fast
              ? 'fast enough to be told from typing'
              : `slower than ${DEFAULT_WEDGE.maxGapMs} ms — raise the scanner's transmit speed`}
          </li>
          <li class="ok">Ends with {result.suffix}: packdesk accepts Enter and Tab.</li>
          {result.typed !== result.us && (
            <li class="warn" data-testid="layout-warning">
              This PC's keyboard layout turns the scan into <span class="mono">{result.typed}</span>; packdesk
              reads scans by key position, so packing works, but other programs on this PC will get the wrong
              characters.
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
