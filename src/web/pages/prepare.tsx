// The Prepare page: a new day's run (no session in the address) or a prepared session's analysis.
import './prepare.css';
import { AnalysisView } from './analysis-view.js';
import { PrepareRun } from './prepare-run.js';

export function PreparePage(props: { params: URLSearchParams; station: string }) {
  const client = props.params.get('client') ?? '';
  const session = props.params.get('session');
  if (client && session)
    return (
      <AnalysisView key={`${client}/${session}`} client={client} session={session} station={props.station} />
    );
  return <PrepareRun client={client} station={props.station} />;
}
