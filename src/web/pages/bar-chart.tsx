// A small SVG bar chart (grouped series), big enough to read from a step away.
export interface Series {
  name: string;
  color: string;
  values: number[];
}

export function BarChart(props: { title: string; labels: string[]; series: Series[]; testid?: string }) {
  const width = 560;
  const height = 180;
  const pad = { left: 44, right: 8, top: 8, bottom: 42 };
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const groups = Math.max(1, props.labels.length);
  const gw = (width - pad.left - pad.right) / groups;
  // Few groups must not make bars as wide as the chart.
  const bw = Math.min(56, Math.max(2, (gw * 0.8) / Math.max(1, props.series.length)));
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const step = Math.max(1, Math.ceil(groups / 12));
  return (
    <figure class="chart" data-testid={props.testid}>
      <figcaption>
        {props.title}
        <span class="legend">
          {props.series.map((s) => (
            <span>
              <i style={{ background: s.color }} /> {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      {props.labels.length === 0 ? (
        <p class="empty">No finished sittings yet.</p>
      ) : (
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
          <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#888" />
          <text x={pad.left - 6} y={y(max) + 5} text-anchor="end" font-size="13">
            {max}
          </text>
          <text x={pad.left - 6} y={y(0)} text-anchor="end" font-size="13">
            0
          </text>
          {props.labels.map((label, g) => (
            <g>
              {props.series.map((s, i) => {
                const v = s.values[g] ?? 0;
                return (
                  <rect
                    x={pad.left + g * gw + (gw - bw * props.series.length) / 2 + i * bw}
                    y={y(v)}
                    width={bw - 1}
                    height={y(0) - y(v)}
                    fill={s.color}
                  >
                    <title>{`${s.name} ${label}: ${v}`}</title>
                  </rect>
                );
              })}
              {g % step === 0 && (
                <text
                  x={pad.left + g * gw + gw / 2}
                  y={height - pad.bottom + 18}
                  text-anchor="middle"
                  font-size="13"
                >
                  {label.length > 10 ? `${label.slice(0, 9)}…` : label}
                </text>
              )}
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}
