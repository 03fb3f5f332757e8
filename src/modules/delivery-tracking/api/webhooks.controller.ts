import { applyDecorators, Controller, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { ReceiveDeliveryEvents } from '../application/receive-delivery-events.use-case';
import { DeliveryEventsReportDto, SesWebhookResultDto } from './dto/delivery-tracking.dto';
import { AcceptsBody } from '../../../infrastructure/http/body-media-type';
import type { DeliveryWebhookRoute } from '../../../infrastructure/providers/delivery-webhook';
import { DELIVERY_WEBHOOKS } from '../../../infrastructure/providers/provider-registry';

/**
 * Provider delivery webhooks. No API key (@Public on each route): each request is authenticated by the provider's signature.
 * Every registered delivery event source has its route, POST /v1/webhooks/<provider> (declared below).
 */
@ApiTags('delivery tracking')
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'invalid_webhook_signature: the signature (or its certificate) does not verify.' })
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly receiveEvents: ReceiveDeliveryEvents) {}

  async receive(provider: string, route: DeliveryWebhookRoute, req: RawBodyRequest<Request>): Promise<DeliveryEventsReportDto | SesWebhookResultDto> {
    const outcome = await this.receiveEvents.execute(provider, { path: req.originalUrl, headers: req.headers, rawBody: req.rawBody, body: req.body as unknown });
    if (outcome.kind !== 'events') return outcome;
    return route.answer === 'outcome' ? { kind: 'events', ...outcome.report } : outcome.report;
  }
}

// A route per provider, with its own media types and documentation (the OpenAPI document lists them apart),
// all served by receive(): a provider added to the registry is routed without an edit here.
for (const { provider, route } of DELIVERY_WEBHOOKS) {
  const prototype = WebhooksController.prototype as unknown as Record<string, unknown>;
  // Named receiveTwilio and so on: the OpenAPI operation ids are made of the method's name.
  const method = `receive${provider.replace(/(^|[^a-z0-9])([a-z0-9])/gi, (_, __, c: string) => c.toUpperCase())}`;
  const handler = function (this: WebhooksController, req: RawBodyRequest<Request>) {
    return this.receive(provider, route, req);
  };
  prototype[method] = Object.defineProperty(handler, 'name', { value: method });
  Req()(prototype, method, 0);
  applyDecorators(
    Post(provider),
    // On each route, not the class: the routes are added after the class is decorated.
    Public(),
    HttpCode(200),
    ApiOperation({ summary: route.summary, ...(route.description ? { description: route.description } : {}) }),
    AcceptsBody({ types: route.mediaTypes ?? ['application/json'], schema: route.body ?? { type: 'object', additionalProperties: true } }),
    ApiOkResponse({ type: route.answer === 'outcome' ? SesWebhookResultDto : DeliveryEventsReportDto }),
    ...(route.badRequest ? [ApiBadRequestResponse({ type: ErrorResponseDto, description: route.badRequest })] : []),
    ...(route.notConfigured ? [ApiNotFoundResponse({ type: ErrorResponseDto, description: `webhook_not_configured: ${route.notConfigured} is not set.` })] : []),
  )(prototype, method, Object.getOwnPropertyDescriptor(prototype, method)!);
}
