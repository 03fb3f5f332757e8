import type { Channel } from '../notification/channel';
import type { Category, UserPreferences } from '../preferences/preference-policy';
import type { AuditOf } from './audit-log.port';

export interface CategoryChange {
  previous: Category | null;
  declared: Category;
}

export interface PreferencesChange {
  previous: UserPreferences;
  replaced: UserPreferences;
}

/** Categories, users' choices and opt-outs, shaped for the API, the links and the dispatch gate. */
export abstract class PreferenceStore {
  /** `audit` gets the category before (null when new) and after, and its entry is written in the same transaction. */
  abstract upsertCategory(category: Category, audit?: AuditOf<CategoryChange>): Promise<Category>;
  abstract listCategories(): Promise<Category[]>;
  abstract getCategories(names: string[]): Promise<Map<string, Category>>;
  /** Users without any choice come back with empty preferences. */
  abstract getPreferences(userIds: string[]): Promise<Map<string, UserPreferences>>;
  /** Replaces every choice and opt-out of the user; `audit` as for upsertCategory, with the user's choices. */
  abstract replacePreferences(prefs: UserPreferences, audit?: AuditOf<PreferencesChange>): Promise<void>;
  abstract setCategoryChannel(userId: string, category: string, channel: Channel, enabled: boolean): Promise<void>;
  abstract optOutChannel(userId: string, channel: Channel, source: string): Promise<void>;
  abstract optOutAddress(channel: Channel, address: string, source: string): Promise<void>;
  /** An SMS STOP: the number and every user holding it stop receiving SMS. Returns how many users it concerned. */
  abstract optOutPhone(phone: string, source: string): Promise<number>;
  /** An SMS START: undoes optOutPhone. */
  abstract optInPhone(phone: string): Promise<number>;
  /** Of the given addresses on a channel, those that asked to stop. */
  abstract optedOutAddresses(channel: Channel, addresses: string[]): Promise<Set<string>>;
}
