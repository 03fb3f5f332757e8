import { Injectable } from '@nestjs/common';
import { DELIVERABLE_CHANNELS, type Channel } from '../../../domain/notification/channel';
import type { UserPreferences } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import { GetPreferences, type CategoryPreferenceView, type PreferencesView } from './get-preferences.use-case';
import { PreferenceLinks } from './preference-links';

export type PreferencePageOutcome =
  | { kind: 'page'; userId: string; view: PreferencesView; channels: readonly Channel[]; saved: boolean; locale: string | null }
  | { kind: 'refused'; problem: 'tampered' | 'expired' };

/**
 * The form's answer: which category-channel toggles are on, and which channels are opted out; and, when the page
 * sent them, the states it displayed (`shown`), so that only what the person changed is saved.
 */
export interface PreferenceForm {
  enabled: Array<{ category: string; channel: Channel }>;
  optedOutChannels: Channel[];
  shown?: {
    toggles: Array<{ category: string; channel: Channel; on: boolean }>;
    optOuts: Array<{ channel: Channel; on: boolean }>;
  };
}

/** The hosted preference page behind a signed link: shows the toggles and saves them. */
@Injectable()
export class PreferencePage {
  constructor(
    private readonly links: PreferenceLinks,
    private readonly store: PreferenceStore,
    private readonly getPreferences: GetPreferences,
    private readonly directory: RecipientDirectory,
  ) {}

  async execute(input: { token: string | undefined; form?: PreferenceForm }): Promise<PreferencePageOutcome> {
    const check = this.links.verify(input.token);
    if (!check.valid) return { kind: 'refused', problem: check.problem };
    if (check.claim.purpose !== 'preferences') return { kind: 'refused', problem: 'tampered' };
    const userId = check.claim.userId;
    if (input.form) {
      const current = await this.getPreferences.execute({ userId });
      await this.store.replacePreferences({ userId, ...changedBy(input.form, current) });
    }
    const [view, profile] = await Promise.all([this.getPreferences.execute({ userId }), this.directory.get(userId)]);
    // The page speaks the recipient's language when their profile names one.
    return { kind: 'page', userId, view, channels: DELIVERABLE_CHANNELS, saved: Boolean(input.form), locale: profile?.locale ?? null };
  }
}

/**
 * The preferences after the person's changes, and nothing else. The page shows what will happen (a global stop shows
 * every category off on that channel), so saving what it shows would turn each shown state into an explicit choice:
 * lifting the stop would leave every category off. Instead a toggle or a stop is written only when it differs from
 * what was displayed; everything else keeps its stored choice or, when there is none, the category's default.
 * Critical categories are shown but cannot be turned off.
 */
function changedBy(form: PreferenceForm, current: PreferencesView): Pick<UserPreferences, 'categories' | 'optedOutChannels'> {
  const shownToggle = (category: CategoryPreferenceView, channel: Channel): boolean =>
    form.shown?.toggles.find((t) => t.category === category.name && t.channel === channel)?.on ?? category.channels[channel] === true;
  const categories: UserPreferences['categories'] = { ...current.categories };
  for (const category of current.effective.filter((c) => !c.critical)) {
    for (const channel of DELIVERABLE_CHANNELS) {
      const on = form.enabled.some((e) => e.category === category.name && e.channel === channel);
      if (on !== shownToggle(category, channel)) categories[category.name] = { ...categories[category.name], [channel]: on };
    }
  }
  const optedOut = new Set(current.optedOutChannels);
  for (const channel of DELIVERABLE_CHANNELS) {
    const stopped = form.optedOutChannels.includes(channel);
    const shown = form.shown?.optOuts.find((o) => o.channel === channel)?.on ?? current.optedOutChannels.includes(channel);
    if (stopped !== shown) {
      if (stopped) optedOut.add(channel);
      else optedOut.delete(channel);
    }
  }
  return { categories, optedOutChannels: [...optedOut] };
}
