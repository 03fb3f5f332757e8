import { Injectable } from '@nestjs/common';
import {
  NotificationReader,
  type ListPosition,
  type NotificationFeedFilter,
  type NotificationPage,
} from '../../../domain/ports/notification-reader.port';

/** The activity feed: notifications matching a filter, newest first, a page at a time. */
@Injectable()
export class ListNotifications {
  constructor(private readonly reader: NotificationReader) {}

  execute(input: { filter: NotificationFeedFilter; limit: number; after: ListPosition | null }): Promise<NotificationPage> {
    return this.reader.listFeed(input.filter, input.limit, input.after);
  }
}
