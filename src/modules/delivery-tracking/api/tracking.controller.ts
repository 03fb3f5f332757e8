import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { RecordTrackingHit } from '../application/record-tracking-hit.use-case';

/** A transparent 1x1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Open pixel and click redirect of tracked emails. Public: the links are signed. */
@ApiTags('delivery tracking')
@Public()
@Controller('t')
export class TrackingController {
  constructor(private readonly recordHit: RecordTrackingHit) {}

  @Get('o/:token')
  @ApiOperation({ summary: 'Open-tracking pixel: records `opened` and answers a 1x1 GIF', description: 'The image the tracked email loads. The token is signed.' })
  @ApiOkResponse({ description: 'image/gif' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown or tampered link.' })
  async open(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const hit = await this.recordHit.execute({ kind: 'open', token: token.replace(/\.gif$/, '') });
    if (!hit) throw new NotFoundException({ code: 'not_found', message: 'Unknown tracking link' });
    res.set({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, max-age=0' }).send(PIXEL);
  }

  @Get('c/:token')
  @ApiOperation({ summary: 'Click-tracking redirect: records `clicked` and redirects (302) to the signed destination', description: 'The link a tracked email carries in place of the original. The token is signed and names the destination.' })
  @ApiFoundResponse({ description: 'Redirect to the original link.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown or tampered link.' })
  async click(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const hit = await this.recordHit.execute({ kind: 'click', token });
    if (!hit?.redirectTo) throw new NotFoundException({ code: 'not_found', message: 'Unknown tracking link' });
    res.redirect(302, hit.redirectTo);
  }
}
