import { Injectable } from '@nestjs/common';
import { DELIVERABLE_CHANNELS, type Channel } from '../../../domain/notification/channel';
import type { UserPreferences } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { GetPreferences, type PreferencesView } from './get-preferences.use-case';
import { PreferenceLinks } from './preference-links';

export type PreferencePageOutcome =
  | { kind: 'page'; userId: string; view: PreferencesView; channels: readonly Channel[]; saved: boolean }
  | { kind: 'refused'; problem: 'tampered' | 'expired' };

/** The form's answer: which category-channel toggles are on, and which channels are opted out. */
export interface PreferenceForm {
  enabled: Array<{ category: string; channel: Channel }>;
  optedOutChannels: Channel[];
}

/** The hosted preference page behind a signed link: shows the toggles and saves them. */
@Injectable()
export class PreferencePage {
  constructor(
    private readonly links: PreferenceLinks,
    private readonly store: PreferenceStore,
    private readonly getPreferences: GetPreferences,
  ) {}

  async execute(input: { token: string | undefined; form?: PreferenceForm }): Promise<PreferencePageOutcome> {
    const check = this.links.verify(input.token);
    if (!check.valid) return { kind: 'refused', problem: check.problem };
    if (check.claim.purpose !== 'preferences') return { kind: 'refused', problem: 'tampered' };
    const userId = check.claim.userId;
    if (input.form) {
      const current = await this.getPreferences.execute({ userId });
      // Every toggle shown is saved explicitly; critical categories are shown but cannot be turned off.
      const categories: UserPreferences['categories'] = { ...current.categories };
      for (const category of current.effective.filter((c) => !c.critical)) {
        categories[category.name] = { ...categories[category.name] };
        for (const channel of DELIVERABLE_CHANNELS) {
          categories[category.name][channel] = input.form.enabled.some((e) => e.category === category.name && e.channel === channel);
        }
      }
      const hidden = current.optedOutChannels.filter((c) => !DELIVERABLE_CHANNELS.includes(c));
      await this.store.replacePreferences({ userId, categories, optedOutChannels: [...new Set([...hidden, ...input.form.optedOutChannels])] });
    }
    const view = await this.getPreferences.execute({ userId });
    return { kind: 'page', userId, view, channels: DELIVERABLE_CHANNELS, saved: Boolean(input.form) };
  }
}
