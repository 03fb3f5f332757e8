import type { Channel } from '../notification/channel';

export interface Suppression {
  channel: Channel;
  /** Email address (lower-case) or phone number. */
  address: string;
  reason: string;
  /** Where it came from: a provider event (`ses`, `sendgrid`) or `api`. */
  source: string;
  createdAt: Date;
}

/** Addresses Herald never sends to again (hard bounces, complaints), until removed. */
export abstract class SuppressionList {
  abstract add(entries: Array<Omit<Suppression, 'createdAt'>>): Promise<number>;
  abstract list(filter: { channel?: Channel; address?: string }, limit: number): Promise<Suppression[]>;
  abstract remove(channel: Channel, address: string): Promise<boolean>;
  /** The suppressed entries among these addresses of one channel. */
  abstract find(channel: Channel, addresses: string[]): Promise<Map<string, Suppression>>;
}
