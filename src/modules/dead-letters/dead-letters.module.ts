import { Module } from '@nestjs/common';
import { SqsInfrastructureModule } from '../../infrastructure/sqs/sqs.module';
import { AuditPersistenceModule } from '../../infrastructure/typeorm/audit-persistence.module';
import { DeliveryPersistenceModule } from '../../infrastructure/typeorm/delivery-persistence.module';
import { ListDeadLetters } from './application/list-dead-letters.use-case';
import { ListFailedNotifications } from './application/list-failed-notifications.use-case';
import { RedriveDeadLetters } from './application/redrive-dead-letters.use-case';
import { RedriveFailedNotifications } from './application/redrive-failed-notifications.use-case';
import { ResendUnknownNotifications } from './application/resend-unknown-notifications.use-case';

const USE_CASES = [ListFailedNotifications, RedriveFailedNotifications, ListDeadLetters, RedriveDeadLetters, ResendUnknownNotifications];

/** Failed, unknown and dead-lettered notifications: listed with their last error, and sent again (each time recorded in the audit log). */
@Module({ imports: [DeliveryPersistenceModule, SqsInfrastructureModule, AuditPersistenceModule], providers: USE_CASES, exports: USE_CASES })
export class DeadLettersModule {}
