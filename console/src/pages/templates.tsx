import { useEffect, useState } from 'preact/hooks';
import type { Template, TemplatePreview } from '../../../packages/sdk/src/index';
import { href } from '../route';
import { messageOf, type Session } from '../session';
import { en } from '../strings';
import { ErrorNote, Field, Options } from './common';
import { ChannelContent } from './rendered-content';

const t = en.templates;

export function TemplatesPage({ session, initialKey }: { session: Session; initialKey?: string }) {
  const [key, setKey] = useState(initialKey ?? '');
  const [template, setTemplate] = useState<Template | null>(null);
  const [latest, setLatest] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const open = async (k: string, version?: number) => {
    try {
      const found = await session.sdk.templates.get(k, version ? { version } : {});
      setTemplate(found);
      if (!version) setLatest(found.version);
      setError(null);
    } catch (err) {
      setTemplate(null);
      setError(messageOf(err));
    }
  };
  useEffect(() => {
    if (initialKey) void open(initialKey);
  }, [initialKey]);

  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">{t.title}</h1>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          if (location.hash === href.templates(key.trim())) void open(key.trim());
          else location.hash = href.templates(key.trim());
        }}
      >
        <Field label={t.key}>
          <input name="templateKey" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        </Field>
        <button type="submit">{t.open}</button>
      </form>
      <ErrorNote error={error} />
      {template && (
        <>
          <h2>{template.key}</h2>
          {template.description && <p>{template.description}</p>}
          <Field label={t.version}>
            <select class="narrow" name="version" value={template.version} onChange={(e) => void open(template.key, Number(e.currentTarget.value))}>
              {Array.from({ length: latest }, (_, i) => latest - i).map((v) => (
                <option key={v} value={v}>
                  {v === latest ? `${v} (${t.latest})` : v}
                </option>
              ))}
            </select>
          </Field>
          <p>
            {t.variables}: <span class="mono">{template.variables.join(', ') || en.timeline.none}</span> · {t.locales}:{' '}
            <span class="mono">{Object.keys(template.locales).join(', ')}</span>
          </p>
          <Preview session={session} template={template} />
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
      <h3>{t.preview}</h3>
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
