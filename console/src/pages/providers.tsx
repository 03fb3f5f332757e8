import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ProviderHealth, ProviderHealthReport } from '../../../packages/sdk/src/index';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, Field, percent } from './common';

const t = en.providers;
const WINDOWS = ['15m', '1h', '6h', '24h'] as const;
const REFRESH_MS = 5000;

export function ProvidersPage({ session }: { session: Session }) {
  const [span, setSpan] = useState<string>('15m');
  const [report, setReport] = useState<ProviderHealthReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  const load = useCallback(async () => {
    try {
      setReport(await session.sdk.providers.health({ window: span }));
      setError(null);
      setUpdatedAt(new Date());
    } catch (err) {
      setError(messageOf(err));
    }
  }, [session, span]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section aria-labelledby="providers-title">
      <h1 id="providers-title">{t.title}</h1>
      <p>{t.intro}</p>
      <div class="inline">
        <Field label={t.window}>
          <select name="window" value={span} onChange={(e) => setSpan(e.currentTarget.value)}>
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {t.windows[w]}
              </option>
            ))}
          </select>
        </Field>
        <p class="live">{updatedAt ? t.updated(updatedAt.toLocaleTimeString()) : ''}</p>
      </div>
      <ErrorNote error={error} />
      {report && report.providers.length === 0 && <p>{t.empty}</p>}
      {report && report.providers.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.channel}</th>
                <th scope="col">{t.provider}</th>
                <th scope="col">{t.breaker}</th>
                <th scope="col" class="num">{t.attempts}</th>
                <th scope="col" class="num">{t.sent}</th>
                <th scope="col" class="num">{t.transient}</th>
                <th scope="col" class="num">{t.permanent}</th>
                <th scope="col" class="num">{t.unknown}</th>
                <th scope="col" class="num">{t.errorRate}</th>
                <th scope="col" class="num">{t.p50}</th>
                <th scope="col" class="num">{t.p95}</th>
              </tr>
            </thead>
            <tbody>
              {report.providers.map((p) => (
                <tr key={`${p.channel}/${p.provider}`}>
                  <td>{p.channel}</td>
                  <th scope="row">
                    {p.provider}
                    {!p.configured && <span class="muted"> ({t.notConfigured})</span>}
                  </th>
                  <td>
                    <BreakerBadge breaker={p.breaker} />
                  </td>
                  <td class="num">{p.attempts}</td>
                  <td class="num">{p.sent}</td>
                  <td class="num">{p.transientFailures}</td>
                  <td class="num">{p.permanentFailures}</td>
                  <td class="num">{p.unknown}</td>
                  <td class="num">{percent(p.errorRate)}</td>
                  <td class="num">{p.latencyMs.p50 === null ? en.engagement.none : t.ms(p.latencyMs.p50)}</td>
                  <td class="num">{p.latencyMs.p95 === null ? en.engagement.none : t.ms(p.latencyMs.p95)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The breaker's state in words (never by colour alone), and in how many of the live workers it is so. */
function BreakerBadge({ breaker }: { breaker: ProviderHealth['breaker'] }) {
  const state = t.states[breaker.state] ?? breaker.state;
  const of = breaker.workers.length;
  const count = breaker.state === 'open' ? breaker.open : breaker.state === 'half_open' ? breaker.halfOpen : breaker.closed;
  const text = breaker.state === 'not_reported' ? state : t.inWorkers(state, count, of);
  return <span class={`badge breaker-${breaker.state}`}>{text}</span>;
}
