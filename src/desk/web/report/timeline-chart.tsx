import { useI18n } from '../i18n/i18n.tsx';

const W = 600;
const H = 160;

/** Deliveries and clicks per minute as two inline-SVG lines (no chart library: 2 series, a few hundred points). */
export function TimelineChart({
  deliveries,
  clicks,
}: {
  deliveries: [number, number][];
  clicks: [number, number][];
}) {
  const { t } = useI18n();
  const all = [...deliveries, ...clicks];
  if (all.length === 0) return null;
  const x0 = Math.min(...all.map(([x]) => x));
  const x1 = Math.max(...all.map(([x]) => x), x0 + 60);
  const y1 = Math.max(...all.map(([, y]) => y), 1);
  const at = ([x, y]: [number, number]): [number, number] => [
    ((x - x0) / (x1 - x0)) * (W - 20) + 10,
    H - 10 - (y / y1) * (H - 20),
  ];
  const line = (points: [number, number][]) =>
    points
      .map((p) =>
        at(p)
          .map((v) => v.toFixed(1))
          .join(','),
      )
      .join(' ');
  // A dot on every minute, so that a send of one minute still shows.
  const dots = (points: [number, number][], colour: string) =>
    points.map((p) => {
      const [cx, cy] = at(p);
      return <circle key={`${colour}${p[0]}`} cx={cx} cy={cy} r="4" fill={colour} />;
    });
  return (
    <figure className="card chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('chartLabel')}>
        <polyline points={line(deliveries)} fill="none" stroke="#1d4ed8" strokeWidth="2" />
        <polyline points={line(clicks)} fill="none" stroke="#b45309" strokeWidth="2" strokeDasharray="6 3" />
        {dots(deliveries, '#1d4ed8')}
        {dots(clicks, '#b45309')}
      </svg>
      <figcaption>
        <span className="key key-deliveries">{t('chartDeliveries')}</span>{' '}
        <span className="key key-clicks">{t('chartClicks')}</span>
      </figcaption>
    </figure>
  );
}
