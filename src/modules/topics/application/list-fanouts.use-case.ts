import { Injectable } from '@nestjs/common';
import { TopicNotFoundError } from '../../../domain/errors/domain-errors';
import type { ListPosition } from '../../../domain/ports/notification-reader.port';
import { TopicFanoutStore, type FanoutPage } from '../../../domain/ports/topic-fanout.port';
import { TopicStore } from '../../../domain/ports/topic-store.port';

/** A topic's fan-outs, newest first, with their progress; an unknown topic is an error, as for its subscribers. */
@Injectable()
export class ListFanouts {
  constructor(
    private readonly fanouts: TopicFanoutStore,
    private readonly topics: TopicStore,
  ) {}

  async execute(input: { topicKey: string; after: ListPosition | null; limit: number }): Promise<FanoutPage> {
    const page = await this.fanouts.listByTopic(input.topicKey, input.after, input.limit);
    if (page.items.length === 0 && !input.after && !(await this.topics.find(input.topicKey))) throw new TopicNotFoundError(input.topicKey);
    return page;
  }
}
