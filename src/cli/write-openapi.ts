import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../infrastructure/config/load-config';
import { buildOpenApiDocument } from '../infrastructure/http/swagger';

/** Where the committed document lives, and the command that rewrites it (named by the check that compares them). */
export const OPENAPI_FILE = 'openapi.json';
export const OPENAPI_COMMAND = 'npm run openapi';

/** The document as committed: two-space JSON with a final newline. */
export function serializeOpenApi(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Writes the OpenAPI document of a Herald running every role. A preview app builds the module graph without
 * creating providers, so nothing connects: no database, queue or SMTP server is needed. The settings are
 * placeholders that only satisfy validation; no setting changes which routes exist.
 */
async function main(target: string): Promise<void> {
  const config = loadConfig({
    HERALD_ROLES: 'all',
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    AWS_REGION: 'unused',
    SMTP_URL: 'smtp://unused.invalid:25',
    EMAIL_FROM: 'Herald <no-reply@unused.invalid>',
    LINK_SIGNING_SECRET: 'unused-outside-a-running-herald'.repeat(2),
    PUBLIC_URL: 'https://unused.invalid',
  });
  const app = await NestFactory.create(AppModule.forConfig(config), { preview: true, logger: ['error'] });
  writeFileSync(target, serializeOpenApi(buildOpenApiDocument(app)));
  await app.close();
  process.stdout.write(`Wrote ${target}\n`);
}

if (require.main === module) {
  main(resolve(process.argv[2] ?? OPENAPI_FILE)).catch((err: unknown) => {
    process.stderr.write(`Could not write the OpenAPI document: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
