import { Injectable } from '@nestjs/common';
import { PreferenceLinks } from './preference-links';

/** A signed link to the hosted preference page of one user, to put in your own messages or app. */
@Injectable()
export class CreatePreferenceLink {
  constructor(private readonly links: PreferenceLinks) {}

  execute(input: { userId: string }): { url: string; expiresAt: Date } {
    return this.links.preferencePageUrl(input.userId);
  }
}
