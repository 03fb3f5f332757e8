import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { API_KEY_SCOPES } from '../domain/access/api-key';
import { DomainError, ValidationFailedError } from '../domain/errors/domain-errors';
import { ConfigModule } from '../infrastructure/config/config.module';
import { ConfigError } from '../infrastructure/config/config-error';
import { loadConfigWithSecrets } from '../infrastructure/config/load-config-with-secrets';
import { readRulesFile } from '../infrastructure/event-rules/rules-file';
import { DataDecryptionError, FieldCipher } from '../infrastructure/crypto/field-cipher';
import { createDataSource, runMigrationsLocked } from '../infrastructure/typeorm/data-source';
import { reencryptRecipientSecrets } from '../infrastructure/typeorm/recipient-secrets.reencryption';
import { reencryptSentContent } from '../infrastructure/typeorm/sent-content.reencryption';
import { DatabaseModule } from '../infrastructure/typeorm/database.module';
import { AccessModule } from '../modules/access/access.module';
import { CreateApiKey } from '../modules/access/application/create-api-key.use-case';
import { ListApiKeys } from '../modules/access/application/list-api-keys.use-case';
import { RevokeApiKey } from '../modules/access/application/revoke-api-key.use-case';

const USAGE = `Usage:
  npm run cli -- api-key create --scopes ${API_KEY_SCOPES.join(',')} [--name NAME] [--expires-at ISO-8601]
  npm run cli -- api-key list          (never the secrets: prefix and last four characters)
  npm run cli -- api-key revoke ID
  npm run cli -- migrate
  npm run cli -- reencrypt [--batch-size N] [--after USER_ID] [--after-notification ID]
                                       (seals recipients' chat URLs and device tokens, then notifications' content
                                        as sent, under DATA_ENCRYPTION_ACTIVE_KEY)
  npm run cli -- rules check FILE      (checks an EVENT_RULES_FILE; no database needed)
Needs DATABASE_URL.`;

async function apiKeyCommand(app: INestApplicationContext, args: string[]): Promise<number> {
  if (args[1] === 'create') {
    const scopes = (option(args, 'scopes') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const expires = option(args, 'expires-at');
    if (expires !== undefined && (!ISO_TIME.test(expires) || Number.isNaN(Date.parse(expires)))) {
      throw new ValidationFailedError([{ field: 'expires-at', reason: 'must be an ISO 8601 date-time such as 2027-01-01T00:00:00Z' }]);
    }
    const key = await app.get(CreateApiKey).execute({ name: option(args, 'name') ?? 'cli', scopes, ...(expires ? { expiresAt: new Date(expires) } : {}) });
    const until = key.expiresAt ? `, expiring ${key.expiresAt.toISOString()}` : '';
    process.stdout.write(`Created API key ${key.id} (${key.name}) with scopes ${key.scopes.join(', ')}${until}.\n`);
    process.stdout.write(`Secret (shown once; store it now):\n${key.secret}\n`);
    return 0;
  }
  if (args[1] === 'list') {
    const now = Date.now();
    for (const key of await app.get(ListApiKeys).execute()) {
      const status = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : key.expiresAt && key.expiresAt.getTime() <= now ? `expired ${key.expiresAt.toISOString()}` : 'active';
      const expiry = !key.revokedAt && key.expiresAt && key.expiresAt.getTime() > now ? ` (expires ${key.expiresAt.toISOString()})` : '';
      process.stdout.write(`${key.id}  ${key.prefix}...${key.lastFour ?? '????'}  ${key.name}  ${key.scopes.join(',')}  ${status}${expiry}\n`);
    }
    return 0;
  }
  if (!args[2]) throw new ValidationFailedError([{ field: 'id', reason: 'name the key to revoke: api-key revoke ID' }]);
  const key = await app.get(RevokeApiKey).execute({ id: args[2] });
  process.stdout.write(`Revoked API key ${key.id} (${key.name}) at ${key.revokedAt!.toISOString()}.\n`);
  return 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(args: string[]): Promise<number> {
  if (args[0] === 'rules' && args[1] === 'check' && args[2]) {
    const { rules, problems } = readRulesFile(args[2]);
    if (problems.length) {
      process.stderr.write(`${args[2]} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`${args[2]}: ${rules.length} rule(s), all valid: ${rules.map((r) => r.name).join(', ')}\n`);
    return 0;
  }
  // The CLI needs only the database: it runs under the api role's settings, whatever HERALD_ROLES says.
  const config = await loadConfigWithSecrets({
    AWS_REGION: 'unused',
    LINK_SIGNING_SECRET: 'unused-by-the-cli-'.repeat(2),
    PUBLIC_URL: 'https://unused-by-the-cli.invalid',
    ...process.env,
    HERALD_ROLES: 'api',
  });
  if (args[0] === 'migrate') {
    const ds = await createDataSource(config.database.url, 1).initialize();
    try {
      const applied = await runMigrationsLocked(ds);
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date.\n');
    } finally {
      await ds.destroy();
    }
    return 0;
  }
  if (args[0] === 'reencrypt') {
    const batchSize = Number(option(args, 'batch-size') ?? 500);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(['--batch-size must be a positive integer']);
    const afterNotification = option(args, 'after-notification') ?? null;
    if (afterNotification !== null && !UUID.test(afterNotification)) throw new ConfigError(['--after-notification must be a notification id (a UUID)']);
    const ds = await createDataSource(config.database.url, 1).initialize();
    const cipher = new FieldCipher(config.dataEncryption);
    try {
      // Resuming from a notification means the recipients were done.
      if (afterNotification === null) {
        const done = await reencryptRecipientSecrets(ds, cipher, {
          batchSize,
          after: option(args, 'after') ?? null,
          onBatch: (b, t) => process.stdout.write(`recipients: ${t.examined} examined, ${t.rewritten} re-encrypted (batch of ${b.examined} up to user id ${b.lastUserId})\n`),
        });
        process.stdout.write(`Done: ${done.examined} recipient(s) examined, ${done.rewritten} re-encrypted under key "${config.dataEncryption.activeKeyId}".\n`);
      }
      const content = await reencryptSentContent(ds, cipher, {
        batchSize,
        after: afterNotification,
        onBatch: (b, t) => process.stdout.write(`notifications: ${t.rewritten} re-encrypted (batch of ${b.rewritten} up to notification id ${b.lastNotificationId})\n`),
      });
      process.stdout.write(`Done: ${content.rewritten} notification content(s) as sent re-encrypted under key "${config.dataEncryption.activeKeyId}".\n`);
    } finally {
      await ds.destroy();
    }
    return 0;
  }
  if (args[0] === 'api-key' && ['create', 'list', 'revoke'].includes(args[1] ?? '')) {
    @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, AccessModule] })
    class CliModule {}
    const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
    try {
      return await apiKeyCommand(app, args);
    } finally {
      await app.close();
    }
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof DomainError || err instanceof DataDecryptionError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
