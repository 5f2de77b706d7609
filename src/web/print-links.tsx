// Buttons that fetch a PDF from the server and save it: a list's order labels, the station command
// sheet, a client's list sheet. Fetched rather than linked, so a refusal (an order number a barcode
// cannot carry, a label too small for its text) is shown as the server's words instead of being
// saved as a broken PDF.
import { useState } from 'preact/hooks';
import { api, ApiError, enc } from './api.js';

function PdfButton(props: { url: string; name: string; label: string; title: string; testId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await api.file(props.url);
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = props.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class="button"
        title={props.title}
        data-testid={props.testId}
        disabled={busy}
        tabIndex={-1}
        onClick={() => void run()}
      >
        {busy ? 'Making PDF…' : props.label}
      </button>
      {error && (
        <span class="inline-error" data-testid={`${props.testId}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

export function LabelsButton(props: { client: string; session: string; list: string }) {
  return (
    <PdfButton
      url={`/api/clients/${enc(props.client)}/sessions/${enc(props.session)}/lists/${enc(props.list)}/labels`}
      name={`${props.session}_${props.list}_labels.pdf`}
      label="Labels"
      title="One label per order with its barcode and sequence number, for the label printer"
      testId="labels-button"
    />
  );
}

export function CommandSheetButton() {
  return (
    <PdfButton
      url="/api/sheets/commands"
      name="packdesk_command_sheet.pdf"
      label="Command sheet"
      title="A4 sheet of the station's commands as barcodes: scan them instead of pressing keys"
      testId="command-sheet-button"
    />
  );
}

export function ListSheetButton(props: { client: string }) {
  return (
    <PdfButton
      url={`/api/clients/${enc(props.client)}/list-sheet`}
      name={`${props.client}_packing_lists.pdf`}
      label="List sheet"
      title="A4 sheet of this client's open packing lists as barcodes: scan one here to open it"
      testId="list-sheet-button"
    />
  );
}
