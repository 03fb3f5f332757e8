import type { ChatContent } from '../notification/notification-request';
import type { SendResult } from '../notification/send-result';
import type { ChatDestinationType } from '../recipient/recipient-profile';

export interface OutgoingChat {
  notificationId: string;
  /** The destination's URL (a Slack incoming webhook, an HTTP endpoint). It is a secret: never logged. */
  url: string;
  content: ChatContent;
}

/** A chat destination's type picks its provider: a Slack webhook URL only works with Slack. */
export abstract class ChatProvider {
  abstract readonly name: string;
  abstract readonly type: ChatDestinationType;
  abstract readonly idempotent: boolean;
  abstract send(message: OutgoingChat): Promise<SendResult>;
}

/** Token for the enabled chat providers (CHAT_PROVIDERS). */
export const CHAT_PROVIDERS = Symbol('CHAT_PROVIDERS');
