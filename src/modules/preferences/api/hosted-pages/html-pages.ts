import type { Channel } from '../../../../domain/notification/channel';
import type { UnsubscribedFrom } from '../../application/apply-unsubscribe-link.use-case';
import { escapeHtml } from '../../application/escape-html';
import type { PreferencesView } from '../../application/get-preferences.use-case';
import type { PageStrings } from './page-strings';

/** What every hosted page is framed with: its language and the console's stylesheet (null when the console is not built). */
export interface PageFrame {
  strings: PageStrings;
  stylesheet: string | null;
}

/** No inline style or script: the pages' CSP allows style sheets from 'self' only, and the console's sheet styles them. */
function page(frame: PageFrame, title: string, body: string): string {
  const sheet = frame.stylesheet ? `<link rel="stylesheet" href="${escapeHtml(frame.stylesheet)}">` : '';
  return `<!doctype html><html lang="${escapeHtml(frame.strings.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,">${sheet}
</head><body><main class="hosted">${body}</main></body></html>`;
}

export function unsubscribedPage(frame: PageFrame, from: UnsubscribedFrom, preferencePageUrl: string | null): string {
  const t = frame.strings.unsubscribed;
  const channel = frame.strings.channels[from.channel];
  const what =
    from.kind === 'category' ? t.fromCategory(from.category, channel) : from.kind === 'channel' ? t.fromChannel(channel) : t.fromAddress(from.address);
  const more = preferencePageUrl ? `<p><a href="${escapeHtml(preferencePageUrl)}">${escapeHtml(t.managePreferences)}</a></p>` : '';
  return page(frame, t.title, `<h1>${escapeHtml(t.heading)}</h1><p>${escapeHtml(what)}</p>${more}`);
}

export function refusedPage(frame: PageFrame, problem: 'tampered' | 'expired'): string {
  const t = frame.strings.refused;
  const why = problem === 'expired' ? t.expired : t.tampered;
  return page(frame, t.title, `<h1>${escapeHtml(why)}</h1><p>${escapeHtml(t.nothingChanged)}</p>`);
}

export function preferencePage(frame: PageFrame, token: string, userId: string, view: PreferencesView, channels: readonly Channel[], saved: boolean): string {
  const t = frame.strings.preferences;
  const named = (channel: Channel) => frame.strings.channels[channel];
  const head = channels.map((c) => `<th scope="col">${escapeHtml(named(c))}</th>`).join('');
  const rows = view.effective
    .map((category) => {
      const cells = channels
        .map((channel) => {
          const checked = category.channels[channel] ? ' checked' : '';
          const disabled = category.critical ? ' disabled' : '';
          // What the box showed goes back with the form: saving writes only the boxes the person changed.
          const was = category.critical ? '' : `<input type="hidden" name="was:c:${escapeHtml(category.name)}:${channel}" value="${checked ? 'on' : 'off'}">`;
          const label = escapeHtml(t.toggle(category.name, named(channel)));
          return `<td><input type="checkbox" name="c:${escapeHtml(category.name)}:${channel}"${checked}${disabled} aria-label="${label}">${was}</td>`;
        })
        .join('');
      const note = category.critical ? ` <small>${escapeHtml(t.alwaysSent)}</small>` : '';
      return `<tr><td>${escapeHtml(category.name)}${note}<br><small>${escapeHtml(category.description)}</small></td>${cells}</tr>`;
    })
    .join('');
  const optOuts = channels
    .map((c) => {
      const stopped = view.optedOutChannels.includes(c);
      return (
        `<label class="check"><input type="checkbox" name="optout:${c}"${stopped ? ' checked' : ''}> ${escapeHtml(t.stopChannel(named(c)))}</label>` +
        `<input type="hidden" name="was:optout:${c}" value="${stopped ? 'on' : 'off'}">`
      );
    })
    .join('');
  return page(
    frame,
    t.title,
    `<h1>${escapeHtml(t.title)}</h1><p class="for-user">${escapeHtml(t.forUser(userId))}</p>${saved ? `<p class="note" role="status">${escapeHtml(t.saved)}</p>` : ''}
<form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}">
<div class="table-wrap"><table><thead><tr><th scope="col">${escapeHtml(t.categoryColumn)}</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>
<div class="opt-outs">${optOuts}</div><button type="submit">${escapeHtml(t.save)}</button></form>`,
  );
}
