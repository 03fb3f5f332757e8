import type { DevicePlatform, RecipientProfile } from '../recipient/recipient-profile';

export abstract class RecipientDirectory {
  abstract get(userId: string): Promise<RecipientProfile | null>;
  abstract getMany(userIds: string[]): Promise<Map<string, RecipientProfile>>;
  /** Creates or replaces the profile; returns it as stored. */
  abstract upsert(profile: RecipientProfile): Promise<RecipientProfile>;
  /** A provider said the token is dead: it is never used again. */
  abstract removeDeviceToken(userId: string, platform: DevicePlatform, token: string): Promise<void>;
}
