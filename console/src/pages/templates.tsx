import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Template, TemplateList, TemplatePreview } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { channelsIn, ordered, templateDiff, type FieldDiff, type LineKind } from '../template-diff';
import { ErrorNote, Field, Options, when } from './common';
import { Paging, usePaging } from './paging';
import { ChannelContent } from './rendered-content';

const t = en.templates;
const PAGE_SIZE = 50;

/** #/templates lists them; #/templates/<key> opens one. */
export function TemplatesPage({ session, templateKey }: { session: Session; templateKey?: string }) {
  return templateKey ? <TemplateDetail key={templateKey} session={session} templateKey={templateKey} /> : <TemplateIndex session={session} />;
}

function TemplateIndex({ session }: { session: Session }) {
  const [draft, setDraft] = useState('');
  const [prefix, setPrefix] = useState('');
  const paging = usePaging();
  const [page, setPage] = useState<TemplateList | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    session.sdk.templates.list({ limit: PAGE_SIZE, ...(prefix ? { prefix } : {}), ...(paging.cursor ? { cursor: paging.cursor } : {}) }).then(
      (p) => !stale && (setPage(p), setError(null)),
      (err: unknown) => !stale && setError(messageOf(err)),
    );
    return () => {
      stale = true;
    };
  }, [session, prefix, paging.cursor]);

  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">{t.title}</h1>
      <form
        class="inline"
        role="search"
        aria-label={t.search}
        onSubmit={(e) => {
          e.preventDefault();
          // Keys are lower case: "Order" finds order-shipped.
          setPrefix(draft.trim().toLowerCase());
          paging.first();
        }}
      >
        <Field label={t.prefix}>
          <input name="prefix" type="search" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        </Field>
        <button type="submit">{t.find}</button>
      </form>
      <ErrorNote error={error} />
      {page && page.items.length === 0 && <p>{t.empty}</p>}
      {page && page.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.columns.key}</th>
                <th scope="col">{t.columns.latest}</th>
                <th scope="col">{t.columns.defaultLocale}</th>
                <th scope="col">{t.columns.locales}</th>
                <th scope="col">{t.columns.channels}</th>
                <th scope="col">{t.columns.updated}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((item) => (
                <tr key={item.key}>
                  <td>
                    <a class="mono key" href={href.templates(item.key)}>
                      {item.key}
                    </a>
                  </td>
                  <td>{item.latestVersion}</td>
                  <td>{item.defaultLocale}</td>
                  <td>{item.locales.join(', ')}</td>
                  <td>{item.channels.join(', ')}</td>
                  <td>{when(item.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Paging paging={paging} nextCursor={page?.nextCursor} labels={{ first: t.first, next: t.next }} />
    </section>
  );
}

function VersionOptions({ latest }: { latest: number }) {
  return (
    <>
      {Array.from({ length: latest }, (_, i) => latest - i).map((v) => (
        <option key={v} value={v}>
          {v === latest ? `${v} (${t.latest})` : v}
        </option>
      ))}
    </>
  );
}

function TemplateDetail({ session, templateKey }: { session: Session; templateKey: string }) {
  const [latest, setLatest] = useState<Template | null>(null);
  const [viewed, setViewed] = useState<Template | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Published versions never change: each is asked for once.
  const versions = useRef(new Map<number, Promise<Template>>());
  const version = useCallback(
    (v: number) => {
      let found = versions.current.get(v);
      if (!found) {
        found = session.sdk.templates.get(templateKey, { version: v });
        versions.current.set(v, found);
        found.catch(() => versions.current.delete(v));
      }
      return found;
    },
    [session, templateKey],
  );

  useEffect(() => {
    session.sdk.templates.get(templateKey).then(
      (found) => {
        versions.current.set(found.version, Promise.resolve(found));
        setLatest(found);
        setViewed(found);
      },
      (err: unknown) => setError(messageOf(err)),
    );
  }, [session, templateKey]);

  const show = (v: number) =>
    version(v).then(
      (found) => (setViewed(found), setError(null)),
      (err: unknown) => setError(messageOf(err)),
    );

  return (
    <section aria-labelledby="template-title">
      <p>
        <a href={href.templates()}>{t.all}</a>
      </p>
      <h1 id="template-title">{t.heading(templateKey)}</h1>
      <ErrorNote error={error} />
      {latest && viewed && (
        <>
          <Field label={t.version}>
            <select class="narrow" name="version" value={viewed.version} onChange={(e) => void show(Number(e.currentTarget.value))}>
              <VersionOptions latest={latest.version} />
            </select>
          </Field>
          <dl class="facts">
            <dt>{t.published}</dt>
            <dd>{when(viewed.createdAt)}</dd>
            <dt>{t.description}</dt>
            <dd>{viewed.description || en.timeline.none}</dd>
            <dt>{t.defaultLocale}</dt>
            <dd class="mono">{viewed.defaultLocale}</dd>
            <dt>{t.variables}</dt>
            <dd class="mono">{viewed.variables.join(', ') || en.timeline.none}</dd>
          </dl>
          <h2>{t.locales}</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.locale}</th>
                  <th scope="col">{t.channels}</th>
                </tr>
              </thead>
              <tbody>
                {ordered(Object.entries(viewed.locales)).map(([locale, variants]) => (
                    <tr key={locale}>
                      <td class="mono">
                        {locale} {locale === viewed.defaultLocale && t.isDefault}
                      </td>
                      <td>{channelsIn(variants).join(', ')}</td>
                    </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Preview session={session} template={viewed} />
          <Compare latest={latest.version} version={version} />
        </>
      )}
    </section>
  );
}

function Preview({ session, template }: { session: Session; template: Template }) {
  const [sample, setSample] = useState(() => JSON.stringify(Object.fromEntries(template.variables.map((v) => [v, `sample ${v}`])), null, 2));
  const [locale, setLocale] = useState(template.defaultLocale);
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Live: each change of the sample, the locale or the version renders again.
  useEffect(() => {
    let data: unknown;
    try {
      data = JSON.parse(sample);
    } catch {
      data = null;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      setError(t.badJson);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      session.sdk.templates.preview(template.key, { data: data as Record<string, unknown>, locale, version: template.version }).then(
        (p) => !stale && (setPreview(p), setError(null)),
        (err: unknown) => !stale && setError(messageOf(err)),
      );
    }, 250);
    return () => ((stale = true), clearTimeout(timer));
  }, [session, template, sample, locale]);

  return (
    <div class="preview">
      <h2>{t.preview}</h2>
      <div class="preview-inputs">
        <Field label={t.sample}>
          <textarea name="sample" rows={6} value={sample} onInput={(e) => setSample(e.currentTarget.value)} />
        </Field>
        <Field label={t.locale}>
          <select name="locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value)}>
            <Options values={Object.keys(template.locales)} />
          </select>
        </Field>
      </div>
      <ErrorNote error={error} />
      {preview && Object.entries(preview.content).map(([channel, content]) => <ChannelContent key={channel} channel={channel} content={content} frameTitle={t.emailFrame} />)}
    </div>
  );
}

function Compare({ latest, version }: { latest: number; version: (v: number) => Promise<Template> }) {
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const [pair, setPair] = useState<{ from: Template; to: Template } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (latest < 2) return;
    let stale = false;
    Promise.all([version(from), version(to)]).then(
      ([a, b]) => !stale && (setPair({ from: a, to: b }), setError(null)),
      (err: unknown) => !stale && setError(messageOf(err)),
    );
    return () => {
      stale = true;
    };
  }, [latest, version, from, to]);

  const diffs = pair ? templateDiff(pair.from, pair.to) : [];
  const changed = diffs.filter((d) => d.changed);
  return (
    <section aria-labelledby="compare-title">
      <h2 id="compare-title">{t.compare}</h2>
      {latest < 2 ? (
        <p>{t.onlyOne}</p>
      ) : (
        <>
          <div class="inline">
            <Field label={t.from}>
              <select class="narrow" name="from" value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
                <VersionOptions latest={latest} />
              </select>
            </Field>
            <Field label={t.to}>
              <select class="narrow" name="to" value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
                <VersionOptions latest={latest} />
              </select>
            </Field>
          </div>
          <ErrorNote error={error} />
          {pair && (
            <p aria-live="polite">
              {changed.length === 0 ? t.same(pair.from.version, pair.to.version) : t.summary(changed.length, diffs.length - changed.length)}
            </p>
          )}
          {pair && changed.map((d, i) => <FieldChanges key={fieldName(d.field)} id={`diff-${i}`} diff={d} from={pair.from.version} to={pair.to.version} />)}
        </>
      )}
    </section>
  );
}

function fieldName(field: FieldDiff['field']): string {
  return typeof field === 'string' ? t.fields[field as keyof typeof t.fields] ?? field : field.join(' · ');
}

/** Colour is not the only mark: each line has its sign, and a label for screen readers. */
const SIGNS: Record<LineKind, string> = { added: '+', removed: '-', same: ' ' };
const LABELS: Record<LineKind, string> = { added: t.added, removed: t.removed, same: t.unchanged };

function FieldChanges({ id, diff, from, to }: { id: string; diff: FieldDiff; from: number; to: number }) {
  const name = fieldName(diff.field);
  return (
    <section class="diff" aria-labelledby={id}>
      <h3 id={id} class="mono">
        {name}
      </h3>
      {diff.onlyIn && <p>{t.onlyIn(diff.onlyIn === 'from' ? from : to)}</p>}
      <ol class="diff-lines" aria-label={t.changesOf(name)}>
        {diff.lines.map((line, i) =>
          line.kind === 'skipped' ? (
            <li key={i} class="diff-skipped">
              {t.skipped(line.count)}
            </li>
          ) : (
            <li key={i} class={`diff-line diff-${line.kind}`}>
              <span class="diff-sign" aria-hidden="true">
                {SIGNS[line.kind]}
              </span>
              <span class="visually-hidden">{LABELS[line.kind]}</span>
              <span class="diff-text">{line.text}</span>
            </li>
          ),
        )}
      </ol>
    </section>
  );
}
