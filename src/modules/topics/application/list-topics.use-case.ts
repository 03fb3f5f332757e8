import { Injectable } from '@nestjs/common';
import { TopicStore, type TopicPage } from '../../../domain/ports/topic-store.port';

/** Topics in key order with their subscriber counts, a page at a time. */
@Injectable()
export class ListTopics {
  constructor(private readonly topics: TopicStore) {}

  execute(input: { after: string | null; limit: number }): Promise<TopicPage> {
    return this.topics.list(input.after, input.limit);
  }
}
