import type { DevicePlatform, DeviceToken, RecipientProfile } from '../recipient/recipient-profile';

export abstract class RecipientDirectory {
  abstract get(userId: string): Promise<RecipientProfile | null>;
  abstract getMany(userIds: string[]): Promise<Map<string, RecipientProfile>>;
  /** Creates or replaces the profile; returns it as stored. */
  abstract upsert(profile: RecipientProfile): Promise<RecipientProfile>;
  /**
   * Adds the token to the user's profile (creating an empty profile if there is none), replacing the same token
   * already there; past `keepAtMost` tokens of its platform, the oldest of them are dropped.
   */
  abstract saveDeviceToken(userId: string, token: DeviceToken, keepAtMost: number): Promise<void>;
  /** A provider said the token is dead: it is never used again. */
  abstract removeDeviceToken(userId: string, platform: DevicePlatform, token: string): Promise<void>;
  /** Like removeDeviceToken; answers whether the user had the token. */
  abstract removeDeviceTokenIfPresent(userId: string, platform: DevicePlatform, token: string): Promise<boolean>;
}
