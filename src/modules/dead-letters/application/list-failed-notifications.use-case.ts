import { Injectable } from '@nestjs/common';
import { FailedNotifications, type FailedNotificationFilter, type FailedNotificationView } from '../../../domain/ports/failed-notifications.port';

/** Failed notifications with their last error, newest first. */
@Injectable()
export class ListFailedNotifications {
  constructor(private readonly failed: FailedNotifications) {}

  execute(input: { filter: FailedNotificationFilter; limit: number }): Promise<FailedNotificationView[]> {
    return this.failed.list(input.filter, input.limit);
  }
}
