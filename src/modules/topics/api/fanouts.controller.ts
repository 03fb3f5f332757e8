import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { decodeCursor, encodeCursor } from '../../../infrastructure/http/list-cursor';
import { GetFanout } from '../application/get-fanout.use-case';
import { ListFanouts } from '../application/list-fanouts.use-case';
import { FanoutDto, FanoutListDto, ListFanoutsQueryDto } from './dto/topic.dto';
import { fanoutView } from './topics.controller';

@ApiTags('topics')
@Controller('v1/fanouts')
export class FanoutsController {
  constructor(
    private readonly getFanout: GetFanout,
    private readonly listFanouts: ListFanouts,
  ) {}

  @Get()
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: "A topic's fan-outs, newest first, with their progress",
    description:
      'Each fan-out as GET /v1/fanouts/{id} gives it: total, created so far, done. Ordered by acceptance time, then id, newest first. ' +
      'Keyset pagination: pass `nextCursor` as `cursor` with the same topic. 404 when no topic has this key.',
  })
  @ApiOkResponse({ type: FanoutListDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'No topic or a malformed one, a limit out of range, or a cursor Herald did not give.' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async list(@Query() query: ListFanoutsQueryDto): Promise<FanoutListDto> {
    const page = await this.listFanouts.execute({ topicKey: query.topic, after: query.cursor ? decodeCursor(query.cursor) : null, limit: query.limit ?? 20 });
    return { items: page.items.map(fanoutView), nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  @Get(':id')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Progress of a topic fan-out: total, created so far, done', description: 'A fan-out creates one notification per subscriber in the background; this is how far it got. 404 when no fan-out has this id.' })
  @ApiOkResponse({ type: FanoutDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id') id: string): Promise<FanoutDto> {
    return fanoutView(await this.getFanout.execute({ id }));
  }
}
