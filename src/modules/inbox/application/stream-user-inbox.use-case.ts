import { Injectable, Logger } from '@nestjs/common';
import { Observable } from 'rxjs';
import { Inbox, InboxFeed, type InboxCounts, type InboxFeedEvent, type InboxItem } from '../../../domain/ports/inbox.port';

/**
 * `position` is the sequence of the last item the stream has delivered, or of the user's newest item when it
 * started: resuming after it loses nothing (so every event can carry it as its id).
 */
export type UserInboxStreamEvent =
  | { kind: 'ready'; position: number }
  | { kind: 'item'; item: InboxItem }
  | { kind: 'counts'; counts: InboxCounts; position: number }
  | { kind: 'heartbeat'; position: number };

/** Items read per query when a reconnecting client catches up. */
const CATCH_UP_BATCH = 200;

/**
 * The user's inbox as it changes. The live feed is listened to first; then, for a client resuming after
 * `afterSequence`, every item stored after it is sent, oldest first; then what the feed brought meanwhile and
 * everything after, each item once (by sequence: the feed delivers in commit order, which is sequence order).
 * A client that does not resume starts at the user's newest item: what was stored before `ready` is the
 * listing's to show, and the client passes the newest listed `sequence` as `afterSequence` to miss nothing.
 * `ready` says the client has caught up and is live; `counts` follow it and every change. The stream ends at
 * `endsAt` (when the token stops being accepted: the client reconnects with a new one) and when the feed loses its connection
 * (the client reconnects and catches up).
 */
@Injectable()
export class StreamUserInbox {
  private readonly logger = new Logger('InboxStream');

  constructor(
    private readonly inbox: Inbox,
    private readonly feed: InboxFeed,
  ) {}

  execute(input: { userId: string; afterSequence: number | null; heartbeatMs: number; endsAt: Date }): Observable<UserInboxStreamEvent> {
    return new Observable<UserInboxStreamEvent>((subscriber) => {
      let ended = false;
      let unsubscribe: (() => void) | null = null;
      let live = false;
      const waiting: InboxFeedEvent[] = [];
      let last = input.afterSequence ?? 0;
      let started = false;
      let countsRunning = false;
      let countsAgain = false;

      const refreshCounts = (): void => {
        if (countsRunning) {
          countsAgain = true;
          return;
        }
        countsRunning = true;
        this.inbox
          .counts(input.userId)
          .then((counts) => {
            if (!ended) subscriber.next({ kind: 'counts', counts, position: last });
          })
          .catch((err: Error) => this.logger.warn(`inbox counts not streamed: ${err.message}`))
          .finally(() => {
            countsRunning = false;
            if (countsAgain && !ended) {
              countsAgain = false;
              refreshCounts();
            }
          });
      };
      const handle = (event: InboxFeedEvent): void => {
        if (ended) return;
        switch (event.kind) {
          case 'item':
            if (event.item.sequence <= last) return;
            last = event.item.sequence;
            subscriber.next({ kind: 'item', item: event.item });
            refreshCounts();
            return;
          case 'changed':
            refreshCounts();
            return;
          case 'lost':
            subscriber.complete();
            return;
        }
      };

      // Before the start is known there is no position to give: a heartbeat then would tell the client to resume from nothing.
      const heartbeat = setInterval(() => {
        if (started) subscriber.next({ kind: 'heartbeat', position: last });
      }, input.heartbeatMs);
      const expiry = setTimeout(() => subscriber.complete(), Math.max(0, input.endsAt.getTime() - Date.now()));
      this.feed
        .subscribe(input.userId, (event) => (live ? handle(event) : waiting.push(event)))
        .then(async (stop) => {
          if (ended) return stop();
          unsubscribe = stop;
          if (input.afterSequence === null) {
            last = await this.inbox.latestSequence(input.userId);
            if (ended) return;
          }
          started = true;
          if (input.afterSequence !== null) {
            for (;;) {
              const batch = await this.inbox.after(input.userId, last, CATCH_UP_BATCH);
              if (ended) return;
              for (const item of batch) {
                last = item.sequence;
                subscriber.next({ kind: 'item', item });
              }
              if (batch.length < CATCH_UP_BATCH) break;
            }
          }
          live = true;
          for (const event of waiting.splice(0)) handle(event);
          if (ended) return;
          subscriber.next({ kind: 'ready', position: last });
          refreshCounts();
        })
        .catch((err: Error) => subscriber.error(err));
      return () => {
        ended = true;
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe?.();
      };
    });
  }
}
