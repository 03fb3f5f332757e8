import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../../access/api/auth.decorators';

@ApiTags('observability')
// Scraped often from one address: out of the per-address request budget.
@Public({ throttled: false })
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics of this process',
    description: 'Text exposition format. Served by every role, without an API key, like /health. See docs/observability.md for the metric names.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in the Prometheus text format.', schema: { type: 'string', example: 'herald_notifications_accepted_total{channel="email",category="orders"} 42' } })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
