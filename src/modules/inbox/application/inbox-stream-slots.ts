import { Injectable } from '@nestjs/common';
import { InboxStreamLimitError } from '../../../domain/errors/domain-errors';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';

/** How long a refused stream is told to wait: about as long as a closed tab takes to be noticed. */
const RETRY_AFTER_SECONDS = 10;

/**
 * Open user streams per user in this process (INBOX_MAX_STREAMS_PER_USER). One more is refused rather than the
 * oldest closed: closing the oldest would have two tabs of one user, each reconnecting, close each other in turn.
 */
@Injectable()
export class InboxStreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly config: HeraldConfig) {}

  /** Takes a slot, or throws InboxStreamLimitError. The returned release may be called more than once. */
  acquire(userId: string): () => void {
    const limit = this.config.inboxAccess.maxStreamsPerUser;
    const count = this.open.get(userId) ?? 0;
    if (count >= limit) throw new InboxStreamLimitError(limit, RETRY_AFTER_SECONDS);
    this.open.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}
