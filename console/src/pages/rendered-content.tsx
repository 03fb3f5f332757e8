import { Fragment } from 'preact';
import { en } from '../strings';

const t = en.content;

type Fields = Record<string, unknown>;

/**
 * One channel's content, rendered or as sent: an email's subject, its HTML in a sandboxed frame and its text part;
 * the other channels' fields as text. `frameTitle` names the frame for assistive technology.
 */
export function ChannelContent({ channel, content, frameTitle }: { channel: string; content: unknown; frameTitle: string }) {
  const c = (content ?? {}) as Fields;
  return (
    <article class="rendered" aria-label={channel}>
      <h4>{channel}</h4>
      {channel === 'email' ? <Email email={c} frameTitle={frameTitle} /> : <Facts fields={c} />}
    </article>
  );
}

function Email({ email, frameTitle }: { email: Fields; frameTitle: string }) {
  const html = typeof email.html === 'string' ? email.html : undefined;
  const text = typeof email.text === 'string' ? email.text : undefined;
  return (
    <>
      <p>
        {t.subject}: <strong>{String(email.subject ?? '')}</strong>
      </p>
      {/* No scripts, no forms, no same origin: the email's HTML can do nothing in the console. */}
      <iframe title={frameTitle} sandbox="" srcdoc={html ?? `<pre>${escapeHtml(text ?? '')}</pre>`} />
      {html !== undefined && text !== undefined && (
        <>
          <h5>{t.textPart}</h5>
          <pre>{text}</pre>
        </>
      )}
    </>
  );
}

const LABELS: Record<string, string> = { title: t.title, body: t.body, text: t.text, url: t.link, actionUrl: t.link, icon: t.icon, data: t.data, blocks: t.blocks };

/** SMS, push, web push, chat and in-app fields, in a fixed order; anything structured (push data, Slack blocks) as JSON. */
function Facts({ fields }: { fields: Fields }) {
  const names = Object.keys(fields).sort((a, b) => order(a) - order(b));
  return (
    <dl class="facts">
      {names.map((name) => (
        <Fragment key={name}>
          <dt>{LABELS[name] ?? name}</dt>
          <dd>
            <pre>{typeof fields[name] === 'string' ? (fields[name] as string) : JSON.stringify(fields[name], null, 2)}</pre>
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

const ORDER = ['title', 'text', 'body', 'url', 'actionUrl', 'icon', 'data', 'blocks'];
const order = (name: string) => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
