// The list picker takes a scan of a list code from the list sheet and opens that list, so a packer
// never needs the mouse to start. Anything else scanned here is answered, never silently dropped.
import { useEffect, useState } from 'preact/hooks';
import { parseListBarcode } from '../domain/order-barcode.js';
import { playSound } from './audio.js';
import { go } from './route.js';
import { attachScanner, DEFAULT_WEDGE } from './scanner.js';

export function ListScanner() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(
    () =>
      attachScanner(
        document,
        {
          onInput: (input) => {
            const list = parseListBarcode(input.text);
            if (list) {
              go('pack', { client: list.client, session: list.session, list: list.list });
              return;
            }
            playSound('refused');
            setMessage(`"${input.text}" is not a packing-list code. Scan a list from the list sheet.`);
          },
          // Passive: the keys still move through the picker and Enter opens the focused list; only a
          // scanner's burst is taken as a list code.
        },
        { ...DEFAULT_WEDGE, passive: true },
      ),
    [],
  );
  return (
    <p class={message ? 'inline-error' : 'hint'} data-testid="list-scan">
      {message ?? 'Scan a list from the list sheet to open it, or choose one below.'}
    </p>
  );
}
