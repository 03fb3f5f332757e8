import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiGoneResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isChannel, type Channel } from '../../../domain/notification/channel';
import { Public } from '../../access/api/auth.decorators';
import { HTML_PAGE_CONTENT } from '../../../infrastructure/http/error-response.dto';
import { PreferencePage, type PreferenceForm, type PreferencePageOutcome } from '../application/preference-page.use-case';
import { preferencePage, refusedPage } from './hosted-pages/html-pages';
import { HostedPages } from './hosted-pages/hosted-pages';
import { PAGE_LANGUAGE_HEADER } from './hosted-pages/page-language-header';
import { AcceptsBody } from '../../../infrastructure/http/body-media-type';

/** The hosted preference page: a signed link (POST /v1/recipients/:userId/preference-link) opens it without login. */
@ApiTags('preferences')
@Controller('v1/preference-page')
export class PreferencePageController {
  constructor(
    private readonly page: PreferencePage,
    private readonly pages: HostedPages,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Hosted preference page: categories and channels with toggles', description: 'An HTML page listing every category and channel with the user\'s effective setting. The token comes from POST /v1/recipients/{userId}/preference-link.' })
  @ApiQuery({ name: 'token', description: 'Signed, expiring token.' })
  @ApiHeader(PAGE_LANGUAGE_HEADER)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page.', content: HTML_PAGE_CONTENT })
  @ApiBadRequestResponse({ description: 'The token is not valid.', content: HTML_PAGE_CONTENT })
  @ApiGoneResponse({ description: 'The link has expired.', content: HTML_PAGE_CONTENT })
  async show(@Query('token') token: string | undefined, @Headers('accept-language') acceptLanguage: string | undefined, @Res() res: Response): Promise<void> {
    this.respond(res, token, acceptLanguage, await this.page.execute({ token }));
  }

  @Post()
  @Public()
  @AcceptsBody({
    types: ['application/x-www-form-urlencoded'],
    schema: {
      type: 'object',
      description:
        'The page\'s form. A checked box is sent as `c:<category>:<channel>=on` or `optout:<channel>=on`; what each box showed as ' +
        '`was:c:<category>:<channel>` and `was:optout:<channel>` (`on` or `off`).',
      properties: { token: { type: 'string', description: 'The signed token (instead of the query parameter).' } },
      additionalProperties: { type: 'string' },
    },
  })
  @ApiOperation({ summary: 'Saves the hosted preference page form (application/x-www-form-urlencoded)', description: 'Saves the page\'s form and answers the page again.' })
  @ApiHeader(PAGE_LANGUAGE_HEADER)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Saved; the page again.', content: HTML_PAGE_CONTENT })
  @ApiBadRequestResponse({ description: 'The token is not valid.', content: HTML_PAGE_CONTENT })
  @ApiGoneResponse({ description: 'The link has expired.', content: HTML_PAGE_CONTENT })
  async save(
    @Query('token') queryToken: string | undefined,
    @Body() body: Record<string, unknown>,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const token = typeof body?.token === 'string' ? body.token : queryToken;
    this.respond(res, token, acceptLanguage, await this.page.execute({ token, form: parseForm(body ?? {}) }));
  }

  private respond(res: Response, token: string | undefined, acceptLanguage: string | undefined, outcome: PreferencePageOutcome): void {
    if (outcome.kind === 'page') {
      const frame = this.pages.frame({ profileLocale: outcome.locale, acceptLanguage });
      this.pages.send(res, frame, 200, preferencePage(frame, token ?? '', outcome.userId, outcome.view, outcome.channels, outcome.saved));
      return;
    }
    const frame = this.pages.frame({ acceptLanguage });
    this.pages.send(res, frame, outcome.problem === 'expired' ? 410 : 400, refusedPage(frame, outcome.problem));
  }
}

/**
 * Checked boxes arrive as `c:<category>:<channel>=on` and `optout:<channel>=on`; the page also sends what each box
 * showed, as `was:c:<category>:<channel>` and `was:optout:<channel>` = `on` or `off`.
 */
function parseForm(body: Record<string, unknown>): PreferenceForm {
  const form: PreferenceForm = { enabled: [], optedOutChannels: [] };
  const shown: NonNullable<PreferenceForm['shown']> = { toggles: [], optOuts: [] };
  for (const [key, value] of Object.entries(body)) {
    const toggle = /^c:(.+):([a-z]+)$/.exec(key);
    if (toggle && isChannel(toggle[2])) form.enabled.push({ category: toggle[1], channel: toggle[2] });
    const optOut = /^optout:([a-z]+)$/.exec(key);
    if (optOut && isChannel(optOut[1])) form.optedOutChannels.push(optOut[1] as Channel);
    const wasToggle = /^was:c:(.+):([a-z]+)$/.exec(key);
    if (wasToggle && isChannel(wasToggle[2])) shown.toggles.push({ category: wasToggle[1], channel: wasToggle[2], on: value === 'on' });
    const wasOptOut = /^was:optout:([a-z]+)$/.exec(key);
    if (wasOptOut && isChannel(wasOptOut[1])) shown.optOuts.push({ channel: wasOptOut[1] as Channel, on: value === 'on' });
  }
  if (shown.toggles.length || shown.optOuts.length) form.shown = shown;
  return form;
}
