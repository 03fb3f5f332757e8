import { Injectable } from '@nestjs/common';
import { TopicNotFoundError } from '../../../domain/errors/domain-errors';
import { TopicStore, type SubscriberPage } from '../../../domain/ports/topic-store.port';

@Injectable()
export class ListSubscribers {
  constructor(private readonly topics: TopicStore) {}

  async execute(input: { key: string; after: string | null; limit: number }): Promise<SubscriberPage> {
    const page = await this.topics.listSubscribers(input.key, input.after, input.limit);
    if (page.userIds.length === 0 && !input.after && !(await this.topics.find(input.key))) throw new TopicNotFoundError(input.key);
    return page;
  }
}
