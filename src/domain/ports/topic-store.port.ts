export interface Topic {
  key: string;
  name: string;
  createdAt: Date;
  subscriberCount: number;
}

export interface SubscriberPage {
  userIds: string[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface TopicPage {
  topics: Topic[];
  /** The last key of this page, to pass as `after` for the next one; null on the last page. */
  nextCursor: string | null;
}

export abstract class TopicStore {
  abstract upsert(key: string, name: string): Promise<Topic>;
  abstract find(key: string): Promise<Topic | null>;
  /** Topics in key order (byte order), with their subscriber counts: keyset pagination after a key. */
  abstract list(after: string | null, limit: number): Promise<TopicPage>;
  /** Returns how many were not subscribed before. The topic is created if it does not exist. */
  abstract subscribe(key: string, userIds: string[]): Promise<number>;
  abstract unsubscribe(key: string, userIds: string[]): Promise<number>;
  /** Keyset pagination by user id. */
  abstract listSubscribers(key: string, after: string | null, limit: number): Promise<SubscriberPage>;
}
