/** Every channel Herald can deliver on. Each has its own queue and worker role. */
export const CHANNELS = ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}

/** Channels whose delivery path is implemented; requests naming others are refused with a clear error. */
export const DELIVERABLE_CHANNELS: readonly Channel[] = ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'];
