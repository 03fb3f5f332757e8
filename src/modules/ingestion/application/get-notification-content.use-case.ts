import { Injectable } from '@nestjs/common';
import { NotificationNotFoundError } from '../../../domain/errors/domain-errors';
import { NotificationReader, type SentContentView } from '../../../domain/ports/notification-reader.port';

/** A notification's content as it was sent, with the template version and locale it was rendered from. */
@Injectable()
export class GetNotificationContent {
  constructor(private readonly reader: NotificationReader) {}

  async execute(input: { id: string }): Promise<SentContentView> {
    const found = await this.reader.findSentContent(input.id);
    if (!found) throw new NotificationNotFoundError(input.id);
    return found;
  }
}
