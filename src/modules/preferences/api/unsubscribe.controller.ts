import { Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiGoneResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../access/api/auth.decorators';
import { HTML_PAGE_CONTENT } from '../../../infrastructure/http/error-response.dto';
import { ApplyUnsubscribeLink, type UnsubscribeOutcome } from '../application/apply-unsubscribe-link.use-case';
import { refusedPage, unsubscribedPage } from './hosted-pages/html-pages';
import { HostedPages } from './hosted-pages/hosted-pages';
import { PAGE_LANGUAGE_HEADER } from './hosted-pages/page-language-header';
import { ANY_BODY, AcceptsBody } from '../../../infrastructure/http/body-media-type';

/** The links in List-Unsubscribe headers and email footers. Signed, so they need no API key. */
@ApiTags('preferences')
@Controller('v1/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly applyLink: ApplyUnsubscribeLink,
    private readonly pages: HostedPages,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Visible unsubscribe link: updates the preference and shows a confirmation page', description: 'The link an email shows. The token says which user, category and channel; answers an HTML page in every case.' })
  @ApiQuery({ name: 'token', description: 'Signed, expiring token from the email.' })
  @ApiHeader(PAGE_LANGUAGE_HEADER)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed; confirmation page.', content: HTML_PAGE_CONTENT })
  @ApiBadRequestResponse({ description: 'The token is not valid (tampered with or truncated); nothing changed.', content: HTML_PAGE_CONTENT })
  @ApiGoneResponse({ description: 'The link has expired; nothing changed.', content: HTML_PAGE_CONTENT })
  async visible(@Query('token') token: string | undefined, @Headers('accept-language') acceptLanguage: string | undefined, @Res() res: Response): Promise<void> {
    this.respond(res, acceptLanguage, await this.applyLink.execute({ token }));
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
  @ApiHeader(PAGE_LANGUAGE_HEADER)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed.', content: HTML_PAGE_CONTENT })
  @ApiBadRequestResponse({ description: 'The token is not valid; nothing changed.', content: HTML_PAGE_CONTENT })
  @ApiGoneResponse({ description: 'The link has expired; nothing changed.', content: HTML_PAGE_CONTENT })
  async oneClick(@Query('token') token: string | undefined, @Headers('accept-language') acceptLanguage: string | undefined, @Res() res: Response): Promise<void> {
    this.respond(res, acceptLanguage, await this.applyLink.execute({ token }));
  }

  private respond(res: Response, acceptLanguage: string | undefined, outcome: UnsubscribeOutcome): void {
    if (outcome.kind === 'unsubscribed') {
      const frame = this.pages.frame({ profileLocale: outcome.locale, acceptLanguage });
      this.pages.send(res, frame, 200, unsubscribedPage(frame, outcome.from, outcome.preferencePageUrl));
      return;
    }
    const frame = this.pages.frame({ acceptLanguage });
    this.pages.send(res, frame, outcome.problem === 'expired' ? 410 : 400, refusedPage(frame, outcome.problem));
  }
}
