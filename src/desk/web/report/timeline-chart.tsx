import { useRef } from 'react';
import { DESK_ZONE, formatCount } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useElementWidth } from '../use-element-width.ts';
import { niceCeiling, timeDomain, timeTicks } from './chart-scale.ts';

type Minutes = [number, number][];

const H = 220;
const PAD = { top: 14, right: 56, bottom: 44, left: 56 };
const BLUE = '#1d4ed8';
const AMBER = '#92400e';

/** Seoul-clock labels for ticks `step` seconds apart: the time, with the date once days pass. */
function tickLabel(locale: string, step: number, withDate: boolean) {
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: DESK_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const date = new Intl.DateTimeFormat(locale, { timeZone: DESK_ZONE, month: 'numeric', day: 'numeric' });
  return (t: number) => {
    const d = new Date(t * 1000);
    if (step >= 86_400) return date.format(d);
    return withDate ? `${date.format(d)} ${time.format(d)}` : time.format(d);
  };
}

/**
 * Deliveries and clicks per minute as inline SVG across the card's width: a time axis on Asia/Seoul's
 * clock, deliveries as a bar per minute on the left axis and clicks as a line with a mark on every
 * minute on the right axis (clicks are far fewer, so each has its own maximum); a send of one minute
 * still shows as one bar.
 */
export function TimelineChart({ deliveries, clicks }: { deliveries: Minutes; clicks: Minutes }) {
  // The drawing mounts with its first minute, so that it measures a box that is there: measured while a
  // send was still scheduled (nothing to draw, no box) it kept the 800 px guess and overflowed a phone.
  if (deliveries.length + clicks.length === 0) return null;
  return <Chart deliveries={deliveries} clicks={clicks} />;
}

function Chart({ deliveries, clicks }: { deliveries: Minutes; clicks: Minutes }) {
  const { t, locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const W = Math.max(320, useElementWidth(box, 800));
  const all = [...deliveries, ...clicks];
  const [x0, x1] = timeDomain(all.map(([x]) => x));
  const yD = niceCeiling(Math.max(0, ...deliveries.map(([, y]) => y)));
  const yC = niceCeiling(Math.max(0, ...clicks.map(([, y]) => y)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const px = (time: number) => PAD.left + ((time - x0) / (x1 - x0)) * plotW;
  // A minute's count is drawn in the middle of its minute.
  const sx = (minute: number) => px(minute + 30);
  const sy = (y: number, top: number) => PAD.top + plotH - (y / top) * plotH;
  const { ticks, step } = timeTicks(x0, x1, Math.floor(plotW / 110));
  const label = tickLabel(locale, step, x1 - x0 > 86_400);
  const line = (points: Minutes, top: number) =>
    points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y, top).toFixed(1)}`).join(' ');
  const from = label(x0);
  const to = label(x1);
  const summary = t('chartSummary', {
    from,
    to,
    zone: DESK_ZONE,
    deliveries: formatCount(Math.max(0, ...deliveries.map(([, y]) => y)), locale),
    clicks: formatCount(Math.max(0, ...clicks.map(([, y]) => y)), locale),
  });
  return (
    <figure className="card chart">
      <figcaption>
        <strong>{t('chartLabel')}</strong> <span className="key key-deliveries">{t('chartDeliveries')}</span>{' '}
        <span className="key key-clicks">{t('chartClicks')}</span>
      </figcaption>
      <div ref={box}>
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
          <g className="grid" stroke="#d1d5db">
            {[0, 0.5, 1].map((f) => (
              <line
                key={f}
                x1={PAD.left}
                x2={W - PAD.right}
                y1={PAD.top + plotH * f}
                y2={PAD.top + plotH * f}
              />
            ))}
          </g>
          <g fontSize="12" fill="#374151" textAnchor="middle">
            {ticks.map((tick) => (
              <g key={tick}>
                <line
                  x1={px(tick)}
                  x2={px(tick)}
                  y1={PAD.top + plotH}
                  y2={PAD.top + plotH + 5}
                  stroke="#6b7280"
                />
                <text x={px(tick)} y={PAD.top + plotH + 18}>
                  {label(tick)}
                </text>
              </g>
            ))}
            <text x={PAD.left + plotW / 2} y={H - 6}>
              {t('chartTimeAxis', { zone: DESK_ZONE })}
            </text>
          </g>
          <g fontSize="12" fill={BLUE} textAnchor="end">
            <text x={PAD.left - 6} y={PAD.top + 4}>
              {formatCount(yD, locale)}
            </text>
            <text x={PAD.left - 6} y={PAD.top + plotH + 4}>
              0
            </text>
          </g>
          <g fontSize="12" fill={AMBER} textAnchor="start">
            <text x={W - PAD.right + 6} y={PAD.top + 4}>
              {formatCount(yC, locale)}
            </text>
            <text x={W - PAD.right + 6} y={PAD.top + plotH + 4}>
              0
            </text>
          </g>
          {deliveries.map(([x, y]) => (
            <rect
              key={`d${x}`}
              x={px(x)}
              y={sy(y, yD)}
              width={Math.max(2, px(x + 60) - px(x) - 1)}
              height={PAD.top + plotH - sy(y, yD)}
              fill={BLUE}
              fillOpacity="0.75"
            />
          ))}
          <polyline
            points={line(clicks, yC)}
            fill="none"
            stroke={AMBER}
            strokeWidth="2"
            strokeDasharray="6 3"
          />
          {clicks.map(([x, y]) => (
            <rect
              key={`c${x}`}
              x={sx(x) - 5}
              y={sy(y, yC) - 5}
              width="10"
              height="10"
              transform={`rotate(45 ${sx(x)} ${sy(y, yC)})`}
              fill="#fff"
              stroke={AMBER}
              strokeWidth="2"
            />
          ))}
        </svg>
      </div>
    </figure>
  );
}
