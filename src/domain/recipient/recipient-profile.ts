export const DEVICE_PLATFORMS = ['fcm', 'apns', 'webpush'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export interface DeviceToken {
  token: string;
  platform: DevicePlatform;
  /** Web push subscriptions carry their keys (p256dh, auth) with the endpoint in `token`. */
  keys?: { p256dh: string; auth: string };
}

export const CHAT_DESTINATION_TYPES = ['slack', 'webhook'] as const;
export type ChatDestinationType = (typeof CHAT_DESTINATION_TYPES)[number];

export interface ChatDestination {
  type: ChatDestinationType;
  url: string;
  enabled: boolean;
}

/** What Herald knows about a user, so that a notification may name a userId alone. */
export interface RecipientProfile {
  userId: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  timezone: string | null;
  deviceTokens: DeviceToken[];
  chatDestinations: ChatDestination[];
  attributes: Record<string, unknown>;
  createdAt?: Date;
  updatedAt?: Date;
}
