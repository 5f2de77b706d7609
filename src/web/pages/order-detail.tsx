// One order of the analysis: its lines with stock before and after, why it cannot ship, and the
// changes a shift lead can make to it (hold, release, remove, a line's quantity).
import { useEffect, useState } from 'preact/hooks';
import { prepareApi, type OrderDetail, type PreparationChange } from '../prepare-api.js';
import { STATUS_LABEL } from './orders-table.js';

export function OrderDetailPanel(props: {
  client: string;
  session: string;
  order: string;
  revision: number;
  onEdit(change: PreparationChange): Promise<string | null>;
  onClose(): void;
}) {
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [confirmRemove, setConfirmRemove] = useState(false);

  useEffect(() => {
    prepareApi.detail(props.client, props.session, props.order).then(
      (d) => (setDetail(d), setProblem(null)),
      (e: Error) => setProblem(e.message),
    );
  }, [props.order, props.revision]);

  const edit = async (change: PreparationChange) => {
    setBusy(true);
    const refused = await props.onEdit(change);
    setBusy(false);
    setProblem(refused);
    setConfirmRemove(false);
  };

  const o = detail?.order;
  const stock = new Map((detail?.stock ?? []).map((s) => [s.sku.toLowerCase(), s]));
  return (
    <aside
      class="order-detail"
      data-testid="order-detail"
      role="dialog"
      aria-label={`Order ${props.order}`}
      onKeyDown={(e) => e.key === 'Escape' && props.onClose()}
    >
      <div class="toolbar">
        <h2>Order {o?.order_number ?? props.order}</h2>
        <span class="spacer" />
        <button onClick={props.onClose} aria-label="Close the order" autoFocus>
          Close
        </button>
      </div>
      {problem && (
        <div class="inline-error" data-testid="edit-refused" role="alert">
          {problem}
        </div>
      )}
      {o && (
        <>
          <p>
            <span class={`status-label s-${o.status}`} data-testid="detail-status">
              {STATUS_LABEL[o.status]}
            </span>{' '}
            {o.courier} · {o.country || 'no country'} ·{' '}
            {o.list ? `list ${o.list} #${o.sequence}` : 'on no list'}
            {o.repeat && <strong> · repeat</strong>}
          </p>
          {o.reasons.length > 0 && (
            <ul class="reasons" data-testid="detail-reasons">
              {o.reasons.map((r) => (
                <li>{r}</li>
              ))}
            </ul>
          )}
          {o.tags.length > 0 && <p class="muted">Tags: {o.tags.join(', ')}</p>}
          {(o.customer_name || o.email) && (
            <p class="muted" data-testid="detail-customer">
              Customer: {[o.customer_name, o.email].filter(Boolean).join(' · ')}
            </p>
          )}
          {o.notes && <p class="muted">Notes: {o.notes}</p>}
          <table class="grid detail-lines">
            <thead>
              <tr>
                <th>SKU</th>
                <th>Product</th>
                <th class="num">Qty</th>
                <th class="num">Stock before → after</th>
              </tr>
            </thead>
            <tbody>
              {o.lines.map((l) => {
                const s = stock.get(l.sku.toLowerCase());
                const editable = l.stock_line && l.source === 'export' && o.status !== 'removed';
                return (
                  <tr data-testid="detail-line" data-sku={l.sku}>
                    <td class="mono">{l.sku || '—'}</td>
                    <td>
                      {l.product_name}
                      {!l.stock_line && <span class="muted"> (not packed)</span>}
                      {l.source === 'rule' && <span class="muted"> (added by a rule)</span>}
                    </td>
                    <td class="num">
                      {editable ? (
                        <span class="qty-edit">
                          <input
                            type="number"
                            min={0}
                            value={quantities[l.sku] ?? String(l.quantity)}
                            aria-label={`Quantity of ${l.sku}`}
                            onInput={(e) =>
                              setQuantities({ ...quantities, [l.sku]: (e.target as HTMLInputElement).value })
                            }
                          />
                          {(quantities[l.sku] ?? String(l.quantity)) !== String(l.quantity) && (
                            <button
                              class="small"
                              disabled={busy}
                              onClick={() =>
                                void edit({
                                  type: 'set_quantity',
                                  order: o.order_number,
                                  sku: l.sku,
                                  quantity: Number(quantities[l.sku]),
                                })
                              }
                            >
                              Set
                            </button>
                          )}
                        </span>
                      ) : (
                        l.quantity
                      )}
                    </td>
                    <td class="num" data-testid="detail-stock">
                      {s
                        ? s.in_stock_file
                          ? `${s.stock_before} → ${s.stock_after}`
                          : 'not in stock file'
                        : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="row-actions detail-actions">
            {o.status === 'held' ? (
              <button
                disabled={busy}
                data-testid="release-order"
                onClick={() => void edit({ type: 'release', order: o.order_number })}
              >
                Release
              </button>
            ) : o.status !== 'removed' ? (
              <>
                <input
                  placeholder="Reason (optional)"
                  value={reason}
                  maxLength={200}
                  onInput={(e) => setReason((e.target as HTMLInputElement).value)}
                />
                <button
                  class="warn"
                  disabled={busy}
                  data-testid="hold-order"
                  onClick={() =>
                    void edit({ type: 'hold', order: o.order_number, ...(reason ? { reason } : {}) })
                  }
                >
                  Hold
                </button>
              </>
            ) : null}
            {o.status !== 'removed' &&
              (confirmRemove ? (
                <button
                  class="danger"
                  disabled={busy}
                  data-testid="confirm-remove"
                  onClick={() => void edit({ type: 'remove', order: o.order_number })}
                >
                  Yes, remove {o.order_number}
                </button>
              ) : (
                <button class="danger" disabled={busy} onClick={() => setConfirmRemove(true)}>
                  Remove…
                </button>
              ))}
          </div>
        </>
      )}
    </aside>
  );
}
