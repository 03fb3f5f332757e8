import { Injectable } from '@nestjs/common';
import { ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import { isChannel, type Channel } from '../../../domain/notification/channel';
import type { UserPreferences } from '../../../domain/preferences/preference-policy';
import { differs } from '../../../domain/audit/audit-state';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { GetPreferences, type PreferencesView } from './get-preferences.use-case';
import { CATEGORY_NAME_PATTERN } from '../../../domain/notification/patterns';

export interface UpdatePreferencesInput {
  userId: string;
  categories: Record<string, Record<string, unknown>>;
  optedOutChannels: Channel[];
  /**
   * Who asks: an API key (recorded in the audit log), or the recipient themselves through a user token, whose own
   * change is not an admin action and is not recorded there.
   */
  actor: { keyId: string | null } | 'recipient';
}


/** Replaces a user's choices (categories x channels) and global channel opt-outs; a change is recorded in the audit log. */
@Injectable()
export class UpdatePreferences {
  constructor(
    private readonly store: PreferenceStore,
    private readonly getPreferences: GetPreferences,
  ) {}

  async execute(input: UpdatePreferencesInput): Promise<PreferencesView> {
    const issues: FieldIssue[] = [];
    const categories: UserPreferences['categories'] = {};
    for (const [name, channels] of Object.entries(input.categories)) {
      if (!CATEGORY_NAME_PATTERN.test(name)) issues.push({ field: `categories.${name}`, reason: 'is not a valid category name' });
      if (!channels || typeof channels !== 'object' || Array.isArray(channels)) {
        issues.push({ field: `categories.${name}`, reason: 'must map channels to true or false' });
        continue;
      }
      categories[name] = {};
      for (const [channel, enabled] of Object.entries(channels)) {
        if (!isChannel(channel)) issues.push({ field: `categories.${name}.${channel}`, reason: 'is not a known channel' });
        else if (typeof enabled !== 'boolean') issues.push({ field: `categories.${name}.${channel}`, reason: 'must be true or false' });
        else categories[name][channel] = enabled;
      }
    }
    if (issues.length) throw new ValidationFailedError(issues);
    await this.store.replacePreferences({ userId: input.userId, categories, optedOutChannels: [...new Set(input.optedOutChannels)] }, ({ previous, replaced }) => {
      const before = auditedPreferences(previous);
      const after = auditedPreferences(replaced);
      // The same PUT again changes nothing and is not recorded twice.
      if (input.actor === 'recipient') return null;
      return differs(before, after) ? { keyId: input.actor.keyId, action: 'preferences.changed', target: `recipient:${input.userId}`, before, after } : null;
    });
    return this.getPreferences.execute({ userId: input.userId });
  }
}

function auditedPreferences(prefs: UserPreferences): Record<string, unknown> {
  return { categories: prefs.categories, optedOutChannels: [...prefs.optedOutChannels].sort() };
}
