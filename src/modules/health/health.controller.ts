import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { StreamHealthIndicator } from '../../infrastructure/dynamodb-streams/stream.health';
import { SqsHealthIndicator } from '../../infrastructure/sqs/sqs.health';
import { Public } from '../access/api/auth.decorators';

@ApiTags('health')
// Probes come often from few addresses, and liveness must not depend on the database that holds the counters.
@Public({ throttled: false })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly sqs: SqsHealthIndicator,
    private readonly stream: StreamHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up', description: 'Answers 200 while the process serves HTTP; it checks nothing else.' })
  @ApiOkResponse({ schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database and the queues answer (queues when this process uses them); stream lag and alarms when this process reads streams', description: '503 when a dependency does not answer: take the process out of the load balancer, do not restart it.' })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      ...(this.sqs.inUse() ? [() => this.sqs.check('queue')] : []),
      ...(this.stream.active() ? [() => this.stream.check('stream')] : []),
    ]);
  }
}
