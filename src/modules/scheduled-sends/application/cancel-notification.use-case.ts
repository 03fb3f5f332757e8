import { Injectable } from '@nestjs/common';
import { NotificationNotCancellableError, NotificationNotFoundError } from '../../../domain/errors/domain-errors';
import { ScheduleBook } from '../../../domain/ports/schedule-book.port';

/**
 * Cancels a notification before it is sent: scheduled, or queued and not yet claimed by a worker.
 * Once a worker holds it (sending) or it is settled, it is too late.
 */
@Injectable()
export class CancelNotification {
  constructor(private readonly book: ScheduleBook) {}

  async execute(input: { id: string; by: string }): Promise<{ id: string; status: 'cancelled' }> {
    const outcome = await this.book.cancel(input.id, `cancelled by ${input.by}`);
    switch (outcome.kind) {
      case 'cancelled':
        return { id: input.id, status: 'cancelled' };
      case 'not_found':
        throw new NotificationNotFoundError(input.id);
      case 'too_late':
        throw new NotificationNotCancellableError(input.id, outcome.status);
    }
  }
}
