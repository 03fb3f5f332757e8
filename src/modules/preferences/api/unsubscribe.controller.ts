import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiGoneResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../access/api/auth.decorators';
import { HTML_PAGE_CONTENT } from '../../../infrastructure/http/error-response.dto';
import { ApplyUnsubscribeLink, type UnsubscribeOutcome } from '../application/apply-unsubscribe-link.use-case';
import { refusedPage, unsubscribedPage } from './html-pages';
import { ANY_BODY, AcceptsBody } from '../../../infrastructure/http/body-media-type';

/** The links in List-Unsubscribe headers and email footers. Signed, so they need no API key. */
@ApiTags('preferences')
@Controller('v1/unsubscribe')
export class UnsubscribeController {
  constructor(private readonly applyLink: ApplyUnsubscribeLink) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Visible unsubscribe link: updates the preference and shows a confirmation page', description: 'The link an email shows. The token says which user, category and channel; answers an HTML page in every case.' })
  @ApiQuery({ name: 'token', description: 'Signed, expiring token from the email.' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed; confirmation page.', content: HTML_PAGE_CONTENT })
  @ApiBadRequestResponse({ description: 'The token is not valid (tampered with or truncated); nothing changed.', content: HTML_PAGE_CONTENT })
  @ApiGoneResponse({ description: 'The link has expired; nothing changed.', content: HTML_PAGE_CONTENT })
  async visible(@Query('token') token: string | undefined, @Res() res: Response): Promise<void> {
    respond(res, await this.applyLink.execute({ token }));
  }

  @Post()
  @Public()
  // RFC 8058 lets mail clients post a form or multipart; the body is never read.
  @AcceptsBody({
    types: [ANY_BODY],
    schema: { type: 'object', properties: { 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } }, additionalProperties: true },
    description: 'RFC 8058: `List-Unsubscribe=One-Click`, as a form or multipart. Not read: the token decides.',
  })
  @ApiOperation({
    summary: 'RFC 8058 one-click unsubscribe',
    description: 'Mail clients POST `List-Unsubscribe=One-Click` (application/x-www-form-urlencoded) to the List-Unsubscribe URL.',
  })
  @ApiQuery({ name: 'token', description: 'Signed, expiring token from the List-Unsubscribe header.' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed.', content: HTML_PAGE_CONTENT })
  @ApiBadRequestResponse({ description: 'The token is not valid; nothing changed.', content: HTML_PAGE_CONTENT })
  @ApiGoneResponse({ description: 'The link has expired; nothing changed.', content: HTML_PAGE_CONTENT })
  async oneClick(@Query('token') token: string | undefined, @Res() res: Response): Promise<void> {
    respond(res, await this.applyLink.execute({ token }));
  }
}

function respond(res: Response, outcome: UnsubscribeOutcome): void {
  res.setHeader('Cache-Control', 'no-store');
  res.type('html');
  if (outcome.kind === 'unsubscribed') {
    res.status(200).send(unsubscribedPage(outcome.what, outcome.preferencePageUrl));
    return;
  }
  res.status(outcome.problem === 'expired' ? 410 : 400).send(refusedPage(outcome.problem));
}
