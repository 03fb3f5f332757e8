import type { Channel } from '../notification/channel';
import type { NotificationContent } from '../notification/notification-request';
import type { SendResult } from '../notification/send-result';
import type { ClaimedNotification } from '../notification/claimed-notification';
import type { DestinationSend } from '../routing/destination-fan-out';

export interface ChannelSendOutcome {
  /** Which provider answered (null when none was called). */
  provider: string | null;
  result: SendResult;
  /** Fanned-out channels: the outcome of each destination, tracked separately. */
  destinations?: DestinationSend[];
  /**
   * What the sender built for the provider(s), under its channel's key, to be kept as the content as sent: email
   * with its unsubscribe footer, but without the open pixel and click redirects (viewing them would count an open)
   * and with the footer link's signed token withheld. Absent when no message was built (no address, no destination).
   */
  sent?: NotificationContent;
}

export const DEFAULT_MAX_IN_FLIGHT = 128;

/** Delivers one notification on one channel, choosing among that channel's providers. */
export abstract class ChannelSender {
  abstract readonly channel: Channel;
  /** True when every provider of the channel takes an idempotency key, so a lost outcome may be resent safely. */
  abstract readonly resendable: boolean;
  /**
   * How many sends of this channel a worker process has in flight at most. A notification's attempt is
   * started (and a crash from then on leaves its outcome unknown) only when it gets one of these slots, so
   * nothing is marked as being sent while it merely waits for a connection.
   */
  get maxInFlight(): number {
    return DEFAULT_MAX_IN_FLIGHT;
  }
  abstract send(notification: ClaimedNotification): Promise<ChannelSendOutcome>;
}
