// Herald's web push service worker: shows each push as a notification and opens its URL when it is clicked.
// Herald's payload is JSON: { title, body, url?, icon?, notificationId }. Serve this file from your own origin and
// pass its URL to registerWebPush; to add your own handling, importScripts() it from your service worker.
/// <reference lib="webworker" />
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

sw.addEventListener('install', () => {
  void sw.skipWaiting();
});
sw.addEventListener('activate', (event) => {
  event.waitUntil(sw.clients.claim());
});

sw.addEventListener('push', (event) => {
  /** @type {{ title?: string, body?: string, url?: string, icon?: string, notificationId?: string }} */
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    sw.registration.showNotification(message.title || 'Notification', {
      body: message.body || '',
      icon: message.icon,
      // The same notification delivered again replaces the one shown.
      tag: message.notificationId,
      data: { url: message.url, notificationId: message.notificationId },
    }),
  );
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = openable(event.notification.data && event.notification.data.url);
  if (!url) return;
  event.waitUntil(
    sw.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === url);
      return open ? open.focus() : sw.clients.openWindow(url);
    }),
  );
});

/** Only http(s) URLs are opened. @param {unknown} url @returns {string | null} */
function openable(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, sw.location.origin);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
