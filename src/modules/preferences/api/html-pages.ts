import type { Channel } from '../../../domain/notification/channel';
import { escapeHtml } from '../application/escape-html';
import type { PreferencesView } from '../application/get-preferences.use-case';


function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}td,th{padding:.4rem .8rem;text-align:left;border-bottom:1px solid #ddd}small{color:#666}</style>
</head><body>${body}</body></html>`;
}

export function unsubscribedPage(what: string, preferencePageUrl: string | null): string {
  const more = preferencePageUrl ? `<p><a href="${escapeHtml(preferencePageUrl)}">Manage all your preferences</a></p>` : '';
  return page('Unsubscribed', `<h1>You are unsubscribed</h1><p>You will no longer receive ${escapeHtml(what)}.</p>${more}`);
}

export function refusedPage(problem: 'tampered' | 'expired'): string {
  const why = problem === 'expired' ? 'This link has expired.' : 'This link is not valid.';
  return page('Link not valid', `<h1>${why}</h1><p>Nothing was changed. Use the link in a more recent message, or contact the sender.</p>`);
}

export function preferencePage(token: string, userId: string, view: PreferencesView, channels: readonly Channel[], saved: boolean): string {
  const head = channels.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const rows = view.effective
    .map((category) => {
      const cells = channels
        .map((channel) => {
          const checked = category.channels[channel] ? ' checked' : '';
          const disabled = category.critical ? ' disabled' : '';
          // What the box showed goes back with the form: saving writes only the boxes the person changed.
          const was = category.critical ? '' : `<input type="hidden" name="was:c:${escapeHtml(category.name)}:${channel}" value="${checked ? 'on' : 'off'}">`;
          return `<td><input type="checkbox" name="c:${escapeHtml(category.name)}:${channel}"${checked}${disabled} aria-label="${escapeHtml(category.name)} by ${channel}">${was}</td>`;
        })
        .join('');
      const note = category.critical ? ' <small>(always sent)</small>' : '';
      return `<tr><td>${escapeHtml(category.name)}${note}<br><small>${escapeHtml(category.description)}</small></td>${cells}</tr>`;
    })
    .join('');
  const optOuts = channels
    .map((c) => {
      const stopped = view.optedOutChannels.includes(c);
      return `<label><input type="checkbox" name="optout:${c}"${stopped ? ' checked' : ''}> Stop everything non-essential by ${c}</label><input type="hidden" name="was:optout:${c}" value="${stopped ? 'on' : 'off'}"><br>`;
    })
    .join('');
  return page(
    'Notification preferences',
    `<h1>Notification preferences</h1><p><small>for ${escapeHtml(userId)}</small></p>${saved ? '<p><strong>Saved.</strong></p>' : ''}
<form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}">
<table><tr><th>Category</th>${head}</tr>${rows}</table><p>${optOuts}</p><button type="submit">Save</button></form>`,
  );
}
