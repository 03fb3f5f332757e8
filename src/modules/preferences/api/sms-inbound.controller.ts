import { timingSafeEqual } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ValidationFailedError } from '../../../domain/errors/domain-errors';
import { HeraldConfig } from '../../../infrastructure/config/herald-config';
import { isValidTwilioSignature } from '../../../infrastructure/providers/twilio/twilio-signature';
import { Public } from '../../access/api/auth.decorators';
import { ERROR_RESPONSE_CONTENT } from '../../../infrastructure/http/error-response.dto';
import { HandleSmsReply } from '../application/handle-sms-reply.use-case';
import { AcceptsBody } from '../../../infrastructure/http/body-media-type';

/**
 * Inbound SMS from the provider (Twilio posts form fields `From` and `Body`; a JSON `{ from, body }`
 * works too). Authenticated by the shared secret in the webhook URL, or by Twilio's request signature.
 */
@ApiTags('preferences')
@Controller('v1/inbound/sms')
export class SmsInboundController {
  constructor(
    private readonly handleReply: HandleSmsReply,
    private readonly config: HeraldConfig,
  ) {}

  @Post()
  @Public()
  @AcceptsBody({
    types: ['application/x-www-form-urlencoded', 'application/json'],
    schema: {
      type: 'object',
      description: 'Twilio posts the form fields `From` and `Body` (and more); other senders may post JSON `{ from, body }`.',
      properties: {
        From: { type: 'string', example: '+14155550100' },
        Body: { type: 'string', example: 'STOP' },
        from: { type: 'string', example: '+14155550100' },
        body: { type: 'string', example: 'STOP' },
      },
      additionalProperties: true,
    },
  })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Inbound SMS webhook: STOP turns SMS off for the number, START turns it back on',
    description:
      'Configure the provider to POST to /v1/inbound/sms?secret=<SMS_INBOUND_WEBHOOK_SECRET>, or (Twilio) set SMS_INBOUND_TWILIO_AUTH_TOKEN ' +
      'and the X-Twilio-Signature header is checked against PUBLIC_URL + the request path. Answers an empty TwiML response.',
  })
  @ApiQuery({ name: 'secret', required: false, description: 'SMS_INBOUND_WEBHOOK_SECRET' })
  @ApiProduces('text/xml')
  @ApiOkResponse({ description: 'Handled (or ignored when not a keyword): an empty TwiML response.', content: { 'text/xml': { schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: '`validation_failed`: no sender or body.', content: ERROR_RESPONSE_CONTENT })
  @ApiForbiddenResponse({ description: '`forbidden`: wrong secret, or the webhook is not configured.', content: ERROR_RESPONSE_CONTENT })
  async receive(
    @Query('secret') secret: string | undefined,
    @Headers('x-twilio-signature') twilioSignature: string | undefined,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (!this.authentic(secret, twilioSignature, req.originalUrl, body ?? {})) {
      res.status(403).json({ error: { code: 'forbidden', message: 'Unknown webhook secret, or the SMS webhook is not configured' } });
      return;
    }
    const from = body?.From ?? body?.from;
    const text = body?.Body ?? body?.body;
    if (typeof from !== 'string' || !from || typeof text !== 'string') {
      throw new ValidationFailedError([{ field: 'From', reason: 'and Body are required' }]);
    }
    const outcome = await this.handleReply.execute({ from: from.trim(), body: text });
    res.setHeader('X-Herald-Sms-Action', outcome.action);
    res.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  }

  private authentic(secret: string | undefined, signature: string | undefined, path: string, body: Record<string, unknown>): boolean {
    const expected = this.config.inbound.smsWebhookSecret;
    if (expected && secret && secret.length === expected.length && timingSafeEqual(Buffer.from(secret), Buffer.from(expected))) return true;
    const token = this.config.inbound.twilioAuthToken;
    if (!token || !signature) return false;
    // Twilio signs the URL it called: the public address of this server.
    return isValidTwilioSignature(token, this.config.http.publicUrl.replace(/\/+$/, '') + path, body, signature);
  }
}
