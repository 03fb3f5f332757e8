import { Injectable } from '@nestjs/common';
import { RecipientDirectory } from '../../../domain/ports/recipient-directory.port';

/** Forgets a browser's subscription (the browser unsubscribed). Forgetting one that is not stored changes nothing. */
@Injectable()
export class RemoveWebPushSubscription {
  constructor(private readonly directory: RecipientDirectory) {}

  async execute(input: { userId: string; endpoint: string }): Promise<void> {
    await this.directory.removeDeviceTokenIfPresent(input.userId, 'webpush', input.endpoint);
  }
}
