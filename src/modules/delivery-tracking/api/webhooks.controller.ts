import { Body, Controller, Headers, HttpCode, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { ReceiveSendgridEvents } from '../application/receive-sendgrid-events.use-case';
import { ReceiveSesEvents } from '../application/receive-ses-events.use-case';
import { ReceiveTwilioStatus } from '../application/receive-twilio-status.use-case';
import { DeliveryEventsReportDto, SesWebhookResultDto } from './dto/delivery-tracking.dto';
import { AcceptsBody } from '../../../infrastructure/http/body-media-type';

/** Provider delivery webhooks. No API key: each request is authenticated by the provider's signature. */
@ApiTags('delivery tracking')
@Public()
@ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'invalid_webhook_signature: the signature (or its certificate) does not verify.' })
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly ses: ReceiveSesEvents,
    private readonly sendgrid: ReceiveSendgridEvents,
    private readonly twilio: ReceiveTwilioStatus,
  ) {}

  @Post('ses')
  @HttpCode(200)
  @ApiOperation({ summary: 'SES events through an SNS HTTPS subscription (signature and certificate verified; subscriptions confirmed)' })
  @AcceptsBody('text/plain', 'application/json')
  @ApiOkResponse({ type: SesWebhookResultDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Not an SNS message.' })
  receiveSes(@Body() body: unknown): Promise<SesWebhookResultDto> {
    return this.ses.execute(body);
  }

  @Post('sendgrid')
  @HttpCode(200)
  @ApiOperation({ summary: 'SendGrid signed event webhook (X-Twilio-Email-Event-Webhook-Signature / -Timestamp)' })
  @ApiOkResponse({ type: DeliveryEventsReportDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'webhook_not_configured: SENDGRID_WEBHOOK_PUBLIC_KEY is not set.' })
  receiveSendgrid(
    @Req() req: RawBodyRequest<Request>,
    @Headers('x-twilio-email-event-webhook-signature') signature: string | undefined,
    @Headers('x-twilio-email-event-webhook-timestamp') timestamp: string | undefined,
  ): Promise<DeliveryEventsReportDto> {
    return this.sendgrid.execute({ rawBody: req.rawBody, signature, timestamp });
  }

  @Post('twilio')
  @HttpCode(200)
  @ApiOperation({ summary: 'Twilio message status callback (X-Twilio-Signature)' })
  @AcceptsBody('application/x-www-form-urlencoded')
  @ApiOkResponse({ type: DeliveryEventsReportDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'webhook_not_configured: WEBHOOK_TWILIO_AUTH_TOKEN is not set.' })
  receiveTwilio(@Req() req: Request, @Body() body: Record<string, string>, @Headers('x-twilio-signature') signature: string | undefined): Promise<DeliveryEventsReportDto> {
    return this.twilio.execute({ path: req.originalUrl, params: typeof body === 'object' && body !== null ? body : {}, signature });
  }
}
