import { Injectable } from '@nestjs/common';
import { RecipientNotFoundError } from '../../../domain/errors/domain-errors';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';
import type { RecipientProfile } from '../../../domain/recipient/recipient-profile';
import { maskProfile } from '../../../domain/recipient/secret-mask';

/** A profile as reads show it: device tokens and chat webhook URLs masked (they are capabilities). */
@Injectable()
export class GetRecipient {
  constructor(private readonly directory: RecipientDirectory) {}

  async execute(input: { userId: string }): Promise<RecipientProfile> {
    const found = await this.directory.get(input.userId);
    if (!found) throw new RecipientNotFoundError(input.userId);
    return maskProfile(found);
  }
}
