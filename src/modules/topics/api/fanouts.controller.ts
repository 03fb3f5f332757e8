import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { RequireScope } from '../../access/api/auth.decorators';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { GetFanout } from '../application/get-fanout.use-case';
import { FanoutDto } from './dto/topic.dto';
import { fanoutView } from './topics.controller';

@ApiTags('topics')
@Controller('v1/fanouts')
export class FanoutsController {
  constructor(private readonly getFanout: GetFanout) {}

  @Get(':id')
  @RequireScope('notifications:read')
  @ApiOperation({ summary: 'Progress of a topic fan-out: total, created so far, done', description: 'A fan-out creates one notification per subscriber in the background; this is how far it got. 404 when no fan-out has this id.' })
  @ApiOkResponse({ type: FanoutDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id') id: string): Promise<FanoutDto> {
    return fanoutView(await this.getFanout.execute({ id }));
  }
}
