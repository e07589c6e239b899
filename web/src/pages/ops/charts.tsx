import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Small hand-made SVG charts for the reports: horizontal bars and lines. Each is a section with
 * its title (a heading), axis labels, the figures written on the chart (colour is never the only
 * signal: series differ by dash and marker too, and a legend names them), and a table of the
 * numbers in a `<details>` — the alternative for screen readers and for anyone who wants them.
 * Drawn at the width of their container, so text stays readable at 375 px.
 */

/** The width of an element, followed as it changes (a frame late, never in a resize loop). */
const useWidth = (initial = 640) => {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(Math.floor(element.clientWidth) || initial);
    let frame = 0;
    const observer = new ResizeObserver((entries) => {
      cancelAnimationFrame(frame);
      const measured = Math.floor(entries[0]?.contentRect.width ?? 0);
      frame = requestAnimationFrame(() => {
        if (measured > 0) setWidth(measured);
      });
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, []);
  return [ref, width] as const;
};

const TICKS = 4;

/**
 * An axis maximum people read at a glance: four steps of 1, 2, 2.5 or 5 × 10ⁿ; whole steps for
 * counts (no "0.3 tickets").
 */
const niceMax = (value: number, whole = true): number => {
  const wanted = Math.max(value, whole ? TICKS : 1) / TICKS;
  const power = 10 ** Math.floor(Math.log10(wanted));
  const steps = whole && power < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = (steps.find((candidate) => candidate * power >= wanted) ?? 10) * power;
  return step * TICKS;
};

const tickText = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const CHAR = 6.6;

/** The colours (AA contrast on white), dashes and markers of the series, in order. */
const SERIES_STYLES = [
  { colour: '#1d4ed8', dash: undefined, marker: 'circle' },
  { colour: '#b45309', dash: '7 4', marker: 'square' },
  { colour: '#15803d', dash: '2 3', marker: 'triangle' },
  { colour: '#7e22ce', dash: '10 3 2 3', marker: 'diamond' },
] as const;
type MarkerShape = (typeof SERIES_STYLES)[number]['marker'];

const Marker = ({ shape, x, y, colour }: { shape: MarkerShape; x: number; y: number; colour: string }) => {
  const r = 3.5;
  switch (shape) {
    case 'square':
      return <rect x={x - r} y={y - r} width={r * 2} height={r * 2} fill={colour} />;
    case 'triangle':
      return (
        <polygon points={`${x},${y - r - 1} ${x + r + 1},${y + r} ${x - r - 1},${y + r}`} fill={colour} />
      );
    case 'diamond':
      return (
        <polygon
          points={`${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}`}
          fill={colour}
        />
      );
    default:
      return <circle cx={x} cy={y} r={r} fill={colour} />;
  }
};

const ChartFrame = ({
  id,
  title,
  subtitle,
  table,
  legend,
  children,
}: {
  id: string;
  title: string;
  subtitle?: ComponentChildren;
  table: ComponentChildren;
  legend?: ComponentChildren;
  children: ComponentChildren;
}) => (
  <section class="card chart" aria-labelledby={`${id}-title`} data-chart={id}>
    <h3 id={`${id}-title`}>{title}</h3>
    {subtitle && <p class="hint chart-subtitle">{subtitle}</p>}
    {legend}
    {children}
    <details class="chart-numbers">
      <summary>The numbers: {title}</summary>
      {table}
    </details>
  </section>
);

export interface Bar {
  label: string;
  value: number | null;
  /** The figure written at the bar's end (default: the value). */
  text?: string;
}

export const BarChart = ({
  id,
  title,
  subtitle,
  bars,
  categoryLabel,
  valueLabel,
  max,
  table,
}: {
  id: string;
  title: string;
  subtitle?: ComponentChildren;
  bars: readonly Bar[];
  /** The axis of the categories (drawn down the left) and of the values (along the bottom). */
  categoryLabel: string;
  valueLabel: string;
  /** The scale's maximum (100 for percentages); default: a round number above the largest value. */
  max?: number;
  table: ComponentChildren;
}) => {
  const [ref, width] = useWidth();
  const scale = max ?? niceMax(Math.max(0, ...bars.map((bar) => bar.value ?? 0)));
  const axisGutter = 18;
  const longest = Math.max(...bars.map((bar) => bar.label.length * CHAR)) + 10;
  // Narrow: each category's name above its bar, so the bars keep the width.
  const stacked = longest > width * 0.36;
  const labelWidth = stacked ? 0 : longest;
  const textWidth =
    Math.max(...bars.map((bar) => (bar.text ?? String(bar.value ?? 'no data')).length * CHAR)) + 10;
  const left = axisGutter + labelWidth + (stacked ? 4 : 0);
  const plot = Math.max(40, width - left - textWidth - 8);
  const row = stacked ? 42 : 30;
  const barTop = stacked ? 18 : 6;
  const top = 6;
  const plotHeight = bars.length * row;
  const height = top + plotHeight + 44;
  const x = (value: number) => left + (value / scale) * plot;
  const summary = bars.map((bar) => `${bar.label}: ${bar.text ?? bar.value ?? 'no data'}`).join('; ');
  return (
    <ChartFrame id={id} title={title} subtitle={subtitle} table={table}>
      <div ref={ref} class="chart-canvas">
        <svg
          role="img"
          aria-label={`${title}. ${summary}.`}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
        >
          {Array.from({ length: TICKS + 1 }, (_, tick) => {
            const value = (scale / TICKS) * tick;
            return (
              <g key={tick} class="chart-tick">
                <line x1={x(value)} x2={x(value)} y1={top} y2={top + plotHeight} class="chart-grid" />
                <text x={x(value)} y={top + plotHeight + 14} text-anchor="middle" class="chart-tick-text">
                  {tickText(value)}
                </text>
              </g>
            );
          })}
          {bars.map((bar, index) => {
            const y = top + index * row;
            const shown = bar.text ?? (bar.value === null ? 'no data' : String(bar.value));
            return (
              <g key={bar.label} class="chart-bar" data-label={bar.label} data-value={bar.value ?? ''}>
                <text
                  x={stacked ? left + 5 : left - 6}
                  y={stacked ? y + 13 : y + row / 2 + 4}
                  text-anchor={stacked ? 'start' : 'end'}
                  class="chart-category"
                >
                  {bar.label}
                </text>
                {bar.value !== null && (
                  <rect
                    x={left}
                    y={y + barTop}
                    width={Math.max(bar.value > 0 ? 2 : 0, x(bar.value) - left)}
                    height={row - barTop - 6}
                    class="chart-bar-rect"
                  />
                )}
                <text
                  x={x(bar.value ?? 0) + 6}
                  y={y + barTop + (row - barTop - 6) / 2 + 4}
                  class="chart-value"
                >
                  {shown}
                </text>
              </g>
            );
          })}
          <line x1={left} x2={left} y1={top} y2={top + plotHeight} class="chart-axis" />
          <text x={left + plot / 2} y={height - 6} text-anchor="middle" class="chart-axis-label">
            {valueLabel}
          </text>
          <text
            x={12}
            y={top + plotHeight / 2}
            text-anchor="middle"
            transform={`rotate(-90 12 ${top + plotHeight / 2})`}
            class="chart-axis-label"
          >
            {categoryLabel}
          </text>
        </svg>
      </div>
    </ChartFrame>
  );
};

export interface Series {
  name: string;
  values: readonly (number | null)[];
}

/** `2026-11-24` → `Nov 24`. */
const shortDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

export const LineChart = ({
  id,
  title,
  subtitle,
  periods,
  series,
  periodLabel,
  unit,
  valueLabel,
  max,
  format = String,
}: {
  id: string;
  title: string;
  subtitle?: ComponentChildren;
  /** The days (or weeks' Mondays) along the bottom. */
  periods: readonly string[];
  series: readonly Series[];
  periodLabel: string;
  /** What one period is, in words: `day`, `week`. */
  unit: string;
  valueLabel: string;
  max?: number;
  format?: (value: number) => string;
}) => {
  const [ref, width] = useWidth();
  const scale =
    max ??
    niceMax(
      Math.max(0, ...series.flatMap((one) => one.values.map((value) => value ?? 0))),
      series.every((one) => one.values.every((value) => value === null || Number.isInteger(value))),
    );
  const left = 52;
  const right = 14;
  const top = 10;
  const plotHeight = 170;
  const height = top + plotHeight + 48;
  const plot = Math.max(40, width - left - right);
  const step = periods.length > 1 ? plot / (periods.length - 1) : 0;
  const x = (index: number) => left + (periods.length > 1 ? index * step : plot / 2);
  const y = (value: number) => top + plotHeight - (value / scale) * plotHeight;
  // As many period labels as fit, evenly spread, the last one always.
  const every = Math.max(1, Math.ceil((periods.length * 56) / plot));
  const last = periods.length - 1;
  const labelled = periods.map(
    (_, index) => index === last || (index % every === 0 && last - index >= every),
  );
  const markers = periods.length <= 45;
  const legend = (
    <ul class="chart-legend" aria-label={`Series of ${title.toLowerCase()}`}>
      {series.map((one, index) => {
        const style = SERIES_STYLES[index % SERIES_STYLES.length] ?? SERIES_STYLES[0];
        return (
          <li key={one.name}>
            <svg width="34" height="12" aria-hidden="true">
              <line
                x1="1"
                x2="33"
                y1="6"
                y2="6"
                stroke={style.colour}
                stroke-width="2.5"
                stroke-dasharray={style.dash}
              />
              <Marker shape={style.marker} x={17} y={6} colour={style.colour} />
            </svg>
            {one.name}
          </li>
        );
      })}
    </ul>
  );
  const latest = series
    .map((one) => {
      const newest = [...one.values].reverse().find((value) => value !== null);
      return `${one.name}: ${newest === undefined || newest === null ? 'no data' : format(newest)} in the last period with data`;
    })
    .join('; ');
  const table = (
    <table class="chart-table">
      <caption class="visually-hidden">{title}</caption>
      <thead>
        <tr>
          <th scope="col">{periodLabel}</th>
          {series.map((one) => (
            <th key={one.name} scope="col">
              {one.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {periods.map((period, index) => (
          <tr key={period} data-period={period}>
            <th scope="row">{period}</th>
            {series.map((one) => {
              const value = one.values[index];
              return <td key={one.name}>{value === null || value === undefined ? '—' : format(value)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <ChartFrame id={id} title={title} subtitle={subtitle} table={table} legend={legend}>
      <div ref={ref} class="chart-canvas">
        <svg
          role="img"
          aria-label={`${title}, ${periods.length} ${unit}${periods.length === 1 ? '' : 's'} from ${periods[0] ?? '—'} to ${periods.at(-1) ?? '—'}. ${latest}.`}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
        >
          {Array.from({ length: TICKS + 1 }, (_, tick) => {
            const value = (scale / TICKS) * tick;
            return (
              <g key={tick}>
                <line x1={left} x2={left + plot} y1={y(value)} y2={y(value)} class="chart-grid" />
                <text x={left - 6} y={y(value) + 4} text-anchor="end" class="chart-tick-text">
                  {format(value)}
                </text>
              </g>
            );
          })}
          {periods.map(
            (period, index) =>
              labelled[index] && (
                <text
                  key={period}
                  x={x(index)}
                  y={top + plotHeight + 16}
                  text-anchor={
                    index === 0 && periods.length > 1
                      ? 'start'
                      : index === last && periods.length > 1
                        ? 'end'
                        : 'middle'
                  }
                  class="chart-tick-text"
                >
                  {shortDay(period)}
                </text>
              ),
          )}
          <line x1={left} x2={left + plot} y1={top + plotHeight} y2={top + plotHeight} class="chart-axis" />
          <line x1={left} x2={left} y1={top} y2={top + plotHeight} class="chart-axis" />
          {series.map((one, index) => {
            const style = SERIES_STYLES[index % SERIES_STYLES.length] ?? SERIES_STYLES[0];
            // A gap where a period has no figure (no tickets resolved, no clock stopped).
            let path = '';
            let pen = false;
            one.values.forEach((value, at) => {
              if (value === null) {
                pen = false;
                return;
              }
              path += `${pen ? 'L' : 'M'}${x(at).toFixed(1)},${y(value).toFixed(1)} `;
              pen = true;
            });
            return (
              <g key={one.name} class="chart-series" data-series={one.name}>
                <path
                  d={path.trim()}
                  fill="none"
                  stroke={style.colour}
                  stroke-width="2.5"
                  stroke-dasharray={style.dash}
                  stroke-linejoin="round"
                />
                {one.values.map(
                  (value, at) =>
                    value !== null &&
                    (markers || one.values.filter((other) => other !== null).length === 1) && (
                      <Marker
                        key={periods[at]}
                        shape={style.marker}
                        x={x(at)}
                        y={y(value)}
                        colour={style.colour}
                      />
                    ),
                )}
              </g>
            );
          })}
          <text x={left + plot / 2} y={height - 6} text-anchor="middle" class="chart-axis-label">
            {periodLabel}
          </text>
          <text
            x={12}
            y={top + plotHeight / 2}
            text-anchor="middle"
            transform={`rotate(-90 12 ${top + plotHeight / 2})`}
            class="chart-axis-label"
          >
            {valueLabel}
          </text>
        </svg>
      </div>
    </ChartFrame>
  );
};
