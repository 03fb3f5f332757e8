import { HeraldInboxError, InboxClient, TokenSource } from './client.js';
import type { TokenProvider } from './types.js';

export { HeraldInboxError } from './client.js';

export interface RegisterWebPushOptions {
  /** Herald's URL. */
  baseUrl: string;
  /** The user token, or a function that returns a fresh one (as `<herald-inbox>`'s tokenProvider). */
  token: string | TokenProvider;
  /** The service worker to register, served from your own origin (this package's herald-inbox-sw.js, or yours). */
  serviceWorkerUrl: string;
  /** The service worker's scope; default: the folder it is served from. */
  scope?: string;
}

export interface WebPushSubscriptionJson {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

/**
 * Turns on browser notifications for the user of the token: registers the service worker, asks the user's
 * permission (call it from a click: browsers only ask in answer to one), subscribes with Herald's VAPID key
 * (GET /v1/inbox/webpush/key) and stores the subscription (PUT /v1/inbox/webpush/subscriptions), after which
 * webpush notifications to the user reach this browser. Calling it again keeps the same subscription. Fails with a
 * HeraldInboxError whose code is `webpush_unsupported`, `webpush_permission_denied`, `webpush_subscribe_failed` or
 * one of Herald's.
 */
export async function registerWebPush(options: RegisterWebPushOptions): Promise<WebPushSubscriptionJson> {
  if (!('serviceWorker' in navigator) || typeof PushManager === 'undefined' || typeof Notification === 'undefined') {
    throw new HeraldInboxError('webpush_unsupported', 'This browser has no web push (service workers, the Push API and notifications are needed).');
  }
  const client = clientFor(options);
  const registration = await navigator.serviceWorker.register(options.serviceWorkerUrl, options.scope ? { scope: options.scope } : undefined);
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') throw new HeraldInboxError('webpush_permission_denied', `Notifications are not allowed (${permission}).`);
  const { publicKey } = await client.json<{ publicKey: string }>('GET', '/v1/inbox/webpush/key');
  const applicationServerKey = fromBase64Url(publicKey);
  await activated(registration);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another key (Herald's keys were changed) cannot be sent to any more.
  if (subscription && !sameKey(subscription.options.applicationServerKey, applicationServerKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) {
    try {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
    } catch (err) {
      throw new HeraldInboxError('webpush_subscribe_failed', `The browser's push service refused the subscription: ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
  }
  const json = subscription.toJSON() as WebPushSubscriptionJson;
  await saveWebPushSubscription({ baseUrl: options.baseUrl, token: options.token, subscription: json });
  return json;
}

/** Stores a push subscription for the user of the token (PUT /v1/inbox/webpush/subscriptions), as registerWebPush does. */
export async function saveWebPushSubscription(options: { baseUrl: string; token: string | TokenProvider; subscription: WebPushSubscriptionJson }): Promise<void> {
  const { endpoint, expirationTime, keys } = options.subscription;
  await clientFor(options).request('PUT', '/v1/inbox/webpush/subscriptions', {
    body: { endpoint, ...(expirationTime != null ? { expirationTime } : {}), keys: { p256dh: keys.p256dh, auth: keys.auth } },
  });
}

function clientFor(options: { baseUrl: string; token: string | TokenProvider }): InboxClient {
  const tokens = new TokenSource();
  if (typeof options.token === 'function') tokens.provider = options.token;
  else tokens.set(options.token);
  return new InboxClient(options.baseUrl, tokens);
}

/** A worker that is still installing cannot subscribe yet. */
function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  return new Promise((resolve, reject) => {
    if (!worker) return reject(new HeraldInboxError('webpush_unsupported', 'The service worker did not install.'));
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      else if (worker.state === 'redundant') reject(new HeraldInboxError('webpush_unsupported', 'The service worker failed to install.'));
    });
  });
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameKey(current: ArrayBuffer | null, wanted: Uint8Array): boolean {
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === wanted.length && bytes.every((b, i) => b === wanted[i]);
}
