import { Injectable } from '@nestjs/common';
import { RejectedEventLog, type RecordedRejectedEvent } from '../../../domain/ports/rejected-event-log.port';

export interface RejectedEventsPage {
  items: RecordedRejectedEvent[];
  nextCursor: string | null;
}

/** Events from streams and the intake queue that matched but could not become notifications, newest first. */
@Injectable()
export class ListRejectedEvents {
  constructor(private readonly log: RejectedEventLog) {}

  async execute(input: { source?: string; cursor?: string; limit?: number }): Promise<RejectedEventsPage> {
    const limit = input.limit ?? 50;
    const items = await this.log.list({ source: input.source, before: input.cursor, limit });
    return { items, nextCursor: items.length === limit ? items[items.length - 1].id : null };
  }
}
