import { useCallback, useEffect, useState } from 'preact/hooks';
import type { EngagementBucket, EngagementOptions, EngagementReport } from '../../../packages/sdk/src/index';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { CHANNELS, ErrorNote, Field, Options, percent } from './common';

const t = en.engagement;
const INTERVALS = ['hour', 'day'] as const;

type Rate = 'deliveryRate' | 'openRate' | 'clickRate' | 'unsubscribeRate' | 'bounceRate';
type Count = 'accepted' | 'sent' | 'delivered' | 'opened' | 'clicked' | 'unsubscribed' | 'bounced';

/** Each line of the chart: a colour of at least 4.5:1 on white, and a dash pattern of its own, so that colour is not the only cue. */
const SERIES: ReadonlyArray<{ rate: Rate; colour: string; dash: string }> = [
  { rate: 'deliveryRate', colour: '#0b57d0', dash: '' },
  { rate: 'openRate', colour: '#146c2e', dash: '8 4' },
  { rate: 'clickRate', colour: '#8a4b00', dash: '2 3' },
  { rate: 'unsubscribeRate', colour: '#6b3fa0', dash: '10 3 2 3' },
  { rate: 'bounceRate', colour: '#b3261e', dash: '4 2' },
];
const COUNTS: readonly Count[] = ['accepted', 'sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'bounced'];

interface Filters {
  from: string;
  to: string;
  interval: string;
  channel: string;
  category: string;
}

/** A datetime-local input's value (local time, to the minute). */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The last 24 hours, by hour, up to the end of the current hour. */
function lastDay(): Filters {
  const to = new Date();
  to.setMinutes(0, 0, 0);
  to.setHours(to.getHours() + 1);
  return { from: localInput(new Date(to.getTime() - 86_400_000)), to: localInput(to), interval: 'hour', channel: '', category: '' };
}

export function queryOf(filters: Filters): EngagementOptions {
  return {
    from: new Date(filters.from).toISOString(),
    to: new Date(filters.to).toISOString(),
    interval: filters.interval as EngagementOptions['interval'],
    ...(filters.channel ? { channel: filters.channel as EngagementOptions['channel'] } : {}),
    ...(filters.category ? { category: filters.category } : {}),
  };
}

function bucketLabel(iso: string, interval: string): string {
  const d = new Date(iso);
  return interval === 'day' ? d.toLocaleDateString() : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function EngagementPage({ session }: { session: Session }) {
  const [draft, setDraft] = useState<Filters>(lastDay);
  const [filters, setFilters] = useState<Filters>(draft);
  const [report, setReport] = useState<EngagementReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setReport(await session.sdk.analytics.engagement(queryOf(filters)));
      setError(null);
    } catch (err) {
      setReport(null);
      setError(messageOf(err));
    }
  }, [session, filters]);
  useEffect(() => void load(), [load]);

  const set = (name: keyof Filters) => (e: Event) => setDraft({ ...draft, [name]: (e.currentTarget as HTMLInputElement).value });
  const buckets = report?.buckets ?? [];
  const interval = report?.interval ?? filters.interval;
  const empty = buckets.every((b) => b.counts.accepted === 0);
  return (
    <section aria-labelledby="engagement-title">
      <h1 id="engagement-title">{t.title}</h1>
      <p>{t.intro}</p>
      <form
        class="filters"
        aria-label={t.filters}
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <Field label={t.from}>
          <input name="from" type="datetime-local" required value={draft.from} onInput={set('from')} />
        </Field>
        <Field label={t.to}>
          <input name="to" type="datetime-local" required value={draft.to} onInput={set('to')} />
        </Field>
        <Field label={t.interval}>
          <select name="interval" value={draft.interval} onChange={set('interval')}>
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {t.intervals[i]}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t.channel}>
          <select name="channel" value={draft.channel} onChange={set('channel')}>
            <option value="">{t.any}</option>
            <Options values={CHANNELS} />
          </select>
        </Field>
        <Field label={t.category}>
          <input name="category" type="text" value={draft.category} onInput={set('category')} />
        </Field>
        <button type="submit">{t.apply}</button>
      </form>
      <ErrorNote error={error} />
      {report && empty && <p>{t.empty}</p>}
      {report && buckets.length > 0 && (
        <>
          <figure class="chart">
            <RateChart buckets={buckets} interval={interval} desc={t.chartDesc(bucketLabel(report.from, interval), bucketLabel(report.to, interval), t.intervals[interval] ?? interval)} />
            <figcaption>
              <ul class="legend">
                {SERIES.map((s) => (
                  <li key={s.rate}>
                    <svg width="32" height="10" aria-hidden="true" focusable="false">
                      <line x1="0" y1="5" x2="32" y2="5" stroke={s.colour} stroke-width="3" stroke-dasharray={s.dash || undefined} />
                    </svg>
                    {t[s.rate]}
                  </li>
                ))}
              </ul>
            </figcaption>
          </figure>
          <h2 id="engagement-table">{t.tableTitle}</h2>
          <div class="table-wrap">
            <table aria-labelledby="engagement-table">
              <thead>
                <tr>
                  <th scope="col">{t.bucket}</th>
                  {COUNTS.map((c) => (
                    <th key={c} scope="col" class="num">
                      {t[c]}
                    </th>
                  ))}
                  {SERIES.map((s) => (
                    <th key={s.rate} scope="col" class="num">
                      {t[s.rate]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {buckets.map((b) => (
                  <tr key={b.start}>
                    <th scope="row">{bucketLabel(b.start, interval)}</th>
                    {COUNTS.map((c) => (
                      <td key={c} class="num">
                        {b.counts[c]}
                      </td>
                    ))}
                    {SERIES.map((s) => (
                      <td key={s.rate} class="num">
                        {percent(b.rates[s.rate])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const W = 640;
const H = 260;
const PAD = { left: 48, right: 16, top: 12, bottom: 40 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

/**
 * The rates of each bucket as lines on a 0 to 100% scale, drawn as inline SVG (no chart library, nothing fetched).
 * A bucket with no rate (nothing sent or delivered) breaks the line. Its figures are in the table below it.
 */
function RateChart({ buckets, interval, desc }: { buckets: EngagementBucket[]; interval: string; desc: string }) {
  const n = buckets.length;
  const x = (i: number) => PAD.left + (n === 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
  const y = (rate: number) => PAD.top + (1 - rate) * PLOT_H;
  // At most four labels on the time axis, the first and the last among them, so that they never overlap.
  const labelled = new Set(n <= 4 ? buckets.map((_, i) => i) : [0, Math.round((n - 1) / 3), Math.round((2 * (n - 1)) / 3), n - 1]);
  const anchor = (i: number) => (n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle');
  return (
    <svg class="rate-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc">
      <title id="chart-title">{t.chartTitle}</title>
      <desc id="chart-desc">{desc}</desc>
      {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
        <g key={tick} class="tick">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#c9d0d8" stroke-width="1" />
          <text x={PAD.left - 6} y={y(tick) + 4} text-anchor="end" font-size="12" fill="#4a5360">
            {percent(tick)}
          </text>
        </g>
      ))}
      {buckets.map((b, i) =>
        labelled.has(i) ? (
          <text key={b.start} x={x(i)} y={H - PAD.bottom + 18} text-anchor={anchor(i)} font-size="12" fill="#4a5360">
            {bucketLabel(b.start, interval)}
          </text>
        ) : null,
      )}
      {SERIES.map((s) => {
        const points = buckets.map((b, i) => ({ i, rate: b.rates[s.rate] }));
        // One "M" per run of buckets that have the rate: a gap where a bucket has none.
        const d = points
          .map((p, k) => (p.rate === null ? '' : `${k > 0 && points[k - 1].rate !== null ? 'L' : 'M'}${x(p.i).toFixed(1)},${y(p.rate).toFixed(1)}`))
          .join('');
        return (
          <g key={s.rate} class={`series series-${s.rate}`} data-series={s.rate}>
            {d && <path d={d} fill="none" stroke={s.colour} stroke-width="2.5" stroke-dasharray={s.dash || undefined} />}
            {points.map((p) => (p.rate === null ? null : <circle key={p.i} cx={x(p.i)} cy={y(p.rate)} r="3.5" fill={s.colour} />))}
          </g>
        );
      })}
    </svg>
  );
}
