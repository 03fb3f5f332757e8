import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANNELS } from '../../../../domain/notification/channel';
import { DEFAULT_HEALTH_WINDOW } from '../../../../domain/routing/provider-health';

const BREAKER_STATES = ['closed', 'half_open', 'open'] as const;

export class ProviderHealthQueryDto {
  @ApiPropertyOptional({
    example: '15m',
    default: DEFAULT_HEALTH_WINDOW,
    description: 'How far back the attempt figures reach: a duration (`s`, `m`, `h`), from 1m to 24h.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  window?: string;
}

export class WorkerBreakerDto {
  @ApiProperty({ example: 'worker-7f9c:4242:a1b2c3', description: 'The worker process (host:pid:random), as in its leases.' }) worker!: string;
  @ApiProperty({ enum: BREAKER_STATES, example: 'open' }) state!: string;
  @ApiProperty({ example: '2026-11-05T10:14:03.000Z', description: 'When the breaker entered this state (or the process started using the provider).' }) since!: string;
  @ApiProperty({ example: '2026-11-05T10:15:01.000Z', description: "The process's last report." }) heartbeatAt!: string;
}

export class BreakerSummaryDto {
  @ApiProperty({
    enum: [...BREAKER_STATES, 'not_reported'],
    example: 'open',
    description: 'The worst state among the live worker processes (open, half_open, closed); not_reported when no live worker process holds a breaker for this provider.',
  })
  state!: string;
  @ApiProperty({ example: 1, description: 'Live worker processes where it is open.' }) open!: number;
  @ApiProperty({ example: 0 }) halfOpen!: number;
  @ApiProperty({ example: 1 }) closed!: number;
  @ApiProperty({ type: [WorkerBreakerDto], description: 'Each live worker process holding a breaker for this provider.' }) workers!: WorkerBreakerDto[];
}

export class LatencyDto {
  @ApiProperty({ type: Number, nullable: true, example: 180, description: 'Median attempt duration in milliseconds; null with no attempt.' }) p50!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 950 }) p95!: number | null;
}

export class ProviderHealthDto {
  @ApiProperty({ enum: CHANNELS, example: 'sms' }) channel!: string;
  @ApiProperty({ example: 'twilio' }) provider!: string;
  @ApiProperty({ example: true, description: 'In the configuration of the process that answered; false for a provider no longer configured that still has attempts or a breaker.' })
  configured!: boolean;
  @ApiProperty({ type: BreakerSummaryDto }) breaker!: BreakerSummaryDto;
  @ApiProperty({ example: 40, description: 'Finished attempts started in the window that this provider decided.' }) attempts!: number;
  @ApiProperty({ example: 30 }) sent!: number;
  @ApiProperty({ example: 8 }) transientFailures!: number;
  @ApiProperty({ example: 1 }) permanentFailures!: number;
  @ApiProperty({ example: 1, description: 'Attempts whose outcome is unknown (e.g. a timeout after the request was sent).' }) unknown!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.25, description: '(transientFailures + permanentFailures + unknown) / attempts, 4 decimals; null with no attempt.' })
  errorRate!: number | null;
  @ApiProperty({ type: LatencyDto }) latencyMs!: LatencyDto;
}

export class ProviderHealthReportDto {
  @ApiProperty({ example: '2026-11-05T10:00:05.000Z' }) from!: string;
  @ApiProperty({ example: '2026-11-05T10:15:05.000Z' }) to!: string;
  @ApiProperty({ example: 900, description: 'The window, in seconds.' }) windowSeconds!: number;
  @ApiProperty({ type: [ProviderHealthDto], description: 'Every configured provider per channel (routing order), then any other with attempts in the window or a live breaker.' })
  providers!: ProviderHealthDto[];
}
