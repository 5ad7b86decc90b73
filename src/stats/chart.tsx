import type { ActivityDay } from './queries';

// The chart's grid, in SVG units: one column per day, a bar per series in it.
const COLUMN = 100;
const BAR = 22;
const GAP = 4;
const PLOT_TOP = 44;
const PLOT_HEIGHT = 150;
const HEIGHT = PLOT_TOP + PLOT_HEIGHT + 28;

const series = [
  { key: 'views', label: 'Page views', colour: '#0b6e4f' },
  { key: 'downloads', label: 'Downloads', colour: '#2b5fab' },
  { key: 'searches', label: 'Searches', colour: '#8a5a00' },
] as const;

// A bar's label fits its width: 12K, 1.2K; the exact numbers are in the chart's description.
const barLabel = new Intl.NumberFormat('en', { notation: 'compact' });

/** "19 Apr": a day as the chart labels it. */
const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * The first week's page views, downloads and searches per day, as an SVG drawn on the server: no
 * chart library and no script in the browser. Screen readers get the same numbers from `desc`,
 * and every bar is labelled with its number.
 */
export function FirstWeekChart({ days }: { days: ActivityDay[] }) {
  const width = days.length * COLUMN;
  const highest = Math.max(1, ...days.flatMap((d) => series.map((s) => d[s.key])));
  const barsWidth = series.length * BAR + (series.length - 1) * GAP;
  const described = days
    .map((d) => `${dayLabel(d.day)}: page views ${d.views}, downloads ${d.downloads}, searches ${d.searches}.`)
    .join(' ');
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="chart"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby="first-week-title first-week-desc"
      font-family="system-ui, sans-serif"
      font-size="12"
    >
      <title id="first-week-title">The first 7 days, from {dayLabel(days[0]!.day)}</title>
      <desc id="first-week-desc">{described}</desc>
      {series.map((s, i) => (
        <g class="legend">
          <rect x={i * 120} y={4} width={12} height={12} fill={s.colour} />
          <text x={i * 120 + 18} y={14} fill="#15212e">
            {s.label}
          </text>
        </g>
      ))}
      <line x1={0} x2={width} y1={PLOT_TOP + PLOT_HEIGHT} y2={PLOT_TOP + PLOT_HEIGHT} stroke="#dfe4ea" />
      {days.map((d, column) => {
        const left = column * COLUMN + (COLUMN - barsWidth) / 2;
        return (
          <g class="day">
            <text x={column * COLUMN + COLUMN / 2} y={HEIGHT - 8} text-anchor="middle" fill="#15212e">
              {dayLabel(d.day)}
            </text>
            {series.map((s, i) => {
              const value = d[s.key];
              const height = Math.round((value / highest) * PLOT_HEIGHT);
              const x = left + i * (BAR + GAP);
              const y = PLOT_TOP + PLOT_HEIGHT - height;
              return (
                <>
                  <rect x={x} y={y} width={BAR} height={height} fill={s.colour} />
                  <text x={x + BAR / 2} y={y - 4} text-anchor="middle" fill="#5b6775" font-size="11">
                    {barLabel.format(value)}
                  </text>
                </>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
