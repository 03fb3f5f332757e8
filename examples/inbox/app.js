// The example application's own script: gives <herald-inbox> a way to get tokens, and wires the buttons.
const inbox = document.querySelector('herald-inbox');
const params = new URLSearchParams(location.search);
if (params.get('locale')) inbox.locale = params.get('locale');
if (params.get('pageSize')) inbox.pageSize = Number(params.get('pageSize'));

/** The application's backend mints a short-lived token for the signed-in user; the element asks again before it expires. */
async function inboxToken() {
  const response = await fetch('/api/inbox-token', { method: 'POST' });
  if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
  return response.json(); // { token, expiresAt }
}
inbox.tokenProvider = inboxToken;

const events = document.getElementById('events');
for (const type of ['herald-inbox:item', 'herald-inbox:read', 'herald-inbox:action', 'herald-inbox:error']) {
  inbox.addEventListener(type, (event) => {
    const entry = document.createElement('li');
    const detail = event.detail;
    entry.textContent = `${type} ${detail.item ? detail.item.title : detail.code ?? (detail.updated !== undefined ? `${detail.updated} updated` : '')}`;
    events.prepend(entry);
  });
}

let sent = 0;
let pushOn = false;
document.getElementById('send').addEventListener('click', async () => {
  const status = document.getElementById('send-status');
  status.textContent = 'Sending…';
  const response = await fetch('/api/send-test', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ n: ++sent, webpush: pushOn }) });
  status.textContent = response.ok ? 'Sent: watch the bell.' : `Not sent (${response.status}): ${await response.text()}`;
});

document.getElementById('push').addEventListener('click', async () => {
  const status = document.getElementById('push-status');
  const { registerWebPush } = await import('/web-push.js');
  try {
    await registerWebPush({ baseUrl: inbox.baseUrl, token: inboxToken, serviceWorkerUrl: '/herald-inbox-sw.js' });
    pushOn = true;
    status.textContent = 'Browser notifications are on: test notifications now come here too.';
  } catch (err) {
    status.textContent = `Browser notifications could not be turned on: ${err.message}`;
  }
});
