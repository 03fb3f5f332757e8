import { Injectable } from '@nestjs/common';
import { DELIVERABLE_CHANNELS, type Channel } from '../../../domain/notification/channel';
import { decidePreference, type Category, type UserPreferences } from '../../../domain/preferences/preference-policy';
import { PreferenceStore } from '../../../domain/ports/preference-store.port';

export interface CategoryPreferenceView {
  name: string;
  description: string;
  critical: boolean;
  /** What will happen on each channel, after defaults, choices and opt-outs. */
  channels: Partial<Record<Channel, boolean>>;
}

export interface PreferencesView extends UserPreferences {
  effective: CategoryPreferenceView[];
}

/** A user's choices and their effect on every declared category (and any undeclared one the user chose for). */
@Injectable()
export class GetPreferences {
  constructor(private readonly store: PreferenceStore) {}

  async execute(input: { userId: string }): Promise<PreferencesView> {
    const [prefs, declared] = await Promise.all([this.store.getPreferences([input.userId]), this.store.listCategories()]);
    const userPrefs = prefs.get(input.userId)!;
    const names = new Set(declared.map((c) => c.name));
    const undeclared: Category[] = Object.keys(userPrefs.categories)
      .filter((n) => !names.has(n))
      .map((name) => ({ name, description: '', critical: false, channelDefaults: {} }));
    const effective = [...declared, ...undeclared].map((category) => ({
      name: category.name,
      description: category.description,
      critical: category.critical,
      channels: Object.fromEntries(
        DELIVERABLE_CHANNELS.map((channel) => [channel, decidePreference(category.name, category, userPrefs, channel).allowed]),
      ),
    }));
    return { ...userPrefs, effective };
  }
}
