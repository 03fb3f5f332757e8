import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { InboxFeed, type InboxItem } from '../../../domain/ports/inbox.port';

export type InboxStreamEvent = { kind: 'ready' } | { kind: 'item'; item: InboxItem } | { kind: 'heartbeat' };

/**
 * A user's new inbox items as they arrive. `ready` comes first, once the subscription is live, so a client knows
 * that nothing stored from then on can be missed; heartbeats keep idle connections open through proxies.
 */
@Injectable()
export class StreamInbox {
  constructor(private readonly feed: InboxFeed) {}

  execute(input: { userId: string; heartbeatMs: number }): Observable<InboxStreamEvent> {
    return new Observable<InboxStreamEvent>((subscriber) => {
      let unsubscribe: (() => void) | null = null;
      let ended = false;
      const heartbeat = setInterval(() => subscriber.next({ kind: 'heartbeat' }), input.heartbeatMs);
      this.feed
        .subscribe(input.userId, (event) => {
          if (event.kind === 'item') subscriber.next({ kind: 'item', item: event.item });
          // The client reconnects, and reads the page for what it missed.
          else if (event.kind === 'lost') subscriber.complete();
        })
        .then((stop) => {
          if (ended) return stop();
          unsubscribe = stop;
          subscriber.next({ kind: 'ready' });
        })
        .catch((err: Error) => subscriber.error(err));
      return () => {
        ended = true;
        clearInterval(heartbeat);
        unsubscribe?.();
      };
    });
  }
}
