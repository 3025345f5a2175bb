interface Props {
  values: number[];
  /** The top of the scale; the largest value when absent. */
  max?: number;
  width?: number;
  height?: number;
  color?: string;
  label: string;
}

/** The points of a sparkline: x spread over the width, y from the bottom (0) to the top (max). */
export function sparklinePoints(values: number[], width: number, height: number, max?: number): string {
  if (values.length === 0) {
    return '';
  }
  const top = Math.max(max ?? 0, ...values, 1);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const pad = 1.5;
  return values
    .map((v, i) => {
      const x = values.length > 1 ? i * step : width;
      const y = height - pad - (Math.max(0, v) / top) * (height - 2 * pad);
      return `${+x.toFixed(1)},${+y.toFixed(1)}`;
    })
    .join(' ');
}

/** A small line chart of recent values, in plain SVG. */
export function Sparkline({ values, max, width = 160, height = 36, color = '#1456d9', label }: Props) {
  const points = sparklinePoints(values, width, height, max);
  const last = values[values.length - 1];
  const ends = points ? points.split(' ') : [];
  const [cx, cy] = ends.length > 0 ? ends[ends.length - 1].split(',').map(Number) : [0, 0];
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${label}: ${last ?? 'no data yet'}`}
    >
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#eceff3" />
      {values.length > 1 && <polyline points={points} fill="none" stroke={color} strokeWidth={1.75} strokeLinejoin="round" />}
      {values.length > 0 && <circle cx={cx} cy={cy} r={2.5} fill={color} />}
    </svg>
  );
}
