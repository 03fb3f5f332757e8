import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DeliveryMetrics } from '../../domain/ports/delivery-metrics.port';
import { HeraldConfig } from '../config/herald-config';
import type { Role } from '../config/roles';
import { HttpRequestMetrics } from './http-request.metrics';
import { createMetricsRegistry } from './metrics-registry';
import { OutboxLagCollector } from './outbox-lag.collector';
import { PrometheusDeliveryMetrics } from './prometheus-delivery.metrics';
import { QueueDepthCollector } from './queue-depth.collector';

/**
 * Prometheus binding: the process's registry and the DeliveryMetrics port. The relay role also reports
 * the outbox lag and every channel queue's depth, read when /metrics is scraped.
 */
@Global()
@Module({})
export class MetricsModule {
  static forRoles(roles: readonly Role[]): DynamicModule {
    const providers: Provider[] = [
      { provide: Registry, inject: [HeraldConfig], useFactory: (config: HeraldConfig) => createMetricsRegistry(config.roles) },
      { provide: DeliveryMetrics, useClass: PrometheusDeliveryMetrics },
      HttpRequestMetrics,
    ];
    if (roles.includes('relay')) providers.push(OutboxLagCollector, QueueDepthCollector);
    return { module: MetricsModule, providers, exports: [Registry, DeliveryMetrics, HttpRequestMetrics] };
  }
}
