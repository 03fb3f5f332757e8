import { HeraldError, HeraldInbox, type WebPushSubscription } from '@herald/sdk';
import { TokenSource, type TokenProvider } from './token.js';

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

/** Why web push could not be turned on, besides Herald's own error codes (`webpush_not_configured`...). */
export type WebPushProblem = 'webpush_unsupported' | 'webpush_permission_denied' | 'webpush_subscribe_failed';

/** A step in the browser failed; Herald's refusals are HeraldErrors with Herald's code. */
export class WebPushError extends Error {
  override readonly name = 'WebPushError';
  constructor(
    readonly code: WebPushProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Turns on browser notifications for the user of the token: registers the service worker, asks the user's
 * permission (call it from a click: browsers ask only in answer to one), subscribes with Herald's VAPID key
 * (GET /v1/inbox/webpush/key) and stores the subscription (PUT /v1/inbox/webpush/subscriptions), after which
 * webpush notifications to the user reach this browser. Calling it again keeps the subscription the browser has.
 * Rejects with a WebPushError, or a HeraldError for a refusal from Herald.
 */
export async function registerWebPush(options: RegisterWebPushOptions): Promise<WebPushSubscription> {
  if (!('serviceWorker' in navigator) || typeof PushManager === 'undefined' || typeof Notification === 'undefined') {
    throw new WebPushError('webpush_unsupported', 'This browser has no web push: service workers, the Push API and notifications are needed.');
  }
  const herald = clientFor(options);
  const registration = await navigator.serviceWorker.register(options.serviceWorkerUrl, options.scope ? { scope: options.scope } : undefined);
  const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') throw new WebPushError('webpush_permission_denied', `Notifications are not allowed (${permission}).`);
  const applicationServerKey = fromBase64Url(await herald.webPush.publicKey());
  await activated(registration);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another key (Herald's VAPID keys were changed) cannot be sent to any more.
  if (subscription && !sameKey(subscription.options.applicationServerKey, applicationServerKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) {
    try {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
    } catch (err) {
      throw new WebPushError('webpush_subscribe_failed', `The browser could not subscribe: ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
  }
  const json = subscription.toJSON() as WebPushSubscription;
  await herald.webPush.subscribe(json);
  return json;
}

/** Stores a subscription for the user of the token (PUT /v1/inbox/webpush/subscriptions): registerWebPush's last step. */
export async function saveWebPushSubscription(options: { baseUrl: string; token: string | TokenProvider; subscription: WebPushSubscription }): Promise<void> {
  await clientFor(options).webPush.subscribe(options.subscription);
}

function clientFor(options: { baseUrl: string; token: string | TokenProvider }): HeraldInbox {
  const tokens = new TokenSource();
  if (typeof options.token === 'function') tokens.provider = options.token;
  else tokens.set(options.token);
  return new HeraldInbox({ baseUrl: options.baseUrl, token: () => tokens.get() });
}

/** A worker that is still installing cannot subscribe yet. */
function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  return new Promise((resolve, reject) => {
    if (!worker) return reject(new WebPushError('webpush_unsupported', 'The service worker did not install.'));
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      else if (worker.state === 'redundant') reject(new WebPushError('webpush_unsupported', 'The service worker failed to install.'));
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

export { HeraldError };
