// Confirming a unit by hand (a label that cannot be scanned): which line, and why. Opened from a
// line's button or with F3; keys 1–3 pick the reason, ↑/↓ the line, Esc cancels.
import { useEffect } from 'preact/hooks';
import { CONFIRM_REASONS, type ConfirmReason } from '../../contract/commands.js';
import type { StationLine } from '../types.js';

export function ConfirmLine(props: {
  line: StationLine;
  others: number;
  onPick(reasonCode: ConfirmReason): void;
  onMove(step: 1 | -1): void;
  onCancel(): void;
}) {
  useEffect(() => {
    // Window, capture phase: before the scanner's buffer sees the digit.
    const keys = (e: KeyboardEvent) => {
      const reason = CONFIRM_REASONS[Number(e.key) - 1];
      if (/^[1-9]$/.test(e.key) && reason) props.onPick(reason.code);
      else if (e.key === 'ArrowDown') props.onMove(1);
      else if (e.key === 'ArrowUp') props.onMove(-1);
      else if (e.key === 'Escape') props.onCancel();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', keys, { capture: true });
    return () => window.removeEventListener('keydown', keys, { capture: true });
  }, [props.line.sku]);
  const l = props.line;
  return (
    <div class="dialog confirm-line" data-testid="confirm-line" role="dialog">
      <h2>
        Confirm one {l.sku} by hand <small>({l.product_name})</small>
      </h2>
      <p>
        {l.packed} of {l.required} packed. Recorded as confirmed by hand, not scanned. Why?
      </p>
      <div class="actions">
        {CONFIRM_REASONS.map((r, i) => (
          <button tabIndex={-1} data-testid={`reason-${r.code}`} onClick={() => props.onPick(r.code)}>
            <kbd>{i + 1}</kbd> {r.label}
          </button>
        ))}
        <button tabIndex={-1} onClick={props.onCancel}>
          <kbd>Esc</kbd> Cancel
        </button>
      </div>
      {props.others > 0 && <p class="muted">↑ / ↓: another line still missing items</p>}
    </div>
  );
}
