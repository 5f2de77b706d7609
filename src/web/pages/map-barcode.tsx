// Mapping an unknown barcode at the station (where the client allows it): the packer says which line
// of the open order the item just scanned is; the station saves the mapping for every station and
// counts the scan. Opened with F5 after an UNKNOWN answer; ↑/↓ choose the line, Enter maps, Esc cancels.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { StationLine } from '../types.js';

export function MapBarcode(props: {
  code: string;
  lines: StationLine[];
  /** True while something is being typed or scanned: Enter then belongs to the scan, not to this dialog. */
  typing(): boolean;
  onPick(sku: string): void;
  onCancel(): void;
}) {
  // Lines still missing items first: the unknown item is most likely one of them.
  const lines = [...props.lines].sort(
    (a, b) => Number(a.packed >= a.required) - Number(b.packed >= b.required),
  );
  const [chosen, setChosen] = useState(0);
  // Keys can come faster than the page re-renders: Enter must act on the line last chosen.
  const chosenRef = useRef(0);
  const choose = (step: number) => {
    chosenRef.current = (chosenRef.current + step + lines.length) % lines.length;
    setChosen(chosenRef.current);
  };
  useEffect(() => {
    // Window, capture phase: before the scanner's buffer sees the key.
    const keys = (e: KeyboardEvent) => {
      if (e.key === 'ArrowDown') choose(1);
      else if (e.key === 'ArrowUp') choose(-1);
      else if (e.key === 'Enter' && !props.typing()) props.onPick(lines[chosenRef.current]!.sku);
      else if (e.key === 'Escape') props.onCancel();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', keys, { capture: true });
    return () => window.removeEventListener('keydown', keys, { capture: true });
  }, [props.code]);
  return (
    <div class="dialog map-barcode" data-testid="map-barcode" role="dialog">
      <h2>
        Which line is barcode <span class="sku">{props.code}</span>?
      </h2>
      <p>
        The barcode is saved for this client at every station, with your name, and this scan then counts. Map
        it only if the item really is the product you choose.
      </p>
      <ul class="map-lines">
        {lines.map((l, i) => (
          <li class={i === chosen ? 'chosen' : ''}>
            <button tabIndex={-1} data-testid={`map-${l.sku}`} onClick={() => props.onPick(l.sku)}>
              <span class="sku">{l.sku}</span> {l.product_name}{' '}
              <small>
                ({l.packed}/{l.required})
              </small>
            </button>
          </li>
        ))}
      </ul>
      <p class="muted">
        ↑ / ↓ choose · <kbd>Enter</kbd> map · <kbd>Esc</kbd> cancel
      </p>
    </div>
  );
}
