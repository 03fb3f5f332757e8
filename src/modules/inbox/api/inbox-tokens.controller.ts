import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ERROR_RESPONSE_CONTENT } from '../../../infrastructure/http/error-response.dto';
import { CreateInboxToken } from '../../access/application/create-inbox-token.use-case';
import { RequireScope } from '../../access/api/auth.decorators';
import { CreateInboxTokenDto, InboxTokenDto } from './dto/inbox.dto';

/** Your server mints a user token for the signed-in user and hands it to their browser. */
@ApiTags('inbox')
@Controller('v1/inbox/tokens')
export class InboxTokensController {
  constructor(private readonly createToken: CreateInboxToken) {}

  @Post()
  @RequireScope('notifications:write')
  @ApiOperation({
    summary: "A user token for one user's inbox, to hand to that user's browser",
    description:
      'The token opens `/v1/inbox/*` for this user only, until it expires (default 1 h, at most 24 h), and nothing else. ' +
      'Mint it on your server for the user who is signed in there; `createInboxToken` in `@herald/sdk/server` mints the same token without a call.',
  })
  @ApiCreatedResponse({ type: InboxTokenDto })
  @ApiBadRequestResponse({ content: ERROR_RESPONSE_CONTENT, description: '`validation_failed`: a user id that is not 1-200 printable characters, or a lifetime outside 1-86400 s.' })
  @ApiNotFoundResponse({ content: ERROR_RESPONSE_CONTENT, description: '`inbox_tokens_disabled`: INBOX_TOKEN_SECRET is not set on this Herald.' })
  create(@Body() body: CreateInboxTokenDto): InboxTokenDto {
    return this.createToken.execute({ userId: body.userId, ...(body.expiresInSeconds != null ? { expiresInSeconds: body.expiresInSeconds } : {}) });
  }
}
