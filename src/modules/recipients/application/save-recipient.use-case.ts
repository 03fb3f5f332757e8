import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import type { RecipientProfile } from '../../../domain/recipient/recipient-profile';
import { maskProfile, restoreMaskedSecrets } from '../../../domain/recipient/secret-mask';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { destinationFieldIssues } from '../../../infrastructure/providers/http/outbound-guard';

/**
 * Creates or replaces what Herald knows about a user. Masked values sent back from a read keep the stored secrets;
 * destinations Herald may never reach are refused here, before they are stored. Answers the profile as reads show it.
 */
@Injectable()
export class SaveRecipient {
  constructor(
    private readonly directory: RecipientDirectory,
    private readonly config: HeraldConfig,
  ) {}

  async execute(input: Omit<RecipientProfile, 'createdAt' | 'updatedAt'>): Promise<RecipientProfile> {
    const restored = restoreMaskedSecrets(input, await this.directory.get(input.userId));
    if (!restored.ok) throw new ValidationFailedError(restored.issues);
    const profile = { ...input, deviceTokens: restored.deviceTokens, chatDestinations: restored.chatDestinations };
    const issues = destinationFieldIssues(profile, this.config.outbound);
    if (issues.length) throw new ValidationFailedError(issues);
    return maskProfile(await this.directory.upsert(profile));
  }
}
