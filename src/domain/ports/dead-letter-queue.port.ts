import type { Channel } from '../notification/channel';

export interface DeadLetter {
  messageId: string;
  body: string;
  /** How many times the message was received before it was dead-lettered, and since. */
  receiveCount: number;
  sentAt: Date | null;
  /** The notifications the message names; empty for a message Herald cannot read (a poison message). */
  notificationIds: string[];
}

export interface DeadLetterRedriveReport {
  /** Messages moved back to the channel queue. */
  redriven: number;
  /** Selected messages that name no notification; they stay in the dead-letter queue. */
  poison: number;
}

/** The dead-letter queue of each channel queue: messages that could not be processed maxReceiveCount times. */
export abstract class DeadLetterQueue {
  abstract peek(channel: Channel, limit: number): Promise<DeadLetter[]>;
  /** Moves the named messages (or all when `messageIds` is null) back to the channel queue. */
  abstract redrive(channel: Channel, messageIds: string[] | null): Promise<DeadLetterRedriveReport>;
}
