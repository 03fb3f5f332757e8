import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DeliveryMetrics } from '../../domain/ports/delivery-metrics.port';
import { HeraldConfig } from '../config/herald-config';
import { HttpRequestMetrics } from './http-request.metrics';
import { createMetricsRegistry } from './metrics-registry';
import { PrometheusDeliveryMetrics } from './prometheus-delivery.metrics';

/**
 * Prometheus binding: the process's registry and the DeliveryMetrics port. The relay role adds the outbox
 * lag and queue depth collectors, read when /metrics is scraped.
 */
@Module({
  providers: [
    { provide: Registry, inject: [HeraldConfig], useFactory: (config: HeraldConfig) => createMetricsRegistry(config.roles) },
    { provide: DeliveryMetrics, useClass: PrometheusDeliveryMetrics },
    HttpRequestMetrics,
  ],
  exports: [Registry, DeliveryMetrics, HttpRequestMetrics],
})
export class MetricsModule {}
