import { Injectable } from '@nestjs/common';
import { TopicNotFoundError } from '../../../domain/errors/domain-errors';
import { TopicStore, type Topic } from '../../../domain/ports/topic-store.port';

@Injectable()
export class GetTopic {
  constructor(private readonly topics: TopicStore) {}

  async execute(input: { key: string }): Promise<Topic> {
    const topic = await this.topics.find(input.key);
    if (!topic) throw new TopicNotFoundError(input.key);
    return topic;
  }
}
