import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Herald')
    .setDescription(
      'Notification service: every accepted event becomes exactly one notification per recipient and channel.\n\n' +
        'Authenticate with an API key: `Authorization: Bearer <key>`. Keys carry scopes: `notifications:write`, ' +
        '`notifications:read`, `admin` (implies all). Errors have the shape `{ "error": { "code", "message", "details"? } }`.\n\n' +
        'Every operation may answer `429` (`rate_limited`, with `Retry-After` in seconds): each key has a budget of requests per ' +
        'minute across all operations, and each client address one of unknown or revoked keys.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key created with `npm run cli -- api-key create`' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the UI at /docs and the document at /docs-json. */
export function mountSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
