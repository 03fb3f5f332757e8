import { Injectable } from '@nestjs/common';
import { NotificationNotFoundError } from '../../../domain/errors/domain-errors';
import { NotificationReader, type NotificationView } from '../../../domain/ports/notification-reader.port';

@Injectable()
export class GetNotification {
  constructor(private readonly reader: NotificationReader) {}

  async execute(input: { id: string }): Promise<NotificationView> {
    const found = await this.reader.findById(input.id);
    if (!found) throw new NotificationNotFoundError(input.id);
    return found;
  }
}
