import { Module } from '@nestjs/common';
import { AccessPersistenceModule } from '../../infrastructure/typeorm/access-persistence.module';
import { AuditPersistenceModule } from '../../infrastructure/typeorm/audit-persistence.module';
import { AuthenticateApiKey } from './application/authenticate-api-key.use-case';
import { AuthenticateInboxToken } from './application/authenticate-inbox-token.use-case';
import { CreateInboxToken } from './application/create-inbox-token.use-case';
import { CreateApiKey } from './application/create-api-key.use-case';
import { ListApiKeys } from './application/list-api-keys.use-case';
import { ListAuditLog } from './application/list-audit-log.use-case';
import { RevokeApiKey } from './application/revoke-api-key.use-case';
import { SeedBootstrapKey } from './application/seed-bootstrap-key';

/** API keys: creation, listing, revocation, authentication and scopes; user tokens for a user's own inbox. The guards that check every route are added by the roles (src/roles/every-role.module.ts). */
@Module({
  imports: [AccessPersistenceModule, AuditPersistenceModule],
  providers: [CreateApiKey, ListApiKeys, RevokeApiKey, ListAuditLog, AuthenticateApiKey, SeedBootstrapKey, AuthenticateInboxToken, CreateInboxToken],
  exports: [CreateApiKey, ListApiKeys, RevokeApiKey, ListAuditLog, AuthenticateApiKey, AuthenticateInboxToken, CreateInboxToken],
})
export class AccessModule {}
