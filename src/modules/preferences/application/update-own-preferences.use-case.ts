import { Injectable } from '@nestjs/common';
import { ValidationFailedError, type FieldIssue } from '../../../domain/errors/domain-errors';
import type { Channel } from '../../../domain/notification/channel';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import type { PreferencesView } from './get-preferences.use-case';
import { GetPreferences } from './get-preferences.use-case';
import { UpdatePreferences } from './update-preferences.use-case';

/**
 * A user replacing their own choices (with a user token): the same body and answer as the API's, but only what
 * the categories let a user change. Declared, non-critical categories and the channel opt-outs are theirs;
 * choices for a critical category or for one that is not declared stay as stored. Sending such a choice back as
 * it was read is accepted (a read-modify-write), leaving it out keeps it, and changing it is refused.
 */
@Injectable()
export class UpdateOwnPreferences {
  constructor(
    private readonly store: PreferenceStore,
    private readonly getPreferences: GetPreferences,
    private readonly updatePreferences: UpdatePreferences,
  ) {}

  async execute(input: { userId: string; categories: Record<string, Record<string, unknown>>; optedOutChannels: Channel[] }): Promise<PreferencesView> {
    const [current, declared] = await Promise.all([this.getPreferences.execute({ userId: input.userId }), this.store.listCategories()]);
    const byName = new Map(declared.map((c) => [c.name, c]));
    const fixed = (name: string) => !byName.has(name) || byName.get(name)!.critical;
    const issues: FieldIssue[] = [];
    for (const [name, channels] of Object.entries(input.categories)) {
      if (!fixed(name) || !isSwitches(channels)) continue;
      if (!sameSwitches(channels, current.categories[name] ?? {})) {
        issues.push({ field: `categories.${name}`, reason: byName.has(name) ? 'is a critical category: a user cannot change it' : 'is not a declared category: a user can change only declared ones' });
      }
    }
    if (issues.length) throw new ValidationFailedError(issues);
    // What the user may not change is written back as stored; a malformed entry goes on, to be refused with the API's own reasons.
    const own = Object.entries(input.categories).filter(([name, channels]) => !fixed(name) || !isSwitches(channels));
    const kept = Object.entries(current.categories).filter(([name]) => fixed(name));
    return this.updatePreferences.execute({ userId: input.userId, categories: Object.fromEntries([...own, ...kept]), optedOutChannels: input.optedOutChannels });
  }
}

function isSwitches(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameSwitches(given: Record<string, unknown>, stored: Record<string, unknown>): boolean {
  const channels = new Set([...Object.keys(given), ...Object.keys(stored)]);
  return [...channels].every((channel) => given[channel] === stored[channel]);
}
