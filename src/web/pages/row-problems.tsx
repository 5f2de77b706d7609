// A refused file's problems as a table (file, row, column, what to do), one per line: the Prepare
// page's run and the sets import of the settings editor show them alike.
export interface RowProblem {
  file?: string;
  row?: number | string;
  column?: string | null;
  message: string;
}

export interface RowProblems {
  message: string;
  list: RowProblem[];
  total: number;
}

/** The problems an error body carries (`problems`, `problems_total`), if any. */
export function rowProblemsOf(
  message: string,
  body: Record<string, unknown> | null | undefined,
): RowProblems {
  const list = Array.isArray(body?.problems) ? (body.problems as RowProblem[]) : [];
  const total = typeof body?.problems_total === 'number' ? body.problems_total : list.length;
  return { message, list, total };
}

export function RowProblemsView(props: { problems: RowProblems; testid: string; rowTestid: string }) {
  const { problems } = props;
  // With a table below, the message's own copy of the first problems is left out.
  const headline = problems.list.length > 0 ? problems.message.split('\n')[0] : problems.message;
  return (
    <div class="inline-error run-problems" data-testid={props.testid} role="alert">
      <p>{headline}</p>
      {problems.list.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th>File</th>
              <th class="num">Row</th>
              <th>Column</th>
              <th>What to do</th>
            </tr>
          </thead>
          <tbody>
            {problems.list.map((p) => (
              <tr data-testid={props.rowTestid}>
                <td class="mono">{p.file ?? ''}</td>
                <td class="num">{p.row ?? ''}</td>
                <td>{p.column ?? ''}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {problems.total > problems.list.length && (
        <p>… and {problems.total - problems.list.length} more of the same kind.</p>
      )}
    </div>
  );
}
