import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../../infrastructure/http/error-response.dto';
import { RequireScope } from '../../access/api/auth.decorators';
import { GetProviderHealth } from '../application/get-provider-health.use-case';
import { ProviderHealthQueryDto, ProviderHealthReportDto } from './dto/provider-health.dto';

@ApiTags('providers')
@Controller('v1/providers')
export class ProviderHealthController {
  constructor(private readonly providerHealth: GetProviderHealth) {}

  @Get('health')
  @RequireScope('notifications:read')
  @ApiOperation({
    summary: 'Health of every provider: its circuit breaker across the live workers, and its recent attempts',
    description:
      'Per channel and provider: the circuit breaker state in each live worker process (workers report it on every change and as a heartbeat; a process whose report is older than three heartbeats is left out), and over the window the attempts it decided, how many were sent, failed transiently or permanently, or ended unknown, the error rate and the p50 and p95 attempt duration. docs/observability.md says which figure is read from where.',
  })
  @ApiOkResponse({ type: ProviderHealthReportDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'window not a duration, or outside 1m to 24h.' })
  async health(@Query() query: ProviderHealthQueryDto): Promise<ProviderHealthReportDto> {
    const outcome = await this.providerHealth.execute(query);
    if (outcome.kind === 'invalid') throw outcome.error;
    const iso = (d: Date) => d.toISOString();
    return {
      from: iso(outcome.from),
      to: iso(outcome.to),
      windowSeconds: Math.round(outcome.windowMs / 1000),
      providers: outcome.providers.map((p) => ({
        ...p,
        breaker: { ...p.breaker, workers: p.breaker.workers.map((w) => ({ ...w, since: iso(w.since), heartbeatAt: iso(w.heartbeatAt) })) },
      })),
    };
  }
}
