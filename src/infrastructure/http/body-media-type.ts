import { applyDecorators, HttpException, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { ExampleObject, SchemaObject } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

const ACCEPTED_MEDIA_TYPES = 'herald:accepted-media-types';
const JSON_ONLY = ['application/json'];
/** YAML bodies, read as text (a route that takes them parses them). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
/** Any media type: the route ignores its body. */
export const ANY_BODY = '*/*';

/**
 * The media types a route takes as its body, instead of JSON alone (forms from browsers and mail
 * clients, provider webhooks), and the fields the sender (a provider or a browser's form) posts: the
 * OpenAPI document names both.
 */
export const AcceptsBody = (body: { types: string[]; description?: string } & ({ schema: SchemaObject } | { type: Type<unknown>; examples?: Record<string, ExampleObject> })) =>
  applyDecorators(
    SetMetadata(ACCEPTED_MEDIA_TYPES, body.types),
    ApiConsumes(...body.types),
    'schema' in body
      ? ApiBody({ required: false, schema: body.schema, ...(body.description ? { description: body.description } : {}) })
      : ApiBody({ required: true, type: body.type, ...(body.examples ? { examples: body.examples } : {}), ...(body.description ? { description: body.description } : {}) }),
  );

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A body in a media type the route does not take is refused with 415 before anything reads it: were it
 * read as "no body", a PUT would replace a stored record with an empty one.
 */
@Injectable()
export class BodyMediaTypeInterceptor implements NestInterceptor {
  private readonly reflector = new Reflector();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      if (hasBody(req)) {
        const accepted = this.reflector.getAllAndOverride<string[] | undefined>(ACCEPTED_MEDIA_TYPES, [context.getHandler(), context.getClass()]) ?? JSON_ONLY;
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (!accepted.includes(ANY_BODY) && !accepted.includes(type)) {
          throw new HttpException(
            {
              code: 'unsupported_media_type',
              message: `The request body must be ${accepted.join(' or ')}${type ? `, not ${type}` : ' (no Content-Type was sent)'}`,
              details: [{ field: 'Content-Type', reason: `must be ${accepted.join(' or ')}` }],
            },
            415,
          );
        }
      }
    }
    return next.handle();
  }
}
