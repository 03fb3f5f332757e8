import { Module } from '@nestjs/common';
import { RecipientsPersistenceModule } from '../../infrastructure/typeorm/recipients-persistence.module';
import { TemplatesPersistenceModule } from '../../infrastructure/typeorm/templates-persistence.module';
import { TopicsPersistenceModule } from '../../infrastructure/typeorm/topics-persistence.module';
import { PreferencesModule } from '../preferences/preferences.module';
import { TemplatesModule } from '../templates/templates.module';
import { AcceptTopicNotification } from './application/accept-topic-notification.use-case';
import { GetFanout } from './application/get-fanout.use-case';
import { GetTopic } from './application/get-topic.use-case';
import { ListFanouts } from './application/list-fanouts.use-case';
import { ListSubscribers } from './application/list-subscribers.use-case';
import { ListTopics } from './application/list-topics.use-case';
import { RunFanoutBatch } from './application/run-fanout-batch.use-case';
import { SaveTopic } from './application/save-topic.use-case';
import { SubscribeUsers } from './application/subscribe-users.use-case';
import { UnsubscribeUsers } from './application/unsubscribe-users.use-case';

const USE_CASES = [AcceptTopicNotification, GetFanout, ListFanouts, ListSubscribers, ListTopics, GetTopic, SaveTopic, RunFanoutBatch, SubscribeUsers, UnsubscribeUsers];

/** Topics, subscriptions and fan-out of one event to every subscriber (the fan-out loop runs in the scheduler role). */
@Module({
  imports: [PreferencesModule, TemplatesModule, TopicsPersistenceModule, TemplatesPersistenceModule, RecipientsPersistenceModule],
  providers: USE_CASES,
  exports: USE_CASES,
})
export class TopicsModule {}
