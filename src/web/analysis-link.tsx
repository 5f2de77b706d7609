// The way from a prepared session in the session browser back to its analysis on the Prepare page.
export function AnalysisLink(props: { client: string; session: string }) {
  const q = new URLSearchParams({ client: props.client, session: props.session });
  return (
    <a class="button small analysis-link" data-testid="analysis-link" href={`#/prepare?${q.toString()}`}>
      Analysis
    </a>
  );
}
