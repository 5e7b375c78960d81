import { formatInstant } from '../send/control/send-time.ts';

/** Size of the chart in CSS pixels. */
const W = 640;
const H = 200;
const PAD = 30;

/** A series of [unix seconds, count] points drawn as one line. */
interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

/**
 * A small inline-SVG line chart of per-minute counts (deliveries and clicks) over the same time
 * axis, its times in `zone` (TZ_DEFAULT); every value is a number we computed, and labels go through React, so nothing needs escaping.
 */
export function TimelineChart({ series, zone }: { series: Series[]; zone: string }) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return <p>No deliveries or clicks recorded yet.</p>;
  const t0 = Math.min(...all.map(([t]) => t));
  const t1 = Math.max(...all.map(([t]) => t), t0 + 60);
  const top = Math.max(...all.map(([, n]) => n), 1);
  const x = (t: number) => PAD + ((t - t0) / (t1 - t0)) * (W - 2 * PAD);
  const y = (n: number) => H - PAD - (n / top) * (H - 2 * PAD);
  return (
    <svg
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Deliveries and clicks per minute"
    >
      <rect x={0} y={0} width={W} height={H} fill="#fff" />
      <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#999" />
      <line x1={PAD} y1={PAD} x2={PAD} y2={H - PAD} stroke="#999" />
      <text x={PAD - 4} y={PAD + 4} fontSize={10} textAnchor="end">
        {top}
      </text>
      <text x={PAD} y={H - 8} fontSize={10}>
        {formatInstant(t0 * 1000, zone)}
      </text>
      <text x={W - PAD} y={H - 8} fontSize={10} textAnchor="end">
        {formatInstant(t1 * 1000, zone)}
      </text>
      {series.map((s, i) => (
        <g key={s.label}>
          <polyline
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={s.points.map(([t, n]) => `${x(t).toFixed(1)},${y(n).toFixed(1)}`).join(' ')}
          />
          {s.points.map(([t, n]) => (
            <circle key={t} cx={x(t)} cy={y(n)} r={2.5} fill={s.color} />
          ))}
          <text x={W - PAD} y={PAD + 14 * i} fontSize={11} fill={s.color} textAnchor="end">
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
