import { Injectable } from '@nestjs/common';
import { TopicStore, type Topic } from '../../../domain/ports/topic-store.port';

/** Creates a topic or renames it. */
@Injectable()
export class SaveTopic {
  constructor(private readonly topics: TopicStore) {}

  execute(input: { key: string; name: string }): Promise<Topic> {
    return this.topics.upsert(input.key, input.name);
  }
}
