import { Injectable } from '@nestjs/common';
import type { ListableStatus } from '../../../domain/notification/notification-status';
import { NotificationReader, type ListPosition, type NotificationPage } from '../../../domain/ports/notification-reader.port';

/** Notifications in one status, most recently changed first, a page at a time. */
@Injectable()
export class ListNotifications {
  constructor(private readonly reader: NotificationReader) {}

  execute(input: { status: ListableStatus; limit: number; after: ListPosition | null }): Promise<NotificationPage> {
    return this.reader.listByStatus(input.status, input.limit, input.after);
  }
}
