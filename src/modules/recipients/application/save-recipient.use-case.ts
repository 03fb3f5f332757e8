import { Injectable } from '@nestjs/common';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import type { RecipientProfile } from '../../../domain/recipient/recipient-profile';

/** Creates or replaces what Herald knows about a user. */
@Injectable()
export class SaveRecipient {
  constructor(private readonly directory: RecipientDirectory) {}

  execute(input: Omit<RecipientProfile, 'createdAt' | 'updatedAt'>): Promise<RecipientProfile> {
    return this.directory.upsert(input);
  }
}
